//! The JSON Lines report: one compact JSON object per line, written as each
//! input is finished, so a batch of any size is reported in bounded memory.
//!
//! ```text
//! {"artifact": { "path", "sha256", "kind", "bytes", "entries", "errors", … },
//!  "findings": [ { "rule_id", …, "fingerprint" } ]}          one line per input
//! {"tool": { "name", "version" }, "summary": { "critical", …, "suppressed_by" }}
//! ```
//!
//! Artifact and finding objects are those of the JSON report; the last line
//! holds the JSON report's `tool` and `summary`. Input lines come in the
//! order inputs finish, which varies from run to run; each input's findings
//! are sorted as in the JSON report.

use super::json::{JsonFinding, Summary};
use super::ReportOptions;
use crate::findings::{Finding, ScanReport, ScannedArtifact, ToolInfo};
use crate::triage::Suppressed;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

/// A JSON Lines report being written to `W`, one input at a time.
pub struct JsonLines<W: Write> {
    out: W,
    opts: ReportOptions,
    summary: Summary,
}

#[derive(Serialize)]
struct InputLine<'a> {
    artifact: &'a ScannedArtifact,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    tool: &'a ToolInfo,
    summary: &'a Summary,
}

impl<W: Write> JsonLines<W> {
    /// A report written to `out`, values shown as `opts` says.
    pub fn new(out: W, opts: ReportOptions) -> Self {
        JsonLines {
            out,
            opts,
            summary: Summary::default(),
        }
    }

    /// Writes (and flushes) the line of one scanned input and its findings.
    pub fn input(&mut self, artifact: &ScannedArtifact, findings: &[Finding]) -> io::Result<()> {
        self.summary.count(findings);
        let line = InputLine {
            artifact,
            findings: findings
                .iter()
                .map(|f| JsonFinding::new(f, &self.opts))
                .collect(),
        };
        self.line(&line)
    }

    /// Writes the summary line and returns the writer.
    pub fn finish(mut self, tool: &ToolInfo, suppressed: Suppressed) -> io::Result<W> {
        self.summary.suppressed(suppressed);
        let line = SummaryLine {
            tool,
            summary: &self.summary,
        };
        let bytes = serde_json::to_vec(&line)?;
        self.out.write_all(&bytes)?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn line(&mut self, value: &impl Serialize) -> io::Result<()> {
        let bytes = serde_json::to_vec(value)?;
        self.out.write_all(&bytes)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

/// Writes a finished report as JSON Lines, inputs in report order.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut by_artifact: HashMap<&str, Vec<Finding>> = HashMap::new();
    for f in &report.findings {
        by_artifact
            .entry(f.artifact.as_str())
            .or_default()
            .push(f.clone());
    }
    let mut lines = JsonLines::new(out, opts.clone());
    for artifact in &report.scanned {
        let findings = by_artifact
            .remove(artifact.path.as_str())
            .unwrap_or_default();
        lines.input(artifact, &findings)?;
    }
    // Findings of an artifact the report does not list (none in a report
    // made by a scan) still get a line, under a stand-in artifact.
    let mut orphans: Vec<(&str, Vec<Finding>)> = by_artifact.into_iter().collect();
    orphans.sort_by(|a, b| a.0.cmp(b.0));
    for (path, findings) in orphans {
        let artifact = ScannedArtifact {
            path: path.to_string(),
            sha256: String::new(),
            kind: "unknown".into(),
            ..ScannedArtifact::default()
        };
        lines.input(&artifact, &findings)?;
    }
    lines.finish(&report.tool, opts.suppressed).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::super::{json, sample};
    use super::*;
    use serde_json::Value;

    fn lines(report: &ScanReport, opts: &ReportOptions) -> Vec<Value> {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with('\n'));
        text.lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON value"))
            .collect()
    }

    #[test]
    fn one_line_per_input_then_the_json_summary() {
        let report = sample::report();
        let opts = ReportOptions {
            suppressed: Suppressed {
                allowlist: 2,
                baseline: 1,
            },
            ..Default::default()
        };
        let lines = lines(&report, &opts);
        assert_eq!(lines.len(), report.scanned.len() + 1);
        let mut whole = Vec::new();
        json::render(&report, &opts, &mut whole).unwrap();
        let whole: Value = serde_json::from_slice(&whole).unwrap();
        for (i, line) in lines[..report.scanned.len()].iter().enumerate() {
            assert_eq!(line["artifact"], whole["scanned"][i]);
        }
        let findings: Vec<&Value> = lines
            .iter()
            .filter_map(|l| l["findings"].as_array())
            .flatten()
            .collect();
        let expected: Vec<&Value> = whole["findings"].as_array().unwrap().iter().collect();
        assert_eq!(findings, expected);
        let last = lines.last().unwrap();
        assert_eq!(last["summary"], whole["summary"]);
        assert_eq!(last["summary"]["suppressed"], 3);
        assert_eq!(last["tool"], whole["tool"]);
        assert!(lines[2]["findings"].as_array().unwrap().is_empty());
    }

    #[test]
    fn masks_values_and_lists_findings_of_unlisted_artifacts() {
        let mut report = sample::report();
        report.scanned.truncate(1);
        let lines = lines(&report, &ReportOptions::default());
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["artifact"]["path"], "config.txt");
        assert_eq!(lines[1]["artifact"]["kind"], "unknown");
        let text = lines.iter().map(Value::to_string).collect::<String>();
        assert!(!text.contains(sample::SECRET_AWS));
    }
}
