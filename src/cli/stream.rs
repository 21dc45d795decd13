//! `mastiff scan --format jsonl`: each input is triaged and written as one
//! line as soon as it is scanned, so memory does not grow with the batch.

use super::args::ScanArgs;
use super::output::PendingFile;
use super::progress::Progress;
use super::scan::{timing_line, Session, Totals};
use super::{EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK};
use crate::findings::{ScanReport, Severity, ToolInfo};
use crate::reports::{JsonLines, ReportOptions};
use crate::triage::{Suppressed, Triage};
use anyhow::Context;
use std::io::{self, BufWriter, Write};
use std::sync::{Mutex, PoisonError};

/// Where the lines go: standard output, or a file renamed into place once
/// complete.
enum Sink {
    Stdout(io::Stdout),
    File(BufWriter<PendingFile>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(s) => s.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

impl Sink {
    fn commit(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut s) => s.flush(),
            Sink::File(f) => f.into_inner().map_err(|e| e.into_error())?.commit(),
        }
    }
}

/// What the inputs scanned so far added up to.
struct State {
    lines: JsonLines<Sink>,
    totals: Totals,
    suppressed: Suppressed,
    failing: bool,
    incomplete: bool,
    /// The first write error; later lines are not written.
    error: Option<io::Error>,
}

/// Scans `session`'s inputs, writing one JSON line per input; returns the
/// exit status, decided as for the other formats.
pub fn run(
    args: &ScanArgs,
    session: &Session,
    triage: &Triage,
    fail_on: Option<Severity>,
) -> anyhow::Result<i32> {
    let sink = match &args.output {
        Some(path) => Sink::File(BufWriter::new(
            PendingFile::create(path).with_context(|| format!("writing {}", path.display()))?,
        )),
        None => Sink::Stdout(io::stdout()),
    };
    let opts = ReportOptions {
        show_secrets: args.show_secrets,
        ..Default::default()
    };
    let state = Mutex::new(State {
        lines: JsonLines::new(sink, opts),
        totals: Totals::default(),
        suppressed: Suppressed::default(),
        failing: false,
        incomplete: false,
        error: None,
    });
    let settings = &args.settings;
    let progress = Progress::new(session.inputs.len(), 0, settings.quiet, settings.verbose);
    session.pool.install(|| {
        session
            .scanner
            .scan_each(&session.inputs, |artifact, findings| {
                let mut part = ScanReport {
                    tool: ToolInfo::default(),
                    scanned: vec![artifact],
                    findings,
                    rules: Vec::new(),
                    started: String::new(),
                    finished: String::new(),
                };
                let suppressed = triage.apply(&mut part);
                progress.done(|| timing_line(&part, None));
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                let state = &mut *state;
                state.totals.add(&part);
                state.suppressed.allowlist += suppressed.allowlist;
                state.suppressed.baseline += suppressed.baseline;
                state.failing |=
                    fail_on.is_some_and(|t| part.findings.iter().any(|f| f.severity >= t));
                state.incomplete |= part.error_count() > 0;
                if state.error.is_none() {
                    if let Some(artifact) = part.scanned.first() {
                        state.error = state.lines.input(artifact, &part.findings).err();
                    }
                }
            })
    });
    progress.finish();
    super::scan::report_cache(&session.scanner, settings);
    let state = state.into_inner().unwrap_or_else(PoisonError::into_inner);
    let written = match state.error {
        Some(e) => Err(e),
        None => state
            .lines
            .finish(&ToolInfo::default(), state.suppressed)
            .and_then(Sink::commit),
    };
    written.with_context(|| match &args.output {
        Some(path) => format!("writing {}", path.display()),
        None => "writing to standard output".to_string(),
    })?;
    if !settings.quiet {
        eprintln!(
            "mastiff: {}{}",
            state.totals.line(state.suppressed),
            args.output
                .as_ref()
                .map(|p| format!("; report written to {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(if state.failing {
        EXIT_FINDINGS
    } else if settings.fail_on_incomplete && state.incomplete {
        EXIT_INCOMPLETE
    } else {
        EXIT_OK
    })
}
