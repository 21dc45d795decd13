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
    /// Whether findings' values may hold a secret (`secret`: masked unless
    /// `--show-secrets`) or are descriptions, settings and public
    /// fingerprints (`plain`: always shown). Defaults to `secret` for the
    /// secret category and `plain` for the others.
    #[serde(default)]
    value: Option<ValueKind>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum ValueKind {
    Plain,
    Secret,
}

/// Ids of the check rules whose values are shown unmasked, sorted.
fn plain_ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids: Vec<String> = files()
            .flat_map(|f| f.rule)
            .filter(|r| {
                let default = match r.category {
                    Category::Secret | Category::Endpoint => ValueKind::Secret,
                    _ => ValueKind::Plain,
                };
                r.value.unwrap_or(default) == ValueKind::Plain
            })
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    })
}

/// Whether the values of check rule `id` are plain facts (a domain, a
/// setting, a class, a public fingerprint) that reports show unmasked.
pub fn shows_value(id: &str) -> bool {
    plain_ids().binary_search_by(|p| p.as_str().cmp(id)).is_ok()
}

/// Every check file, parsed. The files are part of the binary and checked
/// by the tests, so a broken one is a build defect: it panics with its name.
fn files() -> impl Iterator<Item = File> {
    CHECKS.iter().map(|(name, text)| {
        toml::from_str(text).unwrap_or_else(|e| panic!("signatures/checks/{name}: {e}"))
    })
}

/// Every app-level check rule, sorted by id.
///
/// The files are part of the binary and checked by the tests, so a broken
/// one is a build defect: it panics here with the file's name.
pub fn all() -> &'static [RuleInfo] {
    static RULES: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<RuleInfo> = files()
            .flat_map(|file| {
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
    fn only_rules_whose_values_are_public_are_shown() {
        // Settings, public fingerprints and descriptions of keys.
        for id in [
            "android-cleartext-global",
            "cert-embedded",
            "key-private-key-embedded",
            "cert-client-identity",
        ] {
            assert!(shows_value(id), "{id}");
        }
        // Recovered passwords; unknown ids.
        for id in [
            "key-keystore-password-in-app",
            "key-keystore-default-password",
            "aws-access-key-id",
        ] {
            assert!(!shows_value(id), "{id}");
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
