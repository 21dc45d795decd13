//! `rules check`: every rule compiles and behaves as its examples say.

use super::compile::CompiledRule;
use super::engine::RuleEngine;
use super::rule::{Example, Rule};
use super::set::RuleSet;
use crate::detectors::Detector;
use crate::findings::Confidence;
use crate::formats::ScannedString;
use std::collections::HashMap;
use std::fmt;

/// One thing wrong with one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckProblem {
    pub file: String,
    pub rule_id: String,
    pub message: String,
}

impl fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: rule `{}`: {}",
            self.file, self.rule_id, self.message
        )
    }
}

/// Checks every rule of `rules`; an empty result means all is well.
///
/// Patterns must compile with a capture, ids be well formed and unique, and
/// each rule have at least two examples and one negative example. Every
/// example must contain one of its rule's keywords and produce a match of
/// its rule at the rule's confidence through the full engine (prefilter,
/// entropy, validator, placeholder filter); no negative example may produce
/// a match of its rule above `low`.
pub fn check(rules: &RuleSet) -> Vec<CheckProblem> {
    let mut problems = Vec::new();
    let mut compiled = Vec::new();
    let mut first_file: HashMap<&str, &str> = HashMap::new();
    for loaded in rules.rules() {
        let rule = &loaded.rule;
        let mut problem = |message: String| {
            problems.push(CheckProblem {
                file: loaded.file.clone(),
                rule_id: rule.id.clone(),
                message,
            });
        };
        if let Some(first) = first_file.insert(&rule.id, &loaded.file) {
            problem(format!("duplicate id (also in {first})"));
            continue;
        }
        shape_problems(rule).into_iter().for_each(&mut problem);
        match CompiledRule::new(rule) {
            Ok(c) => compiled.push(c),
            Err(e) => problem(e),
        }
    }
    let engine = match RuleEngine::from_compiled(compiled) {
        Ok(engine) => engine,
        Err(e) => {
            problems.push(CheckProblem {
                file: "<rules>".into(),
                rule_id: String::new(),
                message: e,
            });
            return problems;
        }
    };
    for loaded in rules.rules() {
        let rule = &loaded.rule;
        if first_file.get(rule.id.as_str()) != Some(&loaded.file.as_str()) {
            continue;
        }
        let Some(confidence) = engine.confidence_of(&rule.id) else {
            continue;
        };
        for message in example_problems(&engine, rule, confidence) {
            problems.push(CheckProblem {
                file: loaded.file.clone(),
                rule_id: rule.id.clone(),
                message,
            });
        }
    }
    problems
}

/// Problems visible without running anything.
fn shape_problems(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    if rule.examples.len() < 2 {
        out.push(format!(
            "has {} examples; at least 2 are required",
            rule.examples.len()
        ));
    }
    if rule.negative_examples.is_empty() {
        out.push("has no negative example; at least 1 is required".into());
    }
    for ex in &rule.examples {
        if rule.context.is_some() && ex.context().is_none() {
            out.push(format!(
                "example {:?} of a context rule needs a `context`",
                ex.text()
            ));
        }
        if !rule.keywords.is_empty() && !has_keyword(ex, &rule.keywords) {
            out.push(format!(
                "example {:?} contains none of the rule's keywords",
                ex.text()
            ));
        }
    }
    out
}

fn has_keyword(ex: &Example, keywords: &[String]) -> bool {
    let contains = |hay: &str, word: &str| {
        hay.to_ascii_lowercase()
            .contains(&word.to_ascii_lowercase())
    };
    keywords
        .iter()
        .any(|k| contains(ex.text(), k) || ex.context().is_some_and(|c| contains(c, k)))
}

/// Runs the examples through the engine and compares with expectations.
fn example_problems(engine: &RuleEngine, rule: &Rule, confidence: Confidence) -> Vec<String> {
    let mut out = Vec::new();
    for ex in &rule.examples {
        let hits = run(engine, ex, &rule.id);
        if !hits.contains(&confidence) {
            let got = match hits.iter().max() {
                Some(c) => format!("only at {c} confidence"),
                None => "no match".into(),
            };
            out.push(format!(
                "example {:?} should match at {confidence} confidence; got {got}",
                ex.text()
            ));
        }
    }
    for ex in &rule.negative_examples {
        if let Some(c) = run(engine, ex, &rule.id)
            .into_iter()
            .filter(|&c| c > Confidence::Low)
            .max()
        {
            out.push(format!(
                "negative example {:?} matches at {c} confidence",
                ex.text()
            ));
        }
    }
    out
}

