//! Android app-level checks: the manifest, the network security config, the
//! pinning and trust code in DEX, and the signing block.

pub mod aab;
pub mod code;
pub mod manifest;
pub mod nsc;
pub mod resources;
pub mod signing;

use super::{AppFiles, Issue, Options};
use crate::formats::axml::{self, XmlDocument};
use crate::formats::FormatError;
use nsc::policy::TransportPolicy;
use resources::Resources;
use serde::Serialize;

/// One Android app as its checks see it, whatever the packaging (an APK, or
/// the base module of an AAB).
pub struct AndroidApp<'a> {
    /// The app's entries.
    pub files: &'a dyn AppFiles,
    /// Name of the entry holding the manifest.
    pub manifest_entry: String,
    /// The decoded manifest.
    pub manifest: XmlDocument,
    /// The resource table, when the app has a readable one.
    pub resources: Option<Box<dyn Resources + 'a>>,
    /// What resource file paths are relative to inside the archive: empty
    /// for an APK, `base/` for an AAB module.
    pub prefix: String,
    /// Decodes a compiled XML resource (binary XML in an APK, protobuf XML in
    /// an AAB).
    pub decode_xml: fn(&[u8]) -> Result<XmlDocument, FormatError>,
}

impl<'a> AndroidApp<'a> {
    /// Reads an APK's manifest and resources.arsc.
    pub fn from_apk(files: &'a dyn AppFiles) -> Result<Self, String> {
        const MANIFEST: &str = "AndroidManifest.xml";
        let bytes = files
            .read(MANIFEST)
            .ok_or_else(|| "AndroidManifest.xml cannot be read".to_string())?;
        let manifest = axml::parse(&bytes).map_err(|e| format!("AndroidManifest.xml: {e}"))?;
        let resources = files
            .read("resources.arsc")
            .and_then(|b| crate::formats::arsc::parse(&b).ok())
            .map(|t| Box::new(t) as Box<dyn Resources>);
        Ok(AndroidApp {
            files,
            manifest_entry: MANIFEST.into(),
            manifest,
            resources,
            prefix: String::new(),
            decode_xml: axml::parse,
        })
    }

    /// Reads and decodes the compiled XML resource at `path` (relative to
    /// [`AndroidApp::prefix`]); returns the entry name with the document.
    pub fn xml_resource(&self, path: &str) -> Option<(String, Result<XmlDocument, FormatError>)> {
        let entry = format!("{}{path}", self.prefix);
        let bytes = self.files.read(&entry)?;
        let doc = (self.decode_xml)(&bytes);
        Some((entry, doc))
    }
}

/// What the Android checks found in one app.
#[derive(Debug, Clone, Default)]
pub struct AndroidAnalysis {
    pub issues: Vec<Issue>,
    pub summary: AndroidSummary,
}

/// The manifest facts and the effective transport policy of one app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AndroidSummary {
    pub package: Option<String>,
    pub version_name: Option<String>,
    pub version_code: Option<i64>,
    pub min_sdk: Option<u32>,
    /// The target API level in force: declared, else `min_sdk`.
    pub target_sdk: Option<u32>,
    pub debuggable: bool,
    pub test_only: bool,
    /// `android:allowBackup`, true when absent.
    pub allow_backup: bool,
    /// `android:usesCleartextTraffic` as declared (ignored on API 24+ when a
    /// network security config is present).
    pub uses_cleartext_traffic: Option<bool>,
    /// Entry name of the network security config.
    pub network_security_config: Option<String>,
    /// Why Android would refuse the network security config.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub network_security_config_errors: Vec<String>,
    /// Debug overrides and whether they apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_overrides: Option<nsc::DebugOverrides>,
    /// The policy per domain: the base config (`domain: null`) first.
    pub transport: Vec<TransportPolicy>,
    /// URL schemes the app's intent filters register (deep links), sorted;
    /// `http` and `https` left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_schemes: Vec<String>,
}

impl AndroidSummary {
    /// Domains whose pins Android enforces.
    pub fn pinned_domains(&self) -> Vec<String> {
        nsc::policy::pinned_domains(&self.transport)
    }

    /// The policy Android applies to connections to `host`.
    pub fn policy_for_host(&self, host: &str) -> Option<&TransportPolicy> {
        nsc::policy::for_host(&self.transport, host)
    }
}

/// Runs the manifest and network security config checks on `app`.
pub fn analyze(app: &AndroidApp<'_>, options: &Options) -> AndroidAnalysis {
    let m = manifest::Manifest::read(&app.manifest, app.resources.as_deref());
    let mut issues = manifest::check(&m, &app.manifest_entry);
    let nsc = nsc::analyze(app, &m, options.as_of);
    issues.extend(nsc.issues);
    AndroidAnalysis {
        issues,
        summary: AndroidSummary {
            target_sdk: m.target_sdk.or(m.min_sdk),
            package: m.package,
            version_name: m.version_name,
            version_code: m.version_code,
            min_sdk: m.min_sdk,
            debuggable: m.debuggable,
            test_only: m.test_only,
            allow_backup: m.allow_backup.unwrap_or(true),
            uses_cleartext_traffic: m.uses_cleartext_traffic,
            network_security_config: nsc.entry,
            network_security_config_errors: nsc.errors,
            debug_overrides: nsc.debug_overrides,
            transport: nsc.transport,
            url_schemes: m.url_schemes,
        },
    }
}
