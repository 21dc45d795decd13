//! The documentation of every app-level check, loaded from
//! `signatures/checks/*.toml` (embedded at build time).
//!
//! A check rule has the same documentation fields as a secret rule but no
//! pattern: the code in [`crate::apps`] decides when it fires, and each
//! rule's fixtures live in the tests beside that code.

use crate::findings::{Category, Confidence, RuleInfo, Severity};
use serde::Deserialize;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/builtin_checks.rs"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<CheckRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRule {
    id: String,
    name: String,
    description: String,
    remediation: String,
    category: Category,
    severity: Severity,
    confidence: Confidence,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    cwe: Vec<String>,
    #[serde(default)]
    platforms: Vec<String>,
}

/// Every app-level check rule, sorted by id.
///
/// The files are part of the binary and checked by the tests, so a broken
/// one is a build defect: it panics here with the file's name.
pub fn all() -> &'static [RuleInfo] {
    static RULES: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<RuleInfo> = CHECKS
            .iter()
            .flat_map(|(name, text)| {
                let file: File = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("signatures/checks/{name}: {e}"));
                file.rule.into_iter().map(|r| RuleInfo {
                    id: r.id,
                    name: r.name,
                    description: r.description,
                    category: r.category,
                    severity: r.severity,
                    confidence: r.confidence,
                    remediation: r.remediation,
                    references: r.references,
                    cwe: r.cwe,
                    platforms: r.platforms,
                })
            })
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules
    })
}

/// The check rule `id`, if declared.
pub fn get(id: &str) -> Option<&'static RuleInfo> {
    let rules = all();
    rules
        .binary_search_by(|r| r.id.as_str().cmp(id))
        .ok()
        .map(|i| &rules[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_check_rule_is_documented_and_unique() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id.as_str()), "duplicate check rule {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "bad id {}",
                r.id
            );
            assert!(!r.name.is_empty() && !r.description.is_empty(), "{}", r.id);
            assert!(!r.remediation.is_empty(), "{} has no remediation", r.id);
            assert!(
                r.platforms.iter().all(|p| p == "android" || p == "ios"),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn check_ids_do_not_collide_with_secret_rules() {
        let set = crate::detectors::rules::RuleSet::builtin().unwrap();
        for r in all() {
            assert!(
                set.rules().iter().all(|s| s.rule.id != r.id),
                "{} is both a check and a secret rule",
                r.id
            );
        }
    }
}