/// The confidences of `rule_id`'s matches on one example.
fn run(engine: &RuleEngine, ex: &Example, rule_id: &str) -> Vec<Confidence> {
    let mut s = ScannedString::at(ex.text().as_bytes(), 0);
    s.context = ex.context();
    let mut matches = Vec::new();
    engine.detect(&s, &mut matches);
    let default = engine.confidence_of(rule_id);
    matches
        .into_iter()
        .filter(|m| m.rule_id == rule_id)
        .filter_map(|m| m.confidence.or(default))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_pass_their_own_check() {
        let set = RuleSet::builtin().expect("built-in rules load");
        let problems = check(&set);
        let listing: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            listing.join("\n")
        );
    }

    fn problems_of(toml: &str) -> Vec<String> {
        check(&RuleSet::from_toml("t.toml", toml).unwrap())
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    const GOOD: &str = r#"
[[rule]]
id = "demo-key"
name = "Demo key"
description = "d"
remediation = "r"
category = "secret"
severity = "high"
confidence = "high"
keywords = ["dk_"]
pattern = '''\b(dk_[A-Za-z0-9]{12})\b'''
examples = ["dk_Q8z2Lm4Tx9Kr", { text = "x dk_Zr7Pq1Wx3Nb6 y" }]
negative_examples = ["dk_short", "dk_YOUR_KEY_HER"]
"#;

    #[test]
    fn a_good_rule_has_no_problems() {
        assert_eq!(problems_of(GOOD), Vec::<String>::new());
    }

    #[test]
    fn reports_each_kind_of_problem() {
        let broken = GOOD
            .replace(r#""dk_Q8z2Lm4Tx9Kr", "#, r#""dk_Q8z2Lm4Tx9K", "#)
            .replace(
                r#"{ text = "x dk_Zr7Pq1Wx3Nb6 y" }"#,
                r#""dk_xxxxxxxxxxxx""#,
            )
            .replace(r#""dk_short", "#, r#""dk_Zr7Pq1Wx3Nb6", "#);
        let p = problems_of(&broken);
        assert!(
            p.iter()
                .any(|m| m
                    .contains("\"dk_Q8z2Lm4Tx9K\" should match at high confidence; got no match")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.contains("only at low confidence")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|m| m.starts_with("negative example \"dk_Zr7Pq1Wx3Nb6\"")),
            "{p:?}"
        );

        let few = GOOD
            .replace(r#", { text = "x dk_Zr7Pq1Wx3Nb6 y" }"#, "")
            .replace(r#""dk_short", "dk_YOUR_KEY_HER""#, "");
        let p = problems_of(&few);
        assert!(p.iter().any(|m| m.contains("at least 2")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("no negative example")), "{p:?}");

        let p = problems_of(&GOOD.replace(r#"["dk_"]"#, r#"["zz_"]"#));
        assert!(
            p.iter().any(|m| m.contains("none of the rule's keywords")),
            "{p:?}"
        );

        let p = problems_of(&GOOD.replace(r"\b(dk_[A-Za-z0-9]{12})\b", r"\bdk_[A-Za-z0-9]{12}\b"));
        assert!(p.iter().any(|m| m.contains("no capture group")), "{p:?}");

        let p = problems_of(&GOOD.replace("demo-key", "Demo_Key"));
        assert!(p.iter().any(|m| m.contains("id must match")), "{p:?}");
    }

    #[test]
    fn duplicate_ids_and_context_examples() {
        let p = problems_of(&format!("{GOOD}{GOOD}"));
        assert_eq!(
            p.iter().filter(|m| m.contains("duplicate id")).count(),
            1,
            "{p:?}"
        );
        let ctx = GOOD.replace(
            "keywords = [\"dk_\"]",
            "keywords = [\"dk_\"]\ncontext = 'key'",
        );
        let p = problems_of(&ctx);
        assert!(p.iter().any(|m| m.contains("needs a `context`")), "{p:?}");
    }
}
