//! `mastiff endpoints`: the endpoint inventory of the inputs.

use super::args::EndpointsArgs;
use super::output::write_atomically;
use super::{EXIT_ERROR, EXIT_OK};
use crate::detectors;
use crate::inputs;
use crate::reports::render_inventory;
use crate::scan::Scanner;
use anyhow::Context;
use std::io::Write;

/// Runs `mastiff endpoints`; returns the exit status.
pub fn run(args: &EndpointsArgs) -> anyhow::Result<i32> {
    let (inputs, input_errors) = inputs::collect(&args.paths);
    if !input_errors.is_empty() {
        for e in &input_errors {
            eprintln!("mastiff: error: {}: {}", e.path, e.message);
        }
        return Ok(EXIT_ERROR);
    }
    // Every detector runs: secrets found inside endpoints are masked in the
    // inventory.
    let detectors = detectors::builtin().context("loading rules")?;
    let scanner = Scanner::new(detectors, args.limits.limits());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let report = pool.install(|| scanner.scan_inputs(&inputs));
    for artifact in &report.scanned {
        for e in &artifact.errors {
            let at = if e.path.is_empty() {
                String::new()
            } else {
                format!("!/{}", e.path)
            };
            eprintln!("mastiff: warning: {}{at}: {}", artifact.path, e.message);
        }
    }
    let mut out = Vec::new();
    render_inventory(&report, args.format, args.own, &mut out)?;
    match &args.output {
        Some(path) => {
            write_atomically(path, &out).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().write_all(&out)?,
    }
    Ok(EXIT_OK)
}
