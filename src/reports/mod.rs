//! Report formats: SARIF 2.1.0, JSON, JSON Lines, Markdown and terminal
//! text; [`merge`] combines JSON reports or SARIF logs of several shards.
//!
//! Each format is a view of one [`ScanReport`]; none of them adds facts the
//! model does not hold. Every format shows a finding's value only through
//! [`display_value`], so secrets stay masked unless the caller asks for them.

mod html;
mod inventory;
mod json;
mod jsonl;
mod markdown;
pub mod merge;
mod sarif;
mod text;

pub use inventory::{render_inventory, InventoryFormat};

use crate::findings::{display_value, Finding, ScanReport, Severity};
use crate::triage::Suppressed;
use std::io::{self, Write};

pub use jsonl::JsonLines;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text, grouped by artifact.
    Text,
    /// The documented JSON report.
    Json,
    /// JSON Lines: one line per input as soon as it is scanned, then a
    /// summary line.
    Jsonl,
    /// SARIF 2.1.0, as GitHub code scanning ingests it.
    Sarif,
    /// Markdown for pull-request comments and job summaries.
    Markdown,
    /// One self-contained HTML page for triage, to open in a browser.
    Html,
}

/// How a report is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Show matched values unmasked.
    pub show_secrets: bool,
    /// Colour the text format with ANSI escapes (ignored by other formats).
    pub color: bool,
    /// Findings held back by the allowlist or the baseline, for the summary.
    pub suppressed: Suppressed,
    /// Replaces `mastiff` at the start of each SARIF run's category
    /// (`automationDetails.id`).
    pub sarif_category: Option<String>,
}

/// Writes `report` to `out` in `format`.
pub fn render(
    report: &ScanReport,
    format: Format,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, opts, out),
        Format::Json => json::render(report, opts, out),
        Format::Jsonl => jsonl::render(report, opts, out),
        Format::Sarif => sarif::render(report, opts, out),
        Format::Markdown => markdown::render(report, opts, out),
        Format::Html => html::render(report, opts, out),
    }
}

/// A finding's value as every format shows it.
///
/// Values of app-level configuration checks (a domain, a setting, a class
/// and method, a date) are not secrets and are shown as they are; every
/// other value is masked unless `--show-secrets`.
fn shown_value(finding: &Finding, opts: &ReportOptions) -> String {
    display_value(
        &finding.value,
        opts.show_secrets || is_plain_setting(finding),
    )
}

/// Whether a finding's value is a configuration fact, a description or a
/// public fingerprint rather than something that may hold a secret.
fn is_plain_setting(finding: &Finding) -> bool {
    crate::apps::rules::shows_value(&finding.rule_id)
}

/// Number of findings at each severity, most severe first.
fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .rev()
        .map(|&s| (s, findings.iter().filter(|f| f.severity == s).count()))
        .collect()
}

#[cfg(test)]
pub(crate) mod sample {
    //! A report built in code: two top-level artifacts (one an archive with
    //! nested entries), findings with and without symbols, and scan errors.

    use crate::findings::{
        fingerprint, Category, Confidence, Finding, Location, RuleInfo, ScanError, ScanReport,
        ScannedArtifact, Severity, ToolInfo,
    };

    /// Values of the sample findings, long enough to be masked.
    pub const SECRET_AWS: &str = "AKIAZ4X5Y6W7V8U9T0S1";
    pub const SECRET_STRIPE: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    pub const SECRET_GOOGLE: &str = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY";
    pub const ENDPOINT: &str = "http://api.example.com/v1";

    pub fn rule(id: &str, name: &str, category: Category, severity: Severity) -> RuleInfo {
        RuleInfo {
            id: id.into(),
            name: name.into(),
            description: format!("Detects {name}. Anyone who unpacks the app can read it."),
            category,
            severity,
            confidence: Confidence::High,
            remediation: "Revoke the credential and move it to a server.".into(),
            references: vec!["https://example.com/docs".into()],
            cwe: vec!["CWE-798".into()],
            platforms: vec!["android".into()],
        }
    }

    pub fn finding(
        rule: &RuleInfo,
        artifact: &str,
        chain: &[&str],
        symbol: Option<&str>,
        value: &str,
    ) -> Finding {
        let mut location = Location::new(chain.iter().map(|s| s.to_string()).collect());
        location.symbol = symbol.map(String::from);
        location.offset = Some(4660);
        Finding {
            rule_id: rule.id.clone(),
            category: rule.category,
            severity: rule.severity,
            confidence: rule.confidence,
            title: rule.name.clone(),
            message: format!("{} found.", rule.name),
            artifact: artifact.into(),
            fingerprint: fingerprint(&rule.id, &location.path, symbol, value),
            location,
            value: value.into(),
        }
    }

