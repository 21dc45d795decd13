//! The finding model: what a detector reports, where, and how sure it is.
//!
//! Every output format (SARIF, JSON, text) is a view of [`Finding`] and
//! [`RuleInfo`]; nothing else carries results between stages.

mod fingerprint;
mod location;
mod mask;
mod report;
mod rule_info;
mod severity;

pub use fingerprint::fingerprint;
pub use location::Location;
pub use mask::{display_value, mask};
pub use report::{CertificateRecord, ScanError, ScanReport, ScannedArtifact, ToolInfo};
pub use rule_info::RuleInfo;
pub use severity::{Category, Confidence, Severity};

use serde::Serialize;

/// One occurrence of a problem in a scanned artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule identifier, e.g. `aws-access-key-id`.
    pub rule_id: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Short human title (the rule's name).
    pub title: String,
    /// What was found, in one or two sentences; never contains the raw value.
    pub message: String,
    /// The scanned input file, as given on the command line (relative paths
    /// stay relative).
    pub artifact: String,
    pub location: Location,
    /// The matched value, unmasked. Reports mask it unless asked otherwise;
    /// use [`display_value`] whenever it is shown.
    pub value: String,
    /// Stable identity of this finding across rebuilds of the same app: see
    /// [`fingerprint`].
    pub fingerprint: String,
}

impl Finding {
    /// Sort key giving deterministic report order: artifact, location, rule.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.artifact,
            &self.location.chain,
            self.location.offset,
            self.location.line,
            &self.rule_id,
            &self.value,
        )
    }
}
