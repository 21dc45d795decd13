//! The JSON report: one pretty-printed object, stable field names.
//!
//! ```text
//! {
//!   "tool":     { "name", "version" },
//!   "scanned":  [ { "path", "sha256", "kind", "bytes", "entries",
//!                   "errors": [ { "path", "message" } ] } ],
//!   "findings": [ { "rule_id", "category", "severity", "confidence", "title",
//!                   "message", "artifact",
//!                   "location": { "chain": [..], "path", "offset", "line", "symbol" },
//!                   "value", "fingerprint" } ],
//!   "summary":  { "critical", "high", "medium", "low", "info",
//!                 "suppressed", "suppressed_by": { "allowlist", "baseline" } }
//! }
//! ```
//!
//! `summary` counts reported findings per severity; `suppressed` counts
//! findings held back by the allowlist or the baseline (not listed).
//!
//! `offset`, `line` and `symbol` are `null` when unknown. `value` is masked
//! unless secrets are shown. Enumerations are lower-case strings.

use super::{shown_value, ReportOptions};
use crate::findings::{
    Category, Confidence, Finding, Location, ScanReport, ScannedArtifact, Severity, ToolInfo,
};
use crate::triage::Suppressed;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonReport<'a> {
    tool: &'a ToolInfo,
    scanned: &'a [ScannedArtifact],
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

/// Findings per severity, most severe first, then those held back.
#[derive(Serialize, Default)]
pub(super) struct Summary {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
    suppressed: usize,
    suppressed_by: Suppressed,
}

impl Summary {
    pub(super) fn new(findings: &[Finding], suppressed: Suppressed) -> Self {
        let mut summary = Summary::default();
        summary.count(findings);
        summary.suppressed(suppressed);
        summary
    }

    /// Adds `findings` to the counts per severity.
    pub(super) fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            let n = match f.severity {
                Severity::Critical => &mut self.critical,
                Severity::High => &mut self.high,
                Severity::Medium => &mut self.medium,
                Severity::Low => &mut self.low,
                Severity::Info => &mut self.info,
            };
            *n += 1;
        }
    }

    /// Sets what the allowlist and the baseline held back.
    pub(super) fn suppressed(&mut self, suppressed: Suppressed) {
        self.suppressed = suppressed.total();
        self.suppressed_by = suppressed;
    }
}

#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    rule_id: &'a str,
    category: Category,
    severity: Severity,
    confidence: Confidence,
    title: &'a str,
    message: &'a str,
    artifact: &'a str,
    location: &'a Location,
    value: String,
    fingerprint: &'a str,
}

impl<'a> JsonFinding<'a> {
    pub(super) fn new(f: &'a Finding, opts: &ReportOptions) -> Self {
        JsonFinding {
            rule_id: &f.rule_id,
            category: f.category,
            severity: f.severity,
            confidence: f.confidence,
            title: &f.title,
            message: &f.message,
            artifact: &f.artifact,
            location: &f.location,
            value: shown_value(f, opts),
            fingerprint: &f.fingerprint,
        }
    }
}

/// Writes the JSON report, followed by a newline.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = JsonReport {
        tool: &report.tool,
        scanned: &report.scanned,
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding::new(f, opts))
            .collect(),
        summary: Summary::new(&report.findings, opts.suppressed),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;
    use serde_json::Value;

    fn keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        k.sort_unstable();
        k
    }

    fn parsed() -> (String, Value) {
        let mut out = Vec::new();
        render(&sample::report(), &ReportOptions::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v = serde_json::from_str(&text).unwrap();
        (text, v)
    }

    #[test]
    fn field_names_are_the_documented_ones() {
        let (text, v) = parsed();
        assert_eq!(keys(&v), ["findings", "scanned", "summary", "tool"]);
        assert_eq!(keys(&v["tool"]), ["name", "version"]);
        assert_eq!(v["tool"]["name"], "mastiff");
        let a = &v["scanned"][0];
        assert_eq!(
            keys(a),
            ["bytes", "entries", "errors", "kind", "path", "sha256"]
        );
        assert_eq!(keys(&a["errors"][0]), ["message", "path"]);
        assert_eq!(a["errors"][0]["path"], "base.apk!/lib/arm64-v8a/libfoo.so");
        let f = &v["findings"][0];
        assert_eq!(
            keys(f),
            [
                "artifact",
                "category",
                "confidence",
                "fingerprint",
                "location",
                "message",
                "rule_id",
                "severity",
                "title",
                "value"
            ]
        );
        assert_eq!(
            keys(&f["location"]),
            ["chain", "line", "offset", "path", "symbol"]
        );
        assert_eq!(f["severity"], "critical");
        assert_eq!(f["category"], "secret");
        assert_eq!(f["location"]["chain"][2], "classes2.dex");
        assert_eq!(f["location"]["path"], "base.apk!/classes2.dex");
        assert_eq!(f["location"]["offset"], 4660);
        assert_eq!(f["value"], crate::findings::mask(sample::SECRET_AWS));
        assert_eq!(
            keys(&v["summary"]),
            [
                "critical",
                "high",
                "info",
                "low",
                "medium",
                "suppressed",
                "suppressed_by"
            ]
        );
        assert!(text.contains("\"summary\": {\n    \"critical\": 1,\n    \"high\": 1,\n    \"medium\": 1,\n    \"low\": 1,\n    \"info\": 0,\n    \"suppressed\": 0,"));
        assert_eq!(
            v["summary"]["suppressed_by"],
            serde_json::json!({"allowlist": 0, "baseline": 0})
        );
        assert_eq!(v["summary"]["critical"], 1);
        assert_eq!(v["summary"]["info"], 0);
    }

    #[test]
    fn unknown_positions_are_null() {
        let (_, v) = parsed();
        let text_finding = &v["findings"][3];
        assert_eq!(text_finding["location"]["line"], 3);
        assert!(text_finding["location"]["offset"].is_null());
        assert!(text_finding["location"]["symbol"].is_null());
        assert!(v["findings"][0]["location"]["line"].is_null());
    }

    #[test]
    fn pretty_with_trailing_newline() {
        let (text, _) = parsed();
        assert!(text.starts_with("{\n  \"tool\""));
        assert!(text.ends_with("}\n"));
    }
}
