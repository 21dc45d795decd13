use super::{Category, Confidence, Severity};
use serde::Serialize;

/// Everything a report needs to describe a rule: identity, defaults and help.
///
/// Secret rules load this from `signatures/`; platform checks declare it in
/// code. SARIF `rules[]`, `mastiff rules list` and the docs all read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable identifier: lowercase letters, digits, `.` and `-`.
    pub id: String,
    /// Short human name.
    pub name: String,
    /// One paragraph: what the rule detects and why it matters.
    pub description: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// How to fix a finding of this rule.
    pub remediation: String,
    /// Links to provider documentation or standards.
    pub references: Vec<String>,
    /// CWE identifiers, e.g. `CWE-798`.
    pub cwe: Vec<String>,
    /// Platforms the rule applies to (`android`, `ios`; empty means any).
    pub platforms: Vec<String>,
}

impl RuleInfo {
    /// The rule's help as Markdown: what, why, fix, references.
    pub fn help_markdown(&self) -> String {
        let mut md = format!("## {}\n\n{}\n", self.name, self.description);
        if !self.remediation.is_empty() {
            md.push_str(&format!("\n### How to fix\n\n{}\n", self.remediation));
        }
        md.push_str(&format!(
            "\nDefault severity: **{}**, confidence: **{}**, category: `{}`.\n",
            self.severity, self.confidence, self.category
        ));
        if !self.cwe.is_empty() {
            md.push_str(&format!("\nWeakness: {}\n", self.cwe.join(", ")));
        }
        if !self.references.is_empty() {
            md.push_str("\n### References\n\n");
            for r in &self.references {
                md.push_str(&format!("- <{r}>\n"));
            }
        }
        md
    }

    /// The rule's help as plain text.
    pub fn help_text(&self) -> String {
        let mut t = self.description.clone();
        if !self.remediation.is_empty() {
            t.push_str("\n\nHow to fix: ");
            t.push_str(&self.remediation);
        }
        if !self.references.is_empty() {
            t.push_str("\n\nReferences: ");
            t.push_str(&self.references.join(" "));
        }
        t
    }
}
