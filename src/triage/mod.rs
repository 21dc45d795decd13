//! Triage: what a scan reports once the team's decisions are applied —
//! rules turned off, severities changed, a confidence floor, accepted
//! findings (allowlist) and findings already known (baseline).
//!
//! Findings left out by the allowlist or the baseline are counted
//! ([`Suppressed`]) so that every report can say how many there were.

mod allowlist;
mod baseline;
mod config;

pub use allowlist::{AllowEntry, Allowlist};
pub use baseline::Baseline;
pub use config::{Config, CONFIG_FILE};

use crate::findings::{Confidence, ScanReport};
use serde::Serialize;

/// Findings that were found but not reported, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// Accepted by an allowlist entry.
    pub allowlist: usize,
    /// Already in the baseline.
    pub baseline: usize,
}

impl Suppressed {
    /// All suppressed findings.
    pub fn total(&self) -> usize {
        self.allowlist + self.baseline
    }
}

/// Everything that decides which findings are reported.
#[derive(Debug, Default)]
pub struct Triage {
    pub config: Config,
    pub baseline: Option<Baseline>,
    /// Findings less confident than this are dropped (not counted).
    pub min_confidence: Option<Confidence>,
}

impl Triage {
    /// Applies rule selection, severity overrides, the confidence floor,
    /// the allowlist and the baseline to `report`, in that order; returns
    /// what the allowlist and the baseline held back.
    pub fn apply(&self, report: &mut ScanReport) -> Suppressed {
        let config = &self.config;
        report.rules.retain(|r| config.rule_enabled(&r.id));
        for rule in &mut report.rules {
            if let Some(&s) = config.severity.get(&rule.id) {
                rule.severity = s;
            }
        }
        let floor = self.min_confidence.unwrap_or(Confidence::Low);
        let mut suppressed = Suppressed::default();
        report.findings.retain_mut(|f| {
            if !config.rule_enabled(&f.rule_id) || f.confidence < floor {
                return false;
            }
            if let Some(&s) = config.severity.get(&f.rule_id) {
                f.severity = s;
            }
            if config.allowlist.accepting(f).is_some() {
                suppressed.allowlist += 1;
                return false;
            }
            if self
                .baseline
                .as_ref()
                .is_some_and(|b| b.contains(&f.fingerprint))
            {
                suppressed.baseline += 1;
                return false;
            }
            true
        });
        suppressed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{RuleInfo, Severity};
    use crate::reports::sample;

    fn triage(config: &str, baseline: Option<&str>, floor: Option<Confidence>) -> Triage {
        let rules: Vec<RuleInfo> = sample::report().rules;
        Triage {
            config: Config::parse(config, &rules).unwrap(),
            baseline: baseline.map(|b| Baseline::parse(b.as_bytes()).unwrap()),
            min_confidence: floor,
        }
    }

    #[test]
    fn nothing_configured_changes_nothing() {
        let mut report = sample::report();
        let before = report.findings.clone();
        assert_eq!(
            triage("", None, None).apply(&mut report),
            Suppressed::default()
        );
        assert_eq!(report.findings, before);
    }

    #[test]
    fn applies_each_decision_and_counts_suppressions() {
        let mut report = sample::report();
        let aws_fp = report.findings[0].fingerprint.clone();
        let t = triage(
            r#"
            [rules]
            disable = ["cleartext-endpoint"]
            [severity]
            google-api-key = "critical"
            [[allowlist]]
            rule = "stripe-secret-key"
            reason = "test account"
            "#,
            Some(&format!(r#"{{"findings":[{{"fingerprint":"{aws_fp}"}}]}}"#)),
            None,
        );
        let s = t.apply(&mut report);
        assert_eq!(
            s,
            Suppressed {
                allowlist: 1,
                baseline: 1
            }
        );
        assert_eq!(s.total(), 2);
        let left: Vec<(&str, Severity)> = report
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.severity))
            .collect();
        assert_eq!(left, [("google-api-key", Severity::Critical)]);
        assert!(report.rule("cleartext-endpoint").is_none());
        assert_eq!(
            report.rule("google-api-key").map(|r| r.severity),
            Some(Severity::Critical)
        );
    }

    #[test]
    fn confidence_floor_drops_without_counting() {
        let mut report = sample::report();
        report.findings[1].confidence = Confidence::Low;
        report.findings[2].confidence = Confidence::Medium;
        let s = triage("", None, Some(Confidence::Medium)).apply(&mut report);
        assert_eq!(s.total(), 0);
        assert_eq!(report.findings.len(), 3);
        assert!(report
            .findings
            .iter()
            .all(|f| f.confidence >= Confidence::Medium));
    }
}
