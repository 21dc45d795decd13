//! Running a rule set over located strings.

use super::compile::CompiledRule;
use super::entropy::shannon_entropy;
use super::placeholder::is_placeholder;
use super::rule::RuleError;
use super::set::RuleSet;
use super::validate::validate;
use crate::detectors::{Detector, Match};
use crate::findings::{Confidence, RuleInfo};
use crate::formats::ScannedString;
use aho_corasick::AhoCorasick;
use std::collections::{HashMap, HashSet};

/// Context names longer than this are shortened in messages.
const MAX_CONTEXT_IN_MESSAGE: usize = 80;

/// The secret detector: a keyword prefilter in front of each rule's regex.
///
/// One Aho-Corasick automaton holds every rule's keywords; a string's bytes
/// and its context name go through it once, and only the rules whose
/// keywords occur (plus the few rules without keywords) run their regex.
#[derive(Debug, Clone)]
pub struct RuleEngine {
    rules: Vec<CompiledRule>,
    infos: Vec<RuleInfo>,
    /// `None` when no rule has keywords.
    keywords: Option<AhoCorasick>,
    /// For each automaton pattern, the rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords, which run on every string.
    unkeyed: Vec<usize>,
    /// Ids of generic rules (see [`Rule::generic`](super::Rule::generic)).
    generic: HashSet<String>,
}

impl RuleEngine {
    /// Compiles every rule of `set`; fails on the first bad rule or on a
    /// duplicate id.
    pub fn new(set: RuleSet) -> Result<RuleEngine, RuleError> {
        let mut compiled = Vec::with_capacity(set.len());
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for loaded in set.rules() {
            let id = loaded.rule.id.as_str();
            if let Some(first) = seen.insert(id, &loaded.file) {
                return Err(RuleError::new(
                    &loaded.file,
                    Some(id),
                    format!("duplicate id (also in {first})"),
                ));
            }
            compiled.push(
                CompiledRule::new(&loaded.rule)
                    .map_err(|e| RuleError::new(&loaded.file, Some(id), e))?,
            );
        }
        RuleEngine::from_compiled(compiled).map_err(|e| RuleError::new("<rules>", None, e))
    }

    /// Builds the prefilter over already compiled rules with unique ids.
    pub(super) fn from_compiled(rules: Vec<CompiledRule>) -> Result<RuleEngine, String> {
        let mut words: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unkeyed = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                unkeyed.push(r);
            }
            for word in &rule.keywords {
                let word = word.to_ascii_lowercase();
                let slot = *index.entry(word.clone()).or_insert_with(|| {
                    words.push(word);
                    keyword_rules.push(Vec::new());
                    keyword_rules.len() - 1
                });
                if !keyword_rules[slot].contains(&r) {
                    keyword_rules[slot].push(r);
                }
            }
        }
        let keywords = if words.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&words)
                .map_err(|e| format!("cannot build keyword automaton: {e}"))?;
            Some(ac)
        };
        let infos = rules.iter().map(|r| r.info.clone()).collect();
        let generic = rules
            .iter()
            .filter(|r| r.generic)
            .map(|r| r.info.id.clone())
            .collect();
        Ok(RuleEngine {
            rules,
            infos,
            keywords,
            keyword_rules,
            unkeyed,
            generic,
        })
    }

    /// The default confidence of rule `id`, if the engine has it.
    pub(super) fn confidence_of(&self, id: &str) -> Option<Confidence> {
        self.rules
            .iter()
            .find(|r| r.info.id == id)
            .map(CompiledRule::confidence)
    }

    /// Runs rule `r` on `s`, appending deduplicated matches to `out`.
    fn run_rule(&self, r: usize, s: &ScannedString<'_>, out: &mut Vec<Match>) {
        let Some(rule) = self.rules.get(r) else {
            return;
        };
        if let Some(context) = &rule.context {
            if !s.context.is_some_and(|c| context.is_match(c)) {
                return;
            }
        }
        // `is_match` needs no capture storage, so a miss costs no allocation.
        if !rule.pattern.is_match(s.text) {
            return;
        }
        let first = out.len();
        for caps in rule.pattern.captures_iter(s.text) {
            let Some(m) = caps.get(rule.secret_group) else {
                continue;
            };
            let secret = m.as_bytes();
            if rule
                .min_entropy
                .is_some_and(|min| shannon_entropy(secret) < min)
            {
                continue;
            }
            let rest = s.text.get(m.start()..).unwrap_or_default();
            if rule.validator.is_some_and(|v| !validate(v, secret, rest)) {
                continue;
            }
            let value = String::from_utf8_lossy(secret);
            if out
                .get(first..)
                .unwrap_or_default()
                .iter()
                .any(|prior| prior.value == value)
            {
                continue;
            }
            let placeholder = is_placeholder(secret);
            out.push(Match {
                rule_id: rule.info.id.clone(),
                value: value.into_owned(),
                message: message(&rule.info.name, s.context, placeholder),
                severity: None,
                confidence: placeholder.then_some(Confidence::Low),
            });
        }
    }
}

