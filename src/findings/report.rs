use super::{Finding, RuleInfo};
use serde::Serialize;

/// The result of one `mastiff scan`: what was scanned, what was found, and
/// every rule that could have fired. Every report format renders this.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub tool: ToolInfo,
    /// One entry per input file, in input order.
    pub scanned: Vec<ScannedArtifact>,
    /// Every finding, sorted by artifact, location and rule.
    pub findings: Vec<Finding>,
    /// Every rule that can fire in this configuration (not only those that
    /// did), for SARIF `tool.driver.rules`.
    #[serde(skip)]
    pub rules: Vec<RuleInfo>,
    /// Wall-clock start and end of the scan, RFC 3339 UTC.
    #[serde(skip)]
    pub started: String,
    #[serde(skip)]
    pub finished: String,
}

/// Name and version of the tool that produced a report.
#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "mastiff".into(),
            version: crate::VERSION.into(),
        }
    }
}

/// One scanned input file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScannedArtifact {
    /// Path as given (or found under a given directory).
    pub path: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// What the file is: `apk`, `aab`, `xapk`, `ipa`, `jar`, `aar`, `zip`,
    /// `dex`, `mach-o`, `mach-o-fat`, `elf`, `text`, …
    pub kind: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Number of archive entries visited, nested ones included (0 for a
    /// file that is not an archive).
    pub entries: u64,
    /// Everything that could not be read, or was read only in part.
    pub errors: Vec<ScanError>,
    /// Cross-platform frameworks the file's apps (or the file itself, for a
    /// lone framework binary) are built with: `react-native`, `hermes`,
    /// `xamarin`, `maui`, `unity-il2cpp`, `flutter`, `cordova`,
    /// `capacitor`, `ionic`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<String>,
    /// What app-level analysis learned about each app in the file (an XAPK
    /// holds several).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<crate::apps::AppSummary>,
    /// Every unique endpoint the file names (URLs, hosts, IP literals), with
    /// where it was seen and whether it is the app's own or an SDK's: the
    /// inventory. Risky ones are also findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<crate::detectors::endpoints::EndpointRecord>,
    /// Every certificate, private key and keystore file found, with what it
    /// holds. Problems with them are also findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateRecord>,
}

/// A certificate, private key or keystore file found in a scanned file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CertificateRecord {
    /// Path inside the scanned file (`base.apk!/res/raw/client.p12`).
    pub path: String,
    pub kind: crate::formats::certs::ContainerKind,
    /// Certificates that could be read (all of them when the keystore opened).
    pub certificates: Vec<crate::formats::certs::CertInfo>,
    /// Private keys present, encrypted ones included.
    pub private_keys: Vec<crate::formats::certs::KeyInfo>,
    /// Opening the file (or a key in it) needs a password.
    pub encrypted: bool,
    /// The keystore's password is known: empty, a common default or found
    /// in the app. The password itself is the value of the keystore finding
    /// at the same path, masked like any secret.
    pub password_recovered: bool,
    /// Where in the app the password was found; absent for common defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_found_in: Option<String>,
}

/// Something in an artifact that could not be read (fully).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanError {
    /// Path inside the artifact (`base.apk!/classes2.dex`), empty for the
    /// artifact itself.
    pub path: String,
    /// What went wrong, for a person.
    pub message: String,
}

impl ScanReport {
    /// Total number of scan errors across all artifacts.
    pub fn error_count(&self) -> usize {
        self.scanned.iter().map(|a| a.errors.len()).sum()
    }

    /// Looks up a rule by id.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}
