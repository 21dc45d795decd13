//! `mastiff.toml`: which rules run, at what severity, and which findings are
//! accepted (allowlisted) with a stated reason.
//!
//! ```toml
//! fail-on = "high"             # optional, --fail-on overrides
//! min-confidence = "medium"    # optional, --min-confidence overrides
//!
//! [rules]
//! disable = ["generic-password"]
//! # enable = ["aws-access-key-id"]   # when given, only these rules report
//!
//! [severity]
//! google-api-key = "low"
//!
//! [[allowlist]]
//! rule = "google-api-key"            # optional: one rule id
//! path = "**/assets/test/**"         # optional: glob on the location
//! value = "^AIza[0-9A-Za-z_-]+$"     # optional: regex on the value
//! fingerprint = "0123456789abcdef0123456789abcdef"   # optional
//! reason = "Maps key restricted to our app signature"  # required
//! ```

use super::allowlist::{AllowEntry, Allowlist};
use crate::findings::{Confidence, RuleInfo, Severity};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file name looked up in the working directory.
pub const CONFIG_FILE: &str = "mastiff.toml";

/// Largest configuration file read, in bytes.
const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// A parsed, not yet checked configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Default `--fail-on` threshold.
    pub fail_on: Option<Severity>,
    /// Default `--min-confidence` floor.
    pub min_confidence: Option<Confidence>,
    #[serde(default)]
    pub rules: RuleSelection,
    /// Severity per rule id, replacing the rule's own.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub allowlist: Vec<AllowEntryFile>,
}

/// `[rules]`: rule ids to turn off, or the only ones to keep.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSelection {
    pub enable: Option<Vec<String>>,
    #[serde(default)]
    pub disable: Vec<String>,
}

/// One `[[allowlist]]` entry as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntryFile {
    pub rule: Option<String>,
    pub path: Option<String>,
    pub value: Option<String>,
    pub fingerprint: Option<String>,
    pub reason: Option<String>,
}

/// A checked configuration, ready to apply to findings.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from, when it came from a file.
    pub source: Option<PathBuf>,
    pub fail_on: Option<Severity>,
    pub min_confidence: Option<Confidence>,
    /// Rules that report nothing.
    pub disabled: HashSet<String>,
    pub severity: BTreeMap<String, Severity>,
    pub allowlist: Allowlist,
}

impl Config {
    /// Reads `explicit`, or `mastiff.toml` in `cwd` when it exists, or
    /// returns the empty configuration. `rules` are the rules that can fire:
    /// every rule id the file names must be one of them.
    pub fn discover(
        explicit: Option<&Path>,
        cwd: &Path,
        rules: &[RuleInfo],
    ) -> Result<Config, String> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = cwd.join(CONFIG_FILE);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = read_capped(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config =
            Config::parse(&text, rules).map_err(|e| format!("{}: {e}", path.display()))?;
        config.source = Some(path);
        Ok(config)
    }

    /// Parses and checks configuration text.
    pub fn parse(text: &str, rules: &[RuleInfo]) -> Result<Config, String> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
        file.check(rules)
    }

    /// True when the rule may report.
    pub fn rule_enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }
}

impl ConfigFile {
    /// Checks rule ids, patterns and reasons; compiles the allowlist.
    pub fn check(self, rules: &[RuleInfo]) -> Result<Config, String> {
        let known: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let unknown = |id: &str, what: &str| -> Result<(), String> {
            if known.contains(id) {
                Ok(())
            } else {
                Err(format!(
                    "{what}: unknown rule `{id}` (see `mastiff rules list`)"
                ))
            }
        };
        let mut disabled: HashSet<String> = HashSet::new();
        for id in &self.rules.disable {
            unknown(id, "[rules] disable")?;
            disabled.insert(id.clone());
        }
        if let Some(enable) = &self.rules.enable {
            for id in enable {
                unknown(id, "[rules] enable")?;
            }
            let keep: HashSet<&str> = enable.iter().map(String::as_str).collect();
            disabled.extend(
                known
                    .iter()
                    .filter(|id| !keep.contains(*id))
                    .map(|id| id.to_string()),
            );
        }
        for id in self.severity.keys() {
            unknown(id, "[severity]")?;
        }
        let mut entries = Vec::with_capacity(self.allowlist.len());
        for (i, e) in self.allowlist.into_iter().enumerate() {
            let at = describe_entry(i, &e);
            if let Some(rule) = &e.rule {
                unknown(rule, &at)?;
            }
            entries.push(AllowEntry::compile(e).map_err(|why| format!("{at}: {why}"))?);
        }
        Ok(Config {
            source: None,
            fail_on: self.fail_on,
            min_confidence: self.min_confidence,
            disabled,
            severity: self.severity,
            allowlist: Allowlist::new(entries),
        })
    }
}

