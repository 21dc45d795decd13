//! App-level analysis: checks that need more than one string at a time.
//!
//! The string pipeline sees one value at a time. Platform rules do not: a
//! cleartext exception lives in a network security config that the manifest
//! names through resources.arsc; a pin-set matters only if no trust-all
//! TrustManager undoes it in some DEX file. Once the walk of an app archive
//! (APK, AAB, IPA) is done, [`analyze`] reads the entries it needs through
//! [`AppFiles`], joins them with the [`Fact`]s collected from the app's
//! entries during the walk, and returns [`Issue`]s (located and turned into
//! findings by the scan) and an [`AppSummary`] (the facts users see in JSON).

pub mod android;
pub mod certs;
pub mod frameworks;
pub mod ios;
pub mod rules;

use crate::archives::ArchiveKind;
use crate::findings::{Confidence, Severity};
use serde::Serialize;
use std::borrow::Cow;

/// Read access to the entries of one app archive.
pub trait AppFiles {
    /// Every entry name, in archive order (safe display labels).
    fn names(&self) -> &[String];
    /// The contents of entry `name`, within the scan's limits; `None` when
    /// absent or unreadable.
    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>>;
}

/// Settings of app-level analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The day expiry dates are compared with (pin-sets, certificates,
    /// provisioning profiles): today unless the user says `--as-of`.
    pub as_of: time::Date,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: time::OffsetDateTime::now_utc().date(),
        }
    }
}

/// A problem an app-level check found, before the scan pipeline locates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Id of a rule declared in `signatures/checks/`.
    pub rule_id: &'static str,
    /// Name of the entry inside the app that holds the problem
    /// (`res/xml/network_security_config.xml`, `classes2.dex`); empty for the
    /// app as a whole.
    pub entry: String,
    /// Class, method, domain or key the problem is attached to.
    pub symbol: Option<String>,
    /// 1-based line inside the entry, for text formats.
    pub line: Option<u32>,
    /// The evidence (a domain, a pin, a setting), fingerprinted with the
    /// rule; masked in reports like any value unless asked otherwise.
    pub value: String,
    /// One or two sentences saying what is wrong and why it matters.
    pub message: String,
    /// Overrides the rule's default severity.
    pub severity: Option<Severity>,
    /// Overrides the rule's default confidence.
    pub confidence: Option<Confidence>,
}

impl Issue {
    /// An issue of `rule_id` in `entry` with the rule's default severity.
    pub fn new(
        rule_id: &'static str,
        entry: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            rule_id,
            entry: entry.into(),
            symbol: None,
            line: None,
            value: value.into(),
            message: message.into(),
            severity: None,
            confidence: None,
        }
    }

    /// The same issue attached to `symbol`.
    pub fn with_symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = Some(symbol.into());
        self
    }

    /// The same issue with a different severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// Something learned from one entry during the walk that an app-level check
/// needs later (an entry is read once; its facts travel with the outcome).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub enum Fact {}

/// A fact with the chain of the entry it came from (outermost first).
#[derive(Debug, Clone)]
pub struct LocatedFact {
    pub chain: Vec<String>,
    pub fact: Fact,
}

/// What the analysis of one app found.
#[derive(Debug, Default)]
pub struct AppAnalysis {
    pub issues: Vec<Issue>,
    pub summary: AppSummary,
}

/// The facts about one app shown in the JSON report (`scanned[].apps[]`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct AppSummary {
    /// `android` or `ios`.
    pub platform: String,
    /// Path of the app inside the scanned file (`base.apk` in an XAPK);
    /// empty when the scanned file is the app.
    pub path: String,
    /// Package name or bundle identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Version name / short version string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Analyses one app archive of `kind` whose walk produced `facts` (the facts
/// of its own entries, nested apps excluded). `None` for archives that are
/// not apps (plain ZIP, JAR, an XAPK container itself).
pub fn analyze(
    kind: ArchiveKind,
    files: &dyn AppFiles,
    _facts: &[LocatedFact],
    _options: &Options,
) -> Option<AppAnalysis> {
    let platform = match kind {
        ArchiveKind::Apk | ArchiveKind::Aab => "android",
        ArchiveKind::Ipa => "ios",
        _ => return None,
    };
    let mut summary = AppSummary {
        platform: platform.into(),
        ..AppSummary::default()
    };
    if kind == ArchiveKind::Apk {
        if let Ok(app) = android::AndroidApp::from_apk(files) {
            let root = app.manifest.root();
            summary.id = root
                .and_then(|r| r.attr_str("", "package"))
                .map(str::to_string);
        }
    }
    Some(AppAnalysis {
        issues: Vec::new(),
        summary,
    })
}
