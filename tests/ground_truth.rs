//! Recall and precision of the generic and crypto-key rules on real apps.
//!
//! Recall: every secret that `GROUND_TRUTH.json` documents in an
//! intentionally vulnerable app (and saw in the binary) is either found
//! exactly as listed in [`FOUND`] or listed with its reason in
//! [`KNOWN_MISSES`]; a miss that starts being found fails the test until it
//! moves. Precision: ordinary apps and libraries stay within a fixed budget
//! of generic findings. Skips when the corpus is absent.

mod common;

use mastiff::archives::Limits;
use mastiff::detectors;
use mastiff::findings::{Confidence, Finding};
use mastiff::scan::Scanner;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Ground-truth kinds that describe configuration or endpoints; other
/// analyzers own them.
const CONFIG_KINDS: &[&str] = &[
    "cleartext_allowed",
    "no_pinning",
    "pinning_present",
    "ats_disabled",
    "endpoint",
];

/// A documented secret and exactly where the scan reports it.
struct Found {
    /// Corpus-relative file.
    file: &'static str,
    /// The ground truth's `value_or_pattern`, which is also the reported value.
    value: &'static str,
    rule: &'static str,
    /// Inner path of the entry holding it.
    path: &'static str,
    /// Class (or other symbol) holding it.
    symbol: &'static str,
}

/// A documented secret the rules do not find, and why.
struct Miss {
    file: &'static str,
    /// The ground truth's `value_or_pattern`.
    value: &'static str,
    /// No finding value may contain this; if one does, move the item.
    needle: &'static str,
    reason: &'static str,
}

const FOUND: &[Found] = &[
    Found {
        file: "vuln-android/mastg-UnCrackable-Level3.apk",
        value: "pizzapizzapizzapizzapizz",
        rule: "hardcoded-crypto-key",
        path: "classes.dex",
        symbol: "sg.vantagepoint.uncrackable3.MainActivity",
    },
    Found {
        file: "vuln-android/InsecureBankv2.apk",
        value: "This is the super secret key 123",
        rule: "hardcoded-key-field",
        path: "classes.dex",
        symbol: "com.android.insecurebankv2.CryptoClass",
    },
    Found {
        file: "vuln-android/InsecureBankv2-app-release.apk",
        value: "This is the super secret key 123",
        rule: "hardcoded-key-field",
        path: "classes.dex",
        symbol: "com.android.insecurebankv2.CryptoClass",
    },
    Found {
        file: "vuln-android/diva-beta.apk",
        value: "123secretapikey123",
        rule: "generic-credential-in-text",
        path: "classes.dex",
        symbol: "jakhar.aseem.diva.APICredsActivity",
    },
    Found {
        file: "vuln-android/diva-beta.apk",
        value: "p@ssword",
        rule: "generic-credential-in-text",
        path: "classes.dex",
        symbol: "jakhar.aseem.diva.APICredsActivity",
    },
    Found {
        file: "vuln-android/diva-beta.apk",
        value: "p@ssword2",
        rule: "generic-credential-in-text",
        path: "classes.dex",
        symbol: "jakhar.aseem.diva.APICreds2Activity",
    },
];