/// `allowlist entry 2 (rule = "x")`, for error messages.
fn describe_entry(index: usize, e: &AllowEntryFile) -> String {
    let mut s = format!("allowlist entry {}", index + 1);
    if let Some(rule) = &e.rule {
        let _ = write!(s, " (rule = \"{rule}\")");
    }
    s
}

fn read_capped(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {MAX_CONFIG_BYTES} bytes"
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Category;

    fn rules() -> Vec<RuleInfo> {
        ["aws-access-key-id", "google-api-key", "generic-password"]
            .iter()
            .map(|id| RuleInfo {
                id: id.to_string(),
                name: id.to_string(),
                description: String::new(),
                category: Category::Secret,
                severity: Severity::High,
                confidence: Confidence::High,
                remediation: String::new(),
                references: vec![],
                cwe: vec![],
                platforms: vec![],
            })
            .collect()
    }

    #[test]
    fn parses_every_section() {
        let c = Config::parse(
            r#"
            fail-on = "high"
            min-confidence = "medium"
            [rules]
            disable = ["generic-password"]
            [severity]
            google-api-key = "low"
            [[allowlist]]
            rule = "google-api-key"
            path = "**/assets/**"
            reason = "test keys"
            "#,
            &rules(),
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.min_confidence, Some(Confidence::Medium));
        assert!(!c.rule_enabled("generic-password"));
        assert!(c.rule_enabled("google-api-key"));
        assert_eq!(c.severity["google-api-key"], Severity::Low);
        assert_eq!(c.allowlist.len(), 1);
    }

    #[test]
    fn enable_keeps_only_the_named_rules() {
        let c = Config::parse("[rules]\nenable = [\"aws-access-key-id\"]\n", &rules()).unwrap();
        assert!(c.rule_enabled("aws-access-key-id"));
        assert!(!c.rule_enabled("google-api-key"));
        assert!(!c.rule_enabled("generic-password"));
    }

    #[test]
    fn rejects_allowlist_entries_without_reason() {
        for reason in ["", "reason = \"  \"\n"] {
            let text = format!("[[allowlist]]\nrule = \"google-api-key\"\n{reason}");
            let err = Config::parse(&text, &rules()).unwrap_err();
            assert!(
                err.contains("allowlist entry 1 (rule = \"google-api-key\")")
                    && err.contains("`reason` is required"),
                "{err}"
            );
        }
    }

    #[test]
    fn rejects_unknown_rules_keys_and_bad_patterns() {
        let cases = [
            ("[rules]\ndisable = [\"nope\"]\n", "unknown rule `nope`"),
            ("[severity]\nnope = \"low\"\n", "unknown rule `nope`"),
            ("[severity]\ngoogle-api-key = \"severe\"\n", "severe"),
            ("colour = true\n", "colour"),
            (
                "[[allowlist]]\nvalue = \"(\"\nreason = \"x\"\n",
                "allowlist entry 1: `value`",
            ),
            (
                "[[allowlist]]\npath = \"a[\"\nreason = \"x\"\n",
                "allowlist entry 1: `path`",
            ),
            (
                "[[allowlist]]\nfingerprint = \"xyz\"\nreason = \"x\"\n",
                "32 hexadecimal digits",
            ),
            ("[[allowlist]]\nreason = \"x\"\n", "matches every finding"),
        ];
        for (text, want) in cases {
            let err = Config::parse(text, &rules()).unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn discovers_the_file_in_the_working_directory() {
        let dir = tempfile::tempdir().unwrap();
        let none = Config::discover(None, dir.path(), &rules()).unwrap();
        assert!(none.source.is_none() && none.allowlist.is_empty());
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[rules]\ndisable = [\"generic-password\"]\n",
        )
        .unwrap();
        let found = Config::discover(None, dir.path(), &rules()).unwrap();
        assert_eq!(found.source, Some(dir.path().join(CONFIG_FILE)));
        assert!(!found.rule_enabled("generic-password"));
        let missing = dir.path().join("other.toml");
        let err = Config::discover(Some(&missing), dir.path(), &rules()).unwrap_err();
        assert!(err.contains("other.toml"), "{err}");
    }
}
