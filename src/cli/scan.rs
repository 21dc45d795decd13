use super::args::{BaselineCreateArgs, ColorChoice, ScanArgs, ScanSettings};
use super::output::write_atomically;
use super::progress::Progress;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK};
use crate::detectors;
use crate::findings::{ScanReport, Severity};
use crate::inputs::{self, Input};
use crate::reports::{self, Format, ReportOptions};
use crate::scan::Scanner;
use crate::triage::{Baseline, Config, Suppressed, Triage};
use anyhow::Context;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs `mastiff scan`; returns the exit status.
pub fn run(args: &ScanArgs) -> anyhow::Result<i32> {
    if args.format == Format::Jsonl && args.summary.is_some() {
        anyhow::bail!("--summary needs the whole report; it cannot be used with --format jsonl");
    }
    let Some(mut session) = Session::start(&args.paths, &args.settings)? else {
        return Ok(EXIT_ERROR);
    };
    if let Some(shard) = args.shard {
        let all = session.inputs.len();
        session.inputs.retain(|i| shard.selects(&i.display));
        if args.settings.verbose {
            eprintln!(
                "mastiff: shard {shard}: {} of {all} inputs",
                session.inputs.len()
            );
        }
    }
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("reading the baseline")?;
    let fail_on = match args.fail_on {
        Some(f) => f.threshold(),
        None => session.config.fail_on,
    };
    let min_confidence = args
        .min_confidence
        .map(|m| m.floor())
        .or(session.config.min_confidence);
    let triage = Triage {
        config: std::mem::take(&mut session.config),
        baseline,
        min_confidence,
    };
    if args.format == Format::Jsonl {
        return super::stream::run(args, &session, &triage, fail_on);
    }
    let mut report = scan_all(
        &session.scanner,
        &session.inputs,
        &args.settings,
        session.pool,
    );
    let suppressed = triage.apply(&mut report);

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
        suppressed,
        sarif_category: args.sarif_category.clone(),
    };
    emit(&report, args.format, &opts, args.output.as_deref())?;
    if let Some(path) = &args.summary {
        append_summary(&report, &opts, path)?;
    }
    if !args.settings.quiet && (args.output.is_some() || args.format != Format::Text) {
        eprintln!(
            "mastiff: {}{}",
            summary_line(&report, suppressed),
            args.output
                .as_ref()
                .map(|p| format!("; report written to {}", p.display()))
                .unwrap_or_default()
        );
    }

    let failing = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let incomplete = args.settings.fail_on_incomplete && report.error_count() > 0;
    Ok(if failing {
        EXIT_FINDINGS
    } else if incomplete {
        EXIT_INCOMPLETE
    } else {
        EXIT_OK
    })
}

/// Runs `mastiff baseline create`: a JSON report with the configuration
/// applied (no baseline, no confidence floor), whatever the findings.
pub fn create_baseline(args: &BaselineCreateArgs) -> anyhow::Result<i32> {
    let Some(session) = Session::start(&args.paths, &args.settings)? else {
        return Ok(EXIT_ERROR);
    };
    let mut report = scan_all(
        &session.scanner,
        &session.inputs,
        &args.settings,
        session.pool,
    );
    let triage = Triage {
        config: session.config,
        ..Default::default()
    };
    let suppressed = triage.apply(&mut report);
    let opts = ReportOptions {
        suppressed,
        ..Default::default()
    };
    emit(&report, Format::Json, &opts, Some(&args.output))?;
    if !args.settings.quiet {
        eprintln!(
            "mastiff: baseline of {} written to {}",
            plural(report.findings.len(), "finding"),
            args.output.display()
        );
    }
    Ok(EXIT_OK)
}

/// Everything a scan needs, checked before anything is scanned.
pub(super) struct Session {
    pub(super) inputs: Vec<Input>,
    pub(super) scanner: Scanner,
    pub(super) config: Config,
    pub(super) pool: rayon::ThreadPool,
}