impl Detector for RuleEngine {
    fn rules(&self) -> &[RuleInfo] {
        &self.infos
    }

    fn detect(&self, s: &ScannedString<'_>, out: &mut Vec<Match>) {
        let first = out.len();
        self.run_rules(s, out);
        if out.len() - first > 1 {
            self.drop_generic_duplicates(first, out);
        }
    }
}

impl RuleEngine {
    /// Drops matches of generic rules whose value a specific rule also
    /// matched in the same string (`out[first..]`).
    fn drop_generic_duplicates(&self, first: usize, out: &mut Vec<Match>) {
        let is_generic = |m: &Match| self.generic.contains(m.rule_id.as_str());
        let specific: Vec<String> = out[first..]
            .iter()
            .filter(|m| !is_generic(m))
            .map(|m| m.value.clone())
            .collect();
        if specific.is_empty() {
            return;
        }
        let mut i = first;
        out.retain(|m| {
            let keep = i < first || !is_generic(m) || !specific.contains(&m.value);
            i += 1;
            keep
        });
    }

    fn run_rules(&self, s: &ScannedString<'_>, out: &mut Vec<Match>) {
        for &r in &self.unkeyed {
            self.run_rule(r, s, out);
        }
        let Some(ac) = &self.keywords else {
            return;
        };
        // Bitset of triggered rules, allocated only once a keyword is seen.
        let mut triggered: Option<Vec<u64>> = None;
        let context = s.context.map(str::as_bytes).unwrap_or_default();
        for haystack in [s.text, context] {
            for m in ac.find_overlapping_iter(haystack) {
                let bits = triggered.get_or_insert_with(|| vec![0; self.rules.len().div_ceil(64)]);
                for &r in self
                    .keyword_rules
                    .get(m.pattern().as_usize())
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    if let Some(word) = bits.get_mut(r / 64) {
                        *word |= 1 << (r % 64);
                    }
                }
            }
        }
        let Some(bits) = triggered else {
            return;
        };
        for (w, &word) in bits.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                self.run_rule(w * 64 + bit, s, out);
            }
        }
    }
}

/// One sentence describing a hit, naming the context when there is one and
/// never containing the value.
fn message(name: &str, context: Option<&str>, placeholder: bool) -> String {
    let place = match context {
        Some(c) => format!(" stored under the name {}", printable_context(c)),
        None => String::new(),
    };
    if placeholder {
        format!("{name}{place} looks like a placeholder or documented example, not a live secret.")
    } else if context.is_some() {
        format!("{name}{place}.")
    } else {
        format!("{name} found.")
    }
}

