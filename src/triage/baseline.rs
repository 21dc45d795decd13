//! Baselines: the fingerprints of an earlier report, so that only new
//! findings are reported.
//!
//! Any mastiff JSON report is a baseline (`findings[].fingerprint`), and so is
//! any mastiff SARIF log (`runs[].results[].partialFingerprints["mastiff/v1"]`).

use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// Largest baseline file read, in bytes.
const MAX_BASELINE_BYTES: u64 = 512 << 20;

/// Fingerprints of findings already known.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a JSON or SARIF report written by mastiff.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let len = std::fs::metadata(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        if len > MAX_BASELINE_BYTES {
            return Err(format!(
                "{}: larger than {MAX_BASELINE_BYTES} bytes",
                path.display()
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Baseline::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses a JSON or SARIF report.
    pub fn parse(bytes: &[u8]) -> Result<Baseline, String> {
        let doc: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("not a JSON document: {e}"))?;
        let fingerprints: HashSet<String> = if let Some(findings) = doc.get("findings") {
            let findings = findings.as_array().ok_or("`findings` is not an array")?;
            findings
                .iter()
                .filter_map(|f| f.get("fingerprint")?.as_str())
                .map(str::to_string)
                .collect()
        } else if let Some(runs) = doc.get("runs").and_then(Value::as_array) {
            runs.iter()
                .filter_map(|r| r.get("results")?.as_array())
                .flatten()
                .filter_map(|r| r.get("partialFingerprints")?.get("mastiff/v1")?.as_str())
                .map(str::to_string)
                .collect()
        } else {
            return Err(
                "neither a mastiff JSON report (`findings`) nor a SARIF log (`runs`)".to_string(),
            );
        };
        Ok(Baseline { fingerprints })
    }

    /// True when the baseline already holds this fingerprint.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    /// Number of fingerprints held.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_reports() {
        let b = Baseline::parse(
            br#"{"findings":[{"fingerprint":"aa"},{"fingerprint":"bb"},{"rule_id":"x"}],"summary":{}}"#,
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        assert!(b.contains("aa") && b.contains("bb") && !b.contains("cc"));
    }

    #[test]
    fn reads_sarif_logs_across_runs() {
        let b = Baseline::parse(
            br#"{"version":"2.1.0","runs":[
                {"results":[{"partialFingerprints":{"mastiff/v1":"aa","primaryLocationLineHash":"aa:1"}}]},
                {"results":[{"partialFingerprints":{"mastiff/v1":"bb"}},{"ruleId":"x"}]},
                {"tool":{}}]}"#,
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        assert!(b.contains("bb"));
    }

    #[test]
    fn rejects_other_documents() {
        assert!(Baseline::parse(b"not json")
            .unwrap_err()
            .contains("not a JSON"));
        assert!(Baseline::parse(b"{\"a\":1}")
            .unwrap_err()
            .contains("neither"));
        assert!(Baseline::parse(b"{\"findings\":3}")
            .unwrap_err()
            .contains("not an array"));
    }
}