const KNOWN_MISSES: &[Miss] = &[
    Miss {
        file: "vuln-android/mastg-UnCrackable-Level1.apk",
        value: "8d127684cbc37c17616d806cf50473cc",
        needle: "8d127684cbc37c17616d806cf50473cc",
        reason: "a bare hex string passed as an argument to an obfuscated helper: no field or \
                 name says it is a key, and 32 hex digits alone are as often a digest or an id",
    },
    Miss {
        file: "vuln-android/mastg-UnCrackable-Level1.apk",
        value: "5UJiFctbmgbDoLXmpL12mkno8HT4Lv8dlat8FxR2GOc=",
        needle: "5UJiFctbmgbDoLXmpL12mkno8HT4Lv8dlat8FxR2GOc=",
        reason: "ciphertext, not a credential, passed as an argument with no name",
    },
    Miss {
        file: "vuln-android/InsecureBankv2.apk",
        value: "devadmin",
        needle: "devadmin",
        reason: "a backdoor user name compared in code: an ordinary word with no name or label",
    },
    Miss {
        file: "vuln-android/InsecureBankv2-app-release.apk",
        value: "devadmin",
        needle: "devadmin",
        reason: "a backdoor user name compared in code: an ordinary word with no name or label",
    },
    Miss {
        file: "vuln-android/diva-beta.apk",
        value: "secrettveeterapikey",
        needle: "secrettveeterapikey",
        reason: "after an `API Key:` label, but letters only: values without a digit or symbol \
                 are left out so that UI text such as `Password: required` is not reported",
    },
    Miss {
        file: "vuln-android/diva-beta.apk",
        value: "vendorsecretkey",
        needle: "vendorsecretkey",
        reason: "a bare string compared with user input: no field, key or label names it",
    },
    Miss {
        file: "vuln-android/diva-beta.apk",
        value: "olsdfgad;lh",
        needle: "olsdfgad",
        reason: "a #define in native .rodata: a printable run with no symbol or label",
    },
    Miss {
        file: "vuln-android/diva-beta.apk",
        value: "INSERT INTO sqliuser VALUES ('admin', 'passwd123', '1234567812345678')",
        needle: "passwd123",
        reason: "positional SQL seed data: which column is the password is not in the string",
    },
];

/// A documented key found by content (not by a string rule), with the rule
/// and the offset the finding gives.
struct FoundKey {
    file: &'static str,
    /// The ground truth's `value_or_pattern`.
    value: &'static str,
    rule: &'static str,
    offset: u64,
}

const FOUND_KEYS: &[FoundKey] = &[FoundKey {
    file: "vuln-ios/mastg-demo-0013-MASTestApp",
    value: "RSA-1024 private key, PKCS#1 DER, 607 bytes, begins 30 82 02 5b 02 01 00 02 81 81 00 bd f6 89 8f bd",
    rule: "key-private-key-embedded",
    offset: 0x100c8,
}];

/// Rules this test holds to account: the generic secret rules (those that
/// yield to provider rules, `generic = true` in `signatures/`).
fn is_generic_rule(id: &str) -> bool {
    use std::sync::OnceLock;
    static GENERIC: OnceLock<Vec<String>> = OnceLock::new();
    GENERIC
        .get_or_init(|| {
            let set = mastiff::detectors::rules::RuleSet::builtin().unwrap();
            set.rules()
                .iter()
                .filter(|l| l.rule.generic)
                .map(|l| l.rule.id.clone())
                .collect()
        })
        .iter()
        .any(|g| g == id)
}

fn scanner() -> Scanner {
    Scanner::new(detectors::builtin().unwrap(), Limits::default())
}

fn scan(scanner: &Scanner, corpus: &Path, file: &str) -> Vec<Finding> {
    let bytes = std::fs::read(corpus.join(file)).unwrap();
    scanner.scan_bytes(file, &bytes).1
}

