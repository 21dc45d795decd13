//! Turning a [`Rule`] into the regexes the engine runs.

use super::rule::{is_valid_id, Rule, Validator};
use crate::findings::{Confidence, RuleInfo};

/// Patterns are small; a rule needing more than this is refused.
const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// A rule ready to run.
#[derive(Debug, Clone)]
pub(super) struct CompiledRule {
    pub info: RuleInfo,
    pub pattern: regex::bytes::Regex,
    /// Index of the capture group holding the secret.
    pub secret_group: usize,
    pub context: Option<regex::Regex>,
    pub min_entropy: Option<f64>,
    pub validator: Option<Validator>,
    pub keywords: Vec<String>,
    pub generic: bool,
}

impl CompiledRule {
    /// Compiles `rule`, or says what is wrong with it.
    pub fn new(rule: &Rule) -> Result<CompiledRule, String> {
        if !is_valid_id(&rule.id) {
            return Err("id must match [a-z0-9][a-z0-9.-]* and be at most 64 characters".into());
        }
        if rule.keywords.iter().any(String::is_empty) {
            return Err("keywords must not be empty strings".into());
        }
        if let Some(min) = rule.min_entropy {
            if !(0.0..=8.0).contains(&min) {
                return Err(format!("min_entropy {min} is outside 0.0..=8.0"));
            }
        }
        let pattern = regex::bytes::RegexBuilder::new(&rule.pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("pattern does not compile: {e}"))?;
        let secret_group = match pattern.capture_names().position(|n| n == Some("secret")) {
            Some(i) => i,
            None if pattern.captures_len() > 1 => 1,
            None => {
                return Err(
                    "pattern has no capture group (name one `secret` or use group 1)".into(),
                )
            }
        };
        let context = match &rule.context {
            Some(c) => Some(
                regex::RegexBuilder::new(c)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| format!("context does not compile: {e}"))?,
            ),
            None => None,
        };
        Ok(CompiledRule {
            info: rule.info(),
            generic: rule.generic,
            pattern,
            secret_group,
            context,
            min_entropy: rule.min_entropy,
            validator: rule.validator,
            keywords: rule.keywords.clone(),
        })
    }

    /// The rule's default confidence.
    pub fn confidence(&self) -> Confidence {
        self.info.confidence
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::rules::RuleSet;

    fn compile(pattern: &str, extra: &str) -> Result<CompiledRule, String> {
        let text = crate::detectors::rules::set::tests::rule_toml("t", pattern, extra);
        let set = RuleSet::from_toml("t.toml", &text).unwrap();
        CompiledRule::new(&set.rules()[0].rule)
    }

    #[test]
    fn secret_group_selection() {
        assert_eq!(compile("(a)(b)", "").unwrap().secret_group, 1);
        assert_eq!(compile("(a)(?P<secret>b)", "").unwrap().secret_group, 2);
        assert!(compile("ab", "").unwrap_err().contains("no capture group"));
        assert!(compile("(?:ab)", "")
            .unwrap_err()
            .contains("no capture group"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(compile("(a", "")
            .unwrap_err()
            .contains("pattern does not compile"));
        assert!(compile("(?=a)(b)", "").is_err());
        assert!(compile("(a)", "context = '(b'")
            .unwrap_err()
            .contains("context"));
        assert!(compile("(a)", "keywords = ['']").is_err());
        assert!(compile("(a)", "min_entropy = 9.5").is_err());
    }
}