    pub fn report() -> ScanReport {
        let aws = rule(
            "aws-access-key-id",
            "AWS access key ID",
            Category::Secret,
            Severity::Critical,
        );
        let stripe = rule(
            "stripe-secret-key",
            "Stripe secret key",
            Category::Secret,
            Severity::High,
        );
        let google = rule(
            "google-api-key",
            "Google API key",
            Category::Secret,
            Severity::Medium,
        );
        let http = rule(
            "cleartext-endpoint",
            "Cleartext HTTP endpoint",
            Category::Endpoint,
            Severity::Low,
        );
        let unused = rule(
            "slack-token",
            "Slack token",
            Category::Secret,
            Severity::High,
        );
        let mut in_text = finding(&http, "config.txt", &["config.txt"], None, ENDPOINT);
        in_text.location.offset = None;
        in_text.location.line = Some(3);
        let findings = vec![
            finding(
                &aws,
                "apps/my app.xapk",
                &["my app.xapk", "base.apk", "classes2.dex"],
                Some("Lcom/example/Keys;"),
                SECRET_AWS,
            ),
            finding(
                &stripe,
                "apps/my app.xapk",
                &["my app.xapk", "base.apk", "classes2.dex"],
                Some("Lcom/example/Pay;->KEY:Ljava/lang/String;"),
                SECRET_STRIPE,
            ),
            finding(
                &google,
                "apps/my app.xapk",
                &["my app.xapk", "base.apk", "res/values/strings.xml"],
                None,
                SECRET_GOOGLE,
            ),
            in_text,
        ];
        ScanReport {
            tool: ToolInfo::default(),
            scanned: vec![
                ScannedArtifact {
                    path: "apps/my app.xapk".into(),
                    sha256: "ab".repeat(32),
                    kind: "xapk".into(),
                    bytes: 123_456,
                    entries: 42,
                    errors: vec![ScanError {
                        path: "base.apk!/lib/arm64-v8a/libfoo.so".into(),
                        message: "truncated section header table".into(),
                    }],
                    ..ScannedArtifact::default()
                },
                ScannedArtifact {
                    path: "config.txt".into(),
                    sha256: "cd".repeat(32),
                    kind: "text".into(),
                    bytes: 99,
                    entries: 0,
                    errors: vec![],
                    ..ScannedArtifact::default()
                },
                ScannedArtifact {
                    path: "lib.so".into(),
                    sha256: "ef".repeat(32),
                    kind: "elf".into(),
                    bytes: 10,
                    entries: 0,
                    errors: vec![ScanError {
                        path: String::new(),
                        message: "not an ELF file".into(),
                    }],
                    ..ScannedArtifact::default()
                },
            ],
            findings,
            rules: vec![aws, stripe, google, http, unused],
            started: "2024-05-01T10:00:00Z".into(),
            finished: "2024-05-01T10:00:02Z".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sample::{self, SECRET_AWS, SECRET_GOOGLE, SECRET_STRIPE};
    use super::*;

    #[test]
    fn configuration_values_are_shown_and_secrets_masked() {
        let opts = ReportOptions::default();
        let check = crate::apps::rules::get("android-cleartext-domain").unwrap();
        let config = sample::finding(check, "app.apk", &["app.apk"], None, "legacy.example.com");
        assert_eq!(shown_value(&config, &opts), "legacy.example.com");
        let key = crate::apps::rules::get("key-keystore-password-in-app").unwrap();
        let password = sample::finding(key, "app.apk", &["app.apk"], None, "Kx9-store-pass!");
        assert_ne!(shown_value(&password, &opts), "Kx9-store-pass!");
        // A transport rule that is not an app-level check (its value is a
        // URL that may carry a token) stays masked.
        let mut url = config.clone();
        url.rule_id = "cleartext-http-url".into();
        url.value = "http://legacy.example.com/feed?token=abcdef123456".into();
        assert_ne!(shown_value(&url, &opts), url.value);
    }

    fn rendered(format: Format, show_secrets: bool) -> String {
        let mut out = Vec::new();
        let opts = ReportOptions {
            show_secrets,
            ..Default::default()
        };
        render(&sample::report(), format, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_format_masks_values_unless_asked() {
        for format in [
            Format::Text,
            Format::Json,
            Format::Jsonl,
            Format::Sarif,
            Format::Markdown,
        ] {
            let masked = rendered(format, false);
            let shown = rendered(format, true);
            for secret in [SECRET_AWS, SECRET_STRIPE, SECRET_GOOGLE] {
                assert!(!masked.contains(secret), "{format:?} leaks {secret}");
                assert!(
                    shown.contains(secret),
                    "{format:?} hides {secret} with show_secrets"
                );
                assert!(
                    masked.contains(&crate::findings::mask(secret)),
                    "{format:?} lacks masked value"
                );
            }
        }
    }

    #[test]
    fn counts_run_from_critical_to_info() {
        let counts = severity_counts(&sample::report().findings);
        assert_eq!(counts.first(), Some(&(Severity::Critical, 1)));
        assert_eq!(counts.last(), Some(&(Severity::Info, 0)));
        assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 4);
    }
}