/// Ground-truth items a string rule could find: seen in the binary, not
/// configuration. Each is (file, value).
fn secret_items(truth: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for app in truth["apps"].as_array().unwrap() {
        for item in app["expected_findings"].as_array().unwrap() {
            let kind = item["kind"].as_str().unwrap();
            if item["verified_in_binary"] != Value::Bool(true) || CONFIG_KINDS.contains(&kind) {
                continue;
            }
            out.push((
                item["file"].as_str().unwrap().to_string(),
                item["value_or_pattern"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// Values the ground truth documents as absent from the binary (negative
/// controls such as a password only present in a source comment).
fn absent_items(truth: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for app in truth["apps"].as_array().unwrap() {
        for item in app["expected_findings"].as_array().unwrap() {
            if item["verified_in_binary"] == Value::Bool(false) {
                out.push((
                    item["file"].as_str().unwrap().to_string(),
                    item["value_or_pattern"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

fn load_truth(corpus: &Path) -> Value {
    let text = std::fs::read_to_string(corpus.join("GROUND_TRUTH.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_ground_truth_secret_is_triaged_once() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let items = secret_items(&load_truth(&corpus));
    let listed: Vec<(&str, &str)> = FOUND
        .iter()
        .map(|f| (f.file, f.value))
        .chain(KNOWN_MISSES.iter().map(|m| (m.file, m.value)))
        .chain(FOUND_KEYS.iter().map(|k| (k.file, k.value)))
        .collect();
    for (file, value) in &items {
        let n = listed
            .iter()
            .filter(|(f, v)| f == file && v == value)
            .count();
        assert_eq!(
            n, 1,
            "{file}: {value:?} must be in FOUND, FOUND_KEYS or KNOWN_MISSES once"
        );
    }
    for (file, value) in &listed {
        assert!(
            items.iter().any(|(f, v)| f == file && v == value),
            "{file}: {value:?} is not a ground-truth secret item"
        );
    }
}

#[test]
fn documented_secrets_are_found_where_listed() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let truth = load_truth(&corpus);
    let scanner = scanner();
    let files: BTreeSet<&str> = FOUND
        .iter()
        .map(|f| f.file)
        .chain(KNOWN_MISSES.iter().map(|m| m.file))
        .collect();
    for file in files {
        let findings = scan(&scanner, &corpus, file);
        // Exactly the listed generic finds, no more and no fewer.
        let got: BTreeSet<(String, String, String, String)> = findings
            .iter()
            .filter(|f| is_generic_rule(&f.rule_id) && f.confidence >= Confidence::Medium)
            .map(|f| {
                (
                    f.rule_id.clone(),
                    f.value.clone(),
                    f.location.path.clone(),
                    f.location.symbol.clone().unwrap_or_default(),
                )
            })
            .collect();
        let want: BTreeSet<(String, String, String, String)> = FOUND
            .iter()
            .filter(|f| f.file == file)
            .map(|f| {
                (
                    f.rule.to_string(),
                    f.value.to_string(),
                    f.path.to_string(),
                    f.symbol.to_string(),
                )
            })
            .collect();
        assert_eq!(got, want, "{file}: generic findings differ from FOUND");
        for miss in KNOWN_MISSES.iter().filter(|m| m.file == file) {
            let hit = findings.iter().find(|f| f.value.contains(miss.needle));
            assert!(
                hit.is_none(),
                "{file}: known miss {:?} is now found by {:?}; move it to FOUND (was: {})",
                miss.value,
                hit.map(|f| &f.rule_id),
                miss.reason
            );
        }
        for (_, absent) in absent_items(&truth).iter().filter(|(f, _)| f == file) {
            assert!(
                !findings.iter().any(|f| f.value.contains(absent.as_str())),
                "{file}: {absent:?} is not in the binary but was reported"
            );
        }
    }
}

#[test]
fn documented_keys_are_found_at_their_offset() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let scanner = scanner();
    for key in FOUND_KEYS {
        let findings = scan(&scanner, &corpus, key.file);
        assert!(
            findings
                .iter()
                .any(|f| f.rule_id == key.rule && f.location.offset == Some(key.offset)),
            "{}: {} not found at 0x{:x}",
            key.file,
            key.rule,
            key.offset
        );
    }
}

/// Generic findings at medium confidence or above allowed per folder of
/// ordinary apps, as measured; `dex/` holds InsecureBankv2's classes.dex,
/// whose documented AES key is the one finding there.
const NOISE_BUDGET: &[(&str, usize)] = &[
    ("real-android", 0),
    ("real-ios", 0),
    ("macho", 0),
    ("dex", 1),
];

#[test]
fn ordinary_apps_stay_within_the_noise_budget() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let scanner = scanner();
    let files = common::files_under(&corpus);
    for &(folder, budget) in NOISE_BUDGET {
        let mut noisy = Vec::new();
        for file in files.iter().filter(|f| {
            f.strip_prefix(&corpus)
                .is_ok_and(|rel| rel.starts_with(folder))
        }) {
            let display = file.strip_prefix(&corpus).unwrap().display().to_string();
            for f in scan(&scanner, &corpus, &display) {
                if is_generic_rule(&f.rule_id) && f.confidence >= Confidence::Medium {
                    noisy.push(format!(
                        "{display}!/{} {:?} {} {:?}",
                        f.location.path, f.location.symbol, f.rule_id, f.value
                    ));
                }
            }
        }
        assert!(
            noisy.len() <= budget,
            "{folder}: {} generic findings, budget {budget}:\n{}",
            noisy.len(),
            noisy.join("\n")
        );
    }
}