impl Session {
    /// Collects inputs, loads rules and the configuration. `None` (after
    /// printing why) when an input path cannot be read.
    fn start(paths: &[PathBuf], settings: &ScanSettings) -> anyhow::Result<Option<Session>> {
        let (inputs, input_errors) = inputs::collect(paths);
        if !input_errors.is_empty() {
            for e in &input_errors {
                eprintln!("mastiff: error: {}: {}", e.path, e.message);
            }
            return Ok(None);
        }
        let detectors =
            detectors::with_user_rules(settings.rules.as_deref()).context("loading rules")?;
        let mut scanner = Scanner::new(detectors, settings.limits.limits());
        if let Some(as_of) = settings.as_of {
            scanner = scanner.with_options(crate::apps::Options { as_of });
        }
        if let Some(dir) = &settings.cache {
            let key = cache_key(settings.rules.as_deref())?;
            let cache = crate::scan::Cache::open(dir, &key)
                .with_context(|| format!("opening the cache {}", dir.display()))?;
            scanner = scanner.with_cache(cache);
        }
        let cwd = std::env::current_dir().context("finding the working directory")?;
        let config = Config::discover(settings.config.as_deref(), &cwd, scanner.rules())
            .map_err(anyhow::Error::msg)
            .context("invalid configuration")?;
        if settings.verbose {
            match &config.source {
                Some(p) => eprintln!("mastiff: configuration from {}", p.display()),
                None => eprintln!("mastiff: no configuration file"),
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.jobs.unwrap_or(0))
            .build()
            .context("starting worker threads")?;
        Ok(Some(Session {
            inputs,
            scanner,
            config,
            pool,
        }))
    }
}

/// With `--verbose`, says how many entries the cache answered.
pub(super) fn report_cache(scanner: &Scanner, settings: &ScanSettings) {
    if let (true, Some(cache)) = (settings.verbose, scanner.cache()) {
        let (hits, misses) = cache.stats();
        eprintln!("mastiff: cache: {hits} entries reused, {misses} scanned and stored");
    }
}

/// What cached results depend on besides an entry's bytes: this build of
/// mastiff (its executable) and the rules it loaded, user rules included.
fn cache_key(user_rules: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    let exe = std::env::current_exe().context("finding the mastiff executable")?;
    let mut key = std::fs::read(&exe).with_context(|| format!("reading {}", exe.display()))?;
    let mut set = detectors::rules::RuleSet::builtin().context("loading rules")?;
    if let Some(dir) = user_rules {
        set = set.with_user_dir(dir).context("loading rules")?;
    }
    key.extend_from_slice(format!("{:?}", set.rules()).as_bytes());
    Ok(key)
}

/// Scans every input in parallel, reporting progress, and merges the
/// per-input reports into one.
fn scan_all(
    scanner: &Scanner,
    inputs: &[Input],
    settings: &ScanSettings,
    pool: rayon::ThreadPool,
) -> ScanReport {
    let bytes: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let progress = Progress::new(inputs.len(), bytes, settings.quiet, settings.verbose);
    let parts: Vec<ScanReport> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                progress.start(&printable(&input.display));
                let started = Instant::now();
                let part = scanner.scan_inputs(std::slice::from_ref(input));
                progress.done(|| timing_line(&part, Some(started.elapsed().as_millis())));
                part
            })
            .collect()
    });
    progress.finish();
    report_cache(scanner, settings);
    merge(parts).unwrap_or_else(|| scanner.scan_inputs(&[]))
}

