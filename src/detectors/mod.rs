//! Detectors turn located strings into matches of documented rules.
//!
//! A [`Detector`] sees one [`ScannedString`] at a time and reports
//! [`Match`]es; the scan pipeline turns each match into a
//! [`Finding`](crate::findings::Finding) with its location and fingerprint.

pub mod endpoints;
pub mod rules;

use crate::findings::{Confidence, RuleInfo, Severity};
use crate::formats::ScannedString;

/// A rule hit inside one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Id of a rule listed by the detector's [`Detector::rules`].
    pub rule_id: String,
    /// The matched value (the rule's secret capture), unmasked.
    pub value: String,
    /// One sentence saying what was found; must not contain the value.
    pub message: String,
    /// Overrides the rule's default severity for this hit.
    pub severity: Option<Severity>,
    /// Overrides the rule's default confidence for this hit (e.g. lowered for
    /// a placeholder value).
    pub confidence: Option<Confidence>,
}

/// Something that inspects strings for problems.
pub trait Detector: Send + Sync {
    /// Every rule this detector can report, with its documentation.
    fn rules(&self) -> &[RuleInfo];

    /// Inspects one string and appends any matches to `out`.
    fn detect(&self, s: &ScannedString<'_>, out: &mut Vec<Match>);

    /// Like [`Detector::detect`], also appending every endpoint the string
    /// names to `inventory` (detectors that do not extract endpoints add
    /// nothing).
    fn detect_with_inventory(
        &self,
        s: &ScannedString<'_>,
        out: &mut Vec<Match>,
        _inventory: &mut Vec<endpoints::Sighting>,
    ) {
        self.detect(s, out)
    }
}

/// The detectors mastiff runs by default: the built-in signature rules.
pub fn builtin() -> Result<Vec<Box<dyn Detector>>, rules::RuleError> {
    with_user_rules(None)
}

/// The built-in detectors, with signature rules from `dir` added (a user
/// rule with a built-in rule's id replaces it).
pub fn with_user_rules(
    dir: Option<&std::path::Path>,
) -> Result<Vec<Box<dyn Detector>>, rules::RuleError> {
    let mut set = rules::RuleSet::builtin()?;
    if let Some(dir) = dir {
        set = set.with_user_dir(dir)?;
    }
    Ok(vec![
        Box::new(rules::RuleEngine::new(set)?),
        Box::new(endpoints::EndpointDetector::new()),
    ])
}
