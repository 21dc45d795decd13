//! One rule as written in a `signatures/*.toml` file.

use crate::findings::{Category, Confidence, RuleInfo, Severity};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A secret rule: identity, documentation, and how to match it.
///
/// Field meanings are specified in `signatures/README.md`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub description: String,
    pub remediation: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Prefilter literals; empty means the pattern runs on every string.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Byte regex; the secret is capture `secret`, else group 1.
    pub pattern: String,
    pub min_entropy: Option<f64>,
    pub validator: Option<Validator>,
    /// Regex over the string's context name; when set, the rule applies only
    /// to strings whose context matches.
    pub context: Option<String>,
    /// A generic rule (e.g. "any value stored in a field named *password*")
    /// yields to any specific rule that matches the same value in the same
    /// string, so one secret is reported once, under its most precise name.
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub references: Vec<String>,
    /// Defaults to `CWE-798` for category `secret` (see [`Rule::info`]).
    pub cwe: Option<Vec<String>>,
    #[serde(default)]
    pub platforms: Vec<Platform>,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
}

/// A platform a rule is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    /// The lower-case name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
        }
    }
}

/// An offline structural check of a matched secret (README "Validators").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    GithubChecksum,
    NpmChecksum,
    Jwt,
    Pem,
    Luhn,
}

impl Validator {
    /// The name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Validator::GithubChecksum => "github-checksum",
            Validator::NpmChecksum => "npm-checksum",
            Validator::Jwt => "jwt",
            Validator::Pem => "pem",
            Validator::Luhn => "luhn",
        }
    }
}

/// An example string, optionally with the context name it is found under.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    WithContext(ExampleTable),
}

/// The table form of an [`Example`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleTable {
    pub text: String,
    pub context: Option<String>,
}

impl Example {
    /// The example value.
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::WithContext(t) => &t.text,
        }
    }

    /// The context name, if the example gives one.
    pub fn context(&self) -> Option<&str> {
        match self {
            Example::Text(_) => None,
            Example::WithContext(t) => t.context.as_deref(),
        }
    }
}

impl Rule {
    /// The rule's documentation as every report shows it.
    pub fn info(&self) -> RuleInfo {
        let cwe = match (&self.cwe, self.category) {
            (Some(cwe), _) => cwe.clone(),
            (None, Category::Secret) => vec!["CWE-798".to_string()],
            (None, _) => Vec::new(),
        };
        RuleInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            description: self.description.trim().to_string(),
            category: self.category,
            severity: self.severity,
            confidence: self.confidence,
            remediation: self.remediation.trim().to_string(),
            references: self.references.clone(),
            cwe,
            platforms: self
                .platforms
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
        }
    }
}

/// Whether `id` is well formed: `[a-z0-9][a-z0-9.-]*`, at most 64 bytes.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    first_ok
        && id.len() <= 64
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// Why a rule file or rule could not be loaded or compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The rule file (`signatures/aws.toml` for built-ins, else the path).
    pub file: String,
    /// The rule's id, when the problem is inside one rule.
    pub rule_id: Option<String>,
    pub message: String,
}

impl RuleError {
    pub(super) fn new(file: &str, rule_id: Option<&str>, message: impl Into<String>) -> Self {
        RuleError {
            file: file.to_string(),
            rule_id: rule_id.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule_id {
            Some(id) => write!(f, "{}: rule `{id}`: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_format() {
        assert!(is_valid_id("aws-access-key-id"));
        assert!(is_valid_id("0x.v2"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-aws"));
        assert!(!is_valid_id("AWS"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id(&"a".repeat(65)));
    }

    #[test]
    fn cwe_defaults_only_for_secrets() {
        let mut rule: Rule = toml::from_str(
            r#"
            id = "x"
            name = "X"
            description = "d"
            remediation = "r"
            category = "secret"
            severity = "high"
            confidence = "high"
            pattern = '(x)'
            examples = ["x", { text = "x", context = "k" }]
            negative_examples = ["y"]
            "#,
        )
        .unwrap();
        assert_eq!(rule.info().cwe, vec!["CWE-798"]);
        assert_eq!(rule.examples[1].context(), Some("k"));
        rule.category = Category::Config;
        assert!(rule.info().cwe.is_empty());
        rule.cwe = Some(vec!["CWE-321".into()]);
        assert_eq!(rule.info().cwe, vec!["CWE-321"]);
    }

    #[test]
    fn rejects_unknown_fields() {
        let err = toml::from_str::<Rule>("id = 'x'\nseverty = 'high'").unwrap_err();
        assert!(err.to_string().contains("severty"), "{err}");
    }
}
