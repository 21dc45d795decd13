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
pub mod keystores;
pub mod pinning;
pub mod pinning_material;
pub mod rules;
pub mod transport;

use crate::archives::ArchiveKind;
use crate::findings::{Confidence, Severity};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Read access to the entries of one app archive.
pub trait AppFiles: Sync {
    /// Every entry name, in archive order (safe display labels).
    fn names(&self) -> &[String];
    /// The contents of entry `name`, within the scan's limits; `None` when
    /// absent or unreadable.
    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>>;
    /// The archive's own bytes and the offset of its central directory, for
    /// structures outside any entry (the APK signing block).
    fn archive(&self) -> Option<(&[u8], u64)> {
        None
    }
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
pub enum Fact {
    /// A keystore that no common password opens (its bytes, at most a few
    /// MB): the app's own strings are tried once the app is analysed.
    Keystore { bytes: Vec<u8> },
    /// The entry is a framework's payload recognised by content (a Dart
    /// snapshot binary, Hermes bytecode, a metro bundle), whatever its name.
    Framework { name: String },
}

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
    /// Keystores opened (or not) at app level, `path` relative to the app.
    pub certificates: Vec<crate::findings::CertificateRecord>,
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
    /// Cross-platform frameworks the app is built with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<String>,
    /// Manifest facts and the effective network security policy per domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub android: Option<android::AndroidSummary>,
    /// Pinning set up in DEX code: libraries, literal hosts and pins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_pinning: Option<android::code::PinningSummary>,
    /// The APK signing certificate (v1 signature block).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing: Option<crate::formats::certs::CertInfo>,
    /// Bundle facts, App Transport Security per domain, provisioning and
    /// pinning libraries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ios: Option<ios::IosSummary>,
    /// Whether any pinning is configured or set up in code (for the
    /// missing-pinning check).
    #[serde(skip)]
    pub pins: bool,
}

/// Analyses one app archive of `kind` whose walk produced `facts` (the facts
/// of its own entries, nested apps excluded; `chain_len` is the length of the
/// app's own chain, so a fact's entry path is the rest of its chain). `None`
/// for archives that are not apps (plain ZIP, JAR, an XAPK container).
pub fn analyze(
    kind: ArchiveKind,
    files: &dyn AppFiles,
    facts: &[LocatedFact],
    chain_len: usize,
    options: &Options,
) -> Option<AppAnalysis> {
    let mut out = AppAnalysis::default();
    match kind {
        ArchiveKind::Apk | ArchiveKind::Aab => analyze_android(kind, files, options, &mut out),
        ArchiveKind::Ipa => analyze_ios(files, options, &mut out),
        _ => return None,
    }
    out.summary.frameworks = frameworks::detect(files.names())
        .into_iter()
        .map(str::to_string)
        .collect();
    for fact in facts {
        if let Fact::Framework { name } = &fact.fact {
            if !out.summary.frameworks.contains(name) {
                out.summary.frameworks.push(name.clone());
            }
        }
    }
    out.issues.extend(frameworks::config_issues(files));
    let locked: Vec<(String, &[u8])> = facts
        .iter()
        .filter_map(|f| match &f.fact {
            Fact::Keystore { bytes } => Some((
                f.chain.get(chain_len..).unwrap_or_default().join("!/"),
                bytes.as_slice(),
            )),
            Fact::Framework { .. } => None,
        })
        .collect();
    if !locked.is_empty() {
        let candidates = keystores::candidates(files);
        for (entry, bytes) in locked {
            let analysis = keystores::locked(&entry, bytes, &candidates, options.as_of);
            out.issues.extend(analysis.issues);
            out.certificates.extend(analysis.record.map(|mut record| {
                record.path = entry;
                record
            }));
        }
    }
    Some(out)
}

fn analyze_android(
    kind: ArchiveKind,
    files: &dyn AppFiles,
    options: &Options,
    out: &mut AppAnalysis,
) {
    let summary = &mut out.summary;
    summary.platform = "android".into();
    let app = match kind {
        ArchiveKind::Aab => android::AndroidApp::from_aab(files),
        _ => android::AndroidApp::from_apk(files),
    };
    if let Ok(app) = app {
        let analysis = android::analyze(&app, options);
        out.issues.extend(analysis.issues);
        summary.id = analysis.summary.package.clone();
        summary.version = analysis.summary.version_name.clone();
        summary.pins |= !analysis.summary.pinned_domains().is_empty();
        summary.android = Some(analysis.summary);
    }
    let dex: Vec<&String> = files
        .names()
        .iter()
        .filter(|n| {
            let base = n.rsplit('/').next().unwrap_or(n);
            base.starts_with("classes") && base.ends_with(".dex")
        })
        .collect();
    let code: Vec<(String, android::code::CodeFacts)> = dex
        .par_iter()
        .filter_map(|name| {
            let bytes = files.read(name)?;
            let facts = android::code::analyze_dex(&bytes).ok()?;
            Some(((*name).clone(), facts))
        })
        .collect();
    if !code.is_empty() {
        out.issues.extend(android::code::issues(&code));
        let pinning = android::code::pinning_summary(&code);
        summary.pins |= !pinning.libraries.is_empty() || !pinning.pins.is_empty();
        summary.code_pinning = Some(pinning);
    }
    if let Some((entry, info)) = android::signing::certificate(files) {
        out.issues
            .extend(android::signing::issues(&entry, &info, options.as_of));
        summary.signing = Some(info);
    }
}

fn analyze_ios(files: &dyn AppFiles, options: &Options, out: &mut AppAnalysis) {
    out.summary.platform = "ios".into();
    let binaries: Vec<(String, ios::pinning::BinaryFacts)> = ios::binary_entries(files)
        .into_par_iter()
        .filter_map(|name| {
            let bytes = files.read(&name)?;
            let facts = ios::pinning::binary_facts(&bytes);
            Some((name, facts))
        })
        .collect();
    let analysis = ios::analyze(files, &binaries, options);
    out.issues.extend(analysis.issues);
    let s = analysis.summary;
    out.summary.id = s.bundle_id.clone();
    out.summary.version = s.version.clone();
    out.summary.pins =
        !s.pinned_domains.is_empty() || s.pinning.iter().any(|b| !b.libraries.is_empty());
    out.summary.ios = Some(s);
}