/// The context name with control characters replaced and length capped.
fn printable_context(context: &str) -> String {
    let mut shown: String = context
        .chars()
        .take(MAX_CONTEXT_IN_MESSAGE)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if context.chars().nth(MAX_CONTEXT_IN_MESSAGE).is_some() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::rules::set::tests::rule_toml;

    fn engine(toml: &str) -> RuleEngine {
        RuleEngine::new(RuleSet::from_toml("t.toml", toml).unwrap()).unwrap()
    }

    fn run(engine: &RuleEngine, text: &str, context: Option<&str>) -> Vec<Match> {
        let mut s = ScannedString::at(text.as_bytes(), 0);
        s.context = context;
        let mut out = Vec::new();
        engine.detect(&s, &mut out);
        out
    }

    #[test]
    fn keyword_gates_the_regex() {
        // The pattern matches any 8 letters, but only runs when `tok_` occurs.
        let e = engine(&rule_toml("gated", r"([a-z]{8})", "keywords = ['TOK_']"));
        assert!(run(&e, "qwmzkrtp", None).is_empty());
        assert_eq!(run(&e, "tok_qwmzkrtp", None)[0].value, "qwmzkrtp");
        // A keyword in the context name also opens the gate.
        assert_eq!(run(&e, "qwmzkrtp", Some("Tok_name")).len(), 1);
    }

    #[test]
    fn unkeyed_rules_always_run() {
        let e = engine(&rule_toml("open", r"\b([a-z]{8})\b", ""));
        assert_eq!(run(&e, "x qwmzkrtp y", None).len(), 1);
    }

    #[test]
    fn overlapping_keywords_trigger_every_rule() {
        let text = rule_toml("a", r"(abcd\w+)", "keywords = ['abcd']")
            + &rule_toml("b", r"(bc\w+)", "keywords = ['bc']");
        let e = engine(&text);
        let ids: Vec<_> = run(&e, "abcdqz", None)
            .into_iter()
            .map(|m| m.rule_id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn context_rules_need_a_matching_context() {
        let extra = "keywords = ['secret']\ncontext = '(?i)secret$'";
        let e = engine(&rule_toml("ctx", r"^([A-Za-z0-9]{12,})$", extra));
        assert!(run(&e, "q8Zr2Lm4Tx9K", None).is_empty());
        assert!(run(&e, "q8Zr2Lm4Tx9K", Some("secret_label")).is_empty());
        let hits = run(&e, "q8Zr2Lm4Tx9K", Some("CLIENT_SECRET"));
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].message,
            "Test ctx stored under the name CLIENT_SECRET."
        );
        assert!(!hits[0].message.contains("q8Zr2Lm4Tx9K"));
    }

    #[test]
    fn entropy_floor_and_named_capture() {
        let e = engine(&rule_toml("ent", r"k=(?P<secret>\w+)", "min_entropy = 3.0"));
        assert!(run(&e, "k=aaaabbbb", None).is_empty());
        assert_eq!(run(&e, "k=Q8z2Lm4T", None)[0].value, "Q8z2Lm4T");
    }

    #[test]
    fn validator_failure_drops_the_match() {
        let e = engine(&rule_toml("cc", r"\b(\d{11})\b", "validator = 'luhn'"));
        assert_eq!(run(&e, "79927398713", None).len(), 1);
        assert!(run(&e, "79927398710", None).is_empty());
    }

    #[test]
    fn placeholders_are_demoted_and_said_so() {
        let e = engine(&rule_toml("ph", r"key=(\S+)", ""));
        let hits = run(&e, "key=YOUR_API_KEY", Some("apiKey"));
        assert_eq!(hits[0].confidence, Some(Confidence::Low));
        assert!(
            hits[0].message.contains("placeholder"),
            "{}",
            hits[0].message
        );
        assert!(hits[0].message.contains("apiKey"));
        assert_eq!(run(&e, "key=Q8z2Lm4T", None)[0].confidence, None);
    }

    #[test]
    fn identical_values_are_reported_once_per_string() {
        let e = engine(&rule_toml("dup", r"k=(\w+)", ""));
        let hits = run(&e, "k=Q8z2Lm4T k=Q8z2Lm4T k=Zr7Pq1Wx", None);
        let values: Vec<_> = hits.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(values, ["Q8z2Lm4T", "Zr7Pq1Wx"]);
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let text = rule_toml("same", "(a)", "") + &rule_toml("same", "(b)", "");
        let err = RuleEngine::new(RuleSet::from_toml("d.toml", &text).unwrap()).unwrap_err();
        assert_eq!(err.rule_id.as_deref(), Some("same"));
        assert!(err.message.contains("duplicate"));
    }

    #[test]
    fn messages_sanitise_context() {
        let long = "k\n".repeat(60);
        let m = message("Thing", Some(&long), false);
        assert!(!m.contains('\n'));
        assert!(m.contains('…'));
        assert_eq!(message("Thing", None, false), "Thing found.");
    }

    #[test]
    fn generic_rules_yield_to_specific_ones_on_the_same_value() {
        let toml = [
            rule_toml("specific", r"(tok_[a-z0-9]{8})", ""),
            rule_toml("generic", r"^(\S+)$", "generic = true"),
            rule_toml("other-generic", r"(a1b2)", "generic = true"),
        ]
        .concat();
        let e = engine(&toml);
        let ids = |out: Vec<Match>| out.into_iter().map(|m| m.rule_id).collect::<Vec<_>>();
        // Same value: only the specific rule reports it.
        assert_eq!(
            ids(run(&e, "tok_a1b2c3d4", None)),
            vec!["specific", "other-generic"]
        );
        // No specific match: the generic rule stands.
        assert_eq!(ids(run(&e, "plainvalue", None)), vec!["generic"]);
    }
}