/// One report from per-input reports (in input order), findings sorted as
/// one scan sorts them.
fn merge(parts: Vec<ScanReport>) -> Option<ScanReport> {
    let mut parts = parts.into_iter();
    let mut report = parts.next()?;
    for part in parts {
        report.started = report.started.min(part.started);
        report.finished = report.finished.max(part.finished);
        report.scanned.extend(part.scanned);
        report.findings.extend(part.findings);
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Some(report)
}

/// `app.apk: apk, 120 entries, 3 findings, 0 errors, 41 ms`
pub(super) fn timing_line(part: &ScanReport, millis: Option<u128>) -> String {
    let Some(a) = part.scanned.first() else {
        return "nothing scanned".to_string();
    };
    let mut line = format!(
        "{}: {}, {}, {}, {}",
        printable(&a.path),
        a.kind,
        plural(a.entries as usize, "entry"),
        plural(part.findings.len(), "finding"),
        plural(a.errors.len(), "error")
    );
    if let Some(ms) = millis {
        line.push_str(&format!(", {ms} ms"));
    }
    line
}

/// `3 findings (1 critical, 2 high), 1 suppressed, 0 scan errors`
fn summary_line(report: &ScanReport, suppressed: Suppressed) -> String {
    let mut totals = Totals::default();
    totals.add(report);
    totals.line(suppressed)
}

/// Findings per severity and scan errors, added up report by report.
#[derive(Debug, Default)]
pub(super) struct Totals {
    /// Indexed by `Severity as usize`.
    by_severity: [usize; 5],
    errors: usize,
}

impl Totals {
    /// Adds the findings and scan errors of `report`.
    pub(super) fn add(&mut self, report: &ScanReport) {
        for f in &report.findings {
            if let Some(n) = self.by_severity.get_mut(f.severity as usize) {
                *n += 1;
            }
        }
        self.errors += report.error_count();
    }

    /// `3 findings (1 critical, 2 high), 1 suppressed, 0 scan errors`
    pub(super) fn line(&self, suppressed: Suppressed) -> String {
        let by_severity: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter_map(|&s| {
                let n = self.by_severity.get(s as usize).copied().unwrap_or(0);
                (n > 0).then(|| format!("{n} {s}"))
            })
            .collect();
        let mut line = plural(self.by_severity.iter().sum(), "finding");
        if !by_severity.is_empty() {
            line.push_str(&format!(" ({})", by_severity.join(", ")));
        }
        if suppressed.total() > 0 {
            line.push_str(&format!(", {} suppressed", suppressed.total()));
        }
        line.push_str(&format!(", {}", plural(self.errors, "scan error")));
        line
    }
}

/// Writes the report to `output`, or to standard output.
fn emit(
    report: &ScanReport,
    format: Format,
    opts: &ReportOptions,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    reports::render(report, format, opts, &mut buf).context("rendering the report")?;
    match output {
        Some(path) => {
            write_atomically(path, &buf).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .context("writing to standard output")
        }
    }
}

/// Appends the Markdown report to `path` (a job summary collects several).
fn append_summary(report: &ScanReport, opts: &ReportOptions, path: &Path) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let plain = ReportOptions {
        color: false,
        ..opts.clone()
    };
    reports::render(report, Format::Markdown, &plain, &mut buf).context("rendering the summary")?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(&buf)
        .with_context(|| format!("writing {}", path.display()))
}

pub(super) fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, w) => format!("1 {w}"),
        (n, "entry") => format!("{n} entries"),
        (n, w) => format!("{n} {w}s"),
    }
}

/// A file name safe to print on a terminal: control characters become `?`.
pub(super) fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_input_order_and_sorts_findings() {
        let a = crate::reports::sample::report();
        let mut b = a.clone();
        b.started = "2024-04-30T00:00:00Z".into();
        b.finished = "2024-05-02T00:00:00Z".into();
        b.findings.reverse();
        let merged = merge(vec![a.clone(), b]).unwrap();
        assert_eq!(merged.scanned.len(), a.scanned.len() * 2);
        assert_eq!(merged.started, "2024-04-30T00:00:00Z");
        assert_eq!(merged.finished, "2024-05-02T00:00:00Z");
        assert!(merged
            .findings
            .windows(2)
            .all(|w| w[0].sort_key() <= w[1].sort_key()));
        assert!(merge(vec![]).is_none());
    }

    #[test]
    fn summary_line_counts() {
        let report = crate::reports::sample::report();
        let s = Suppressed {
            allowlist: 1,
            baseline: 1,
        };
        assert_eq!(
            summary_line(&report, s),
            "4 findings (1 critical, 1 high, 1 medium, 1 low), 2 suppressed, 2 scan errors"
        );
        assert_eq!(printable("a\x1b[2Jb"), "a?[2Jb");
    }
}
