//! Rule listings for `mastiff rules list`: Markdown, JSON and a text table.

use super::rule::Validator;
use super::set::RuleSet;
use crate::findings::RuleInfo;
use serde::Serialize;

/// A rule reference in Markdown: a summary table linking to one section per
/// rule, each section being the rule's [`RuleInfo::help_markdown`].
pub fn list_markdown(rules: &RuleSet) -> String {
    let mut md = String::from(
        "# Secret rules\n\n| Id | Name | Severity | Confidence |\n|---|---|---|---|\n",
    );
    for loaded in rules.rules() {
        let info = loaded.rule.info();
        md.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {} |\n",
            escape_cell(&info.name),
            info.severity,
            info.confidence,
            id = info.id
        ));
    }
    for loaded in rules.rules() {
        let info = loaded.rule.info();
        md.push_str(&format!("\n<a id=\"{}\"></a>\n\n", info.id));
        md.push_str(&info.help_markdown());
        md.push_str(&format!("\nRule id: `{}`", info.id));
        if !loaded.rule.keywords.is_empty() {
            let words: Vec<String> = loaded
                .rule
                .keywords
                .iter()
                .map(|k| format!("`{k}`"))
                .collect();
            md.push_str(&format!("; keywords: {}", words.join(", ")));
        }
        md.push_str(".\n");
    }
    md
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One rule as `rules list --format json` shows it.
#[derive(Serialize)]
struct RuleListing<'a> {
    #[serde(flatten)]
    info: RuleInfo,
    keywords: &'a [String],
    pattern: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_entropy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validator: Option<Validator>,
    /// The file the rule was loaded from.
    file: &'a str,
}

/// A JSON array with one object per rule: its [`RuleInfo`] fields plus
/// keywords, pattern, context, min_entropy, validator and source file.
pub fn list_json(rules: &RuleSet) -> String {
    let listing: Vec<RuleListing<'_>> = rules
        .rules()
        .iter()
        .map(|l| RuleListing {
            info: l.rule.info(),
            keywords: &l.rule.keywords,
            pattern: &l.rule.pattern,
            context: l.rule.context.as_deref(),
            min_entropy: l.rule.min_entropy,
            validator: l.rule.validator,
            file: &l.file,
        })
        .collect();
    // Strings, numbers and string-keyed maps only: serialisation cannot fail.
    serde_json::to_string_pretty(&listing).expect("rule listing serialises")
}

/// A plain-text table: id, severity, confidence, name.
pub fn list_text(rules: &RuleSet) -> String {
    let infos: Vec<RuleInfo> = rules.rules().iter().map(|l| l.rule.info()).collect();
    let width = infos.iter().map(|i| i.id.len()).max().unwrap_or(0).max(2);
    let mut out = format!(
        "{:<width$}  {:<11}  {:<8}  {:<10}  NAME\n",
        "ID", "CATEGORY", "SEVERITY", "CONFIDENCE"
    );
    for info in &infos {
        out.push_str(&format!(
            "{:<width$}  {:<11}  {:<8}  {:<10}  {}\n",
            info.id,
            info.category.as_str(),
            info.severity.as_str(),
            info.confidence.as_str(),
            info.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> RuleSet {
        RuleSet::builtin().unwrap()
    }

    #[test]
    fn markdown_has_a_row_and_a_section_per_rule() {
        let set = set();
        let md = list_markdown(&set);
        for l in set.rules() {
            assert!(
                md.contains(&format!("| [`{id}`](#{id}) |", id = l.rule.id)),
                "{}",
                l.rule.id
            );
            assert!(md.contains(&format!(
                "<a id=\"{}\"></a>\n\n## {}\n",
                l.rule.id, l.rule.name
            )));
        }
    }

    #[test]
    fn json_is_an_array_of_rule_objects() {
        let set = set();
        let v: serde_json::Value = serde_json::from_str(&list_json(&set)).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), set.len());
        let gh = arr
            .iter()
            .find(|r| r["id"] == "github-personal-access-token")
            .unwrap();
        assert_eq!(gh["validator"], "github-checksum");
        assert_eq!(gh["cwe"][0], "CWE-798");
        assert_eq!(gh["file"], "signatures/github.toml");
        assert!(gh["keywords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "ghp_"));
    }

    #[test]
    fn text_table_aligns_columns() {
        let set = set();
        let text = list_text(&set);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), set.len() + 1);
        let col = lines[0].find("SEVERITY").unwrap();
        assert!(lines[1..]
            .iter()
            .all(|l| l.len() > col && l.as_bytes()[col - 2] == b' '));
    }
}
