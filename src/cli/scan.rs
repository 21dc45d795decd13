use super::args::{ColorChoice, ScanArgs};
use super::output::write_atomically;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK};
use crate::detectors;
use crate::inputs;
use crate::reports::{self, Format, ReportOptions};
use crate::scan::Scanner;
use anyhow::Context;
use std::io::{IsTerminal, Write};

/// Runs `mastiff scan`; returns the exit status.
pub fn run(args: &ScanArgs) -> anyhow::Result<i32> {
    let (inputs, input_errors) = inputs::collect(&args.paths);
    if !input_errors.is_empty() {
        for e in &input_errors {
            eprintln!("mastiff: error: {}: {}", e.path, e.message);
        }
        return Ok(EXIT_ERROR);
    }
    let detectors = detectors::with_user_rules(args.rules.as_deref()).context("loading rules")?;
    let scanner = Scanner::new(detectors, args.limits.limits());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let report = pool.install(|| scanner.scan_inputs(&inputs));

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && args.format == Format::Text
        }
    };
    let opts = ReportOptions {
        show_secrets: args.show_secrets,
        color,
    };
    let mut buf = Vec::new();
    reports::render(&report, args.format, &opts, &mut buf).context("rendering the report")?;
    match &args.output {
        Some(path) => {
            write_atomically(path, &buf).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .context("writing to standard output")?;
        }
    }

    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let incomplete = args.fail_on_incomplete && report.error_count() > 0;
    Ok(if failing {
        EXIT_FINDINGS
    } else if incomplete {
        EXIT_INCOMPLETE
    } else {
        EXIT_OK
    })
}
