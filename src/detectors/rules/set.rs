//! Loading rule files: the built-in set and a user rule folder.

use super::rule::{Rule, RuleError};
use serde::Deserialize;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Rule files larger than this are refused rather than read.
const MAX_RULE_FILE: u64 = 4 * 1024 * 1024;

/// A rule together with the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRule {
    pub rule: Rule,
    /// `signatures/NAME.toml` for built-ins, else the user file's path.
    pub file: String,
    /// Whether the rule is one of the embedded built-ins.
    pub builtin: bool,
}

/// An ordered collection of rules, possibly with duplicate ids (which
/// [`check`](super::check) reports and [`RuleEngine::new`](super::RuleEngine::new) rejects).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    rules: Vec<LoadedRule>,
}

/// The top level of a rule file: `[[rule]]` tables only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<toml::Table>,
}

impl RuleSet {
    /// The rules embedded from `signatures/` at build time.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN {
            set.rules
                .extend(parse_file(&format!("signatures/{name}"), text, true)?);
        }
        Ok(set)
    }

    /// Parses one rule file's text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<RuleSet, RuleError> {
        Ok(RuleSet {
            rules: parse_file(file, text, false)?,
        })
    }

    /// Adds every `*.toml` file in `dir` (not recursive, in name order).
    ///
    /// A user rule whose id equals a built-in one replaces it in place;
    /// other rules are appended.
    pub fn with_user_dir(mut self, dir: &Path) -> Result<RuleSet, RuleError> {
        let shown = dir.display().to_string();
        let entries =
            std::fs::read_dir(dir).map_err(|e| RuleError::new(&shown, None, e.to_string()))?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| RuleError::new(&shown, None, e.to_string()))?
                .path();
            if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let file = path.display().to_string();
            let text = read_capped(&path).map_err(|e| RuleError::new(&file, None, e))?;
            for loaded in parse_file(&file, &text, false)? {
                self.add_user_rule(loaded);
            }
        }
        Ok(self)
    }

    /// Every rule, in load order.
    pub fn rules(&self) -> &[LoadedRule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn add_user_rule(&mut self, loaded: LoadedRule) {
        let existing = self
            .rules
            .iter_mut()
            .find(|r| r.builtin && r.rule.id == loaded.rule.id);
        match existing {
            Some(slot) => *slot = loaded,
            None => self.rules.push(loaded),
        }
    }
}

fn read_capped(path: &Path) -> Result<String, String> {
    let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if len > MAX_RULE_FILE {
        return Err(format!(
            "rule file is {len} bytes, more than the {MAX_RULE_FILE}-byte limit"
        ));
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

fn parse_file(file: &str, text: &str, builtin: bool) -> Result<Vec<LoadedRule>, RuleError> {
    let parsed: RuleFile = toml::from_str(text)
        .map_err(|e| RuleError::new(file, None, e.to_string().trim_end().to_string()))?;
    parsed
        .rule
        .into_iter()
        .enumerate()
        .map(|(i, table)| {
            let id = match table.get("id").and_then(|v| v.as_str()) {
                Some(id) => id.to_string(),
                None => format!("#{}", i + 1),
            };
            let rule: Rule = table.try_into().map_err(|e| {
                RuleError::new(file, Some(&id), e.to_string().trim_end().to_string())
            })?;
            Ok(LoadedRule {
                rule,
                file: file.to_string(),
                builtin,
            })
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A minimal valid rule file with one rule of the given id and pattern.
    pub(crate) fn rule_toml(id: &str, pattern: &str, extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"Test {id}\"\ndescription = \"d\"\nremediation = \"r\"\n\
             category = \"secret\"\nseverity = \"high\"\nconfidence = \"high\"\n\
             pattern = '''{pattern}'''\n{extra}\nexamples = []\nnegative_examples = []\n"
        )
    }

    #[test]
    fn builtin_loads() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.len() >= 30, "{}", set.len());
        assert!(set
            .rules()
            .iter()
            .all(|r| r.builtin && r.file.starts_with("signatures/")));
    }

    #[test]
    fn errors_name_file_and_rule() {
        let text = rule_toml("bad-rule", "(x)", "severty = \"high\"");
        let err = RuleSet::from_toml("my.toml", &text).unwrap_err();
        assert_eq!(err.file, "my.toml");
        assert_eq!(err.rule_id.as_deref(), Some("bad-rule"));
        assert!(
            err.to_string().starts_with("my.toml: rule `bad-rule`: "),
            "{err}"
        );
        let err = RuleSet::from_toml("typo.toml", "[[rules]]\nid = 'x'").unwrap_err();
        assert_eq!(err.rule_id, None);
        assert!(err.to_string().contains("rules"), "{err}");
    }

    #[test]
    fn user_dir_overrides_by_id_and_adds() {
        let dir = tempfile::tempdir().unwrap();
        let builtin = RuleSet::builtin().unwrap();
        let n = builtin.len();
        let overridden = builtin.rules()[0].rule.id.clone();
        let text =
            rule_toml(&overridden, "(override)", "") + &rule_toml("user-extra", "(extra)", "");
        std::fs::write(dir.path().join("mine.toml"), text).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a rule file").unwrap();
        let set = RuleSet::builtin()
            .unwrap()
            .with_user_dir(dir.path())
            .unwrap();
        assert_eq!(set.len(), n + 1);
        let first = &set.rules()[0];
        assert_eq!(first.rule.id, overridden);
        assert_eq!(first.rule.pattern, "(override)");
        assert!(!first.builtin && first.file.ends_with("mine.toml"));
        assert_eq!(set.rules()[n].rule.id, "user-extra");
        assert_eq!(
            set.rules()
                .iter()
                .filter(|r| r.rule.id == overridden)
                .count(),
            1
        );
    }

    #[test]
    fn user_dir_errors_are_values() {
        let missing = RuleSet::default().with_user_dir(Path::new("/nonexistent/mastiff-rules"));
        assert!(missing.is_err());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.toml"), "[[rule]\n").unwrap();
        let err = RuleSet::default().with_user_dir(dir.path()).unwrap_err();
        assert!(err.file.ends_with("broken.toml"), "{err}");
    }
}
