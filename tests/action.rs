//! The GitHub Action (`action.yml`) and the documented workflow examples:
//! well-formed metadata, every input used and every use declared, and every
//! `mastiff` option they pass known to the binary. (actionlint, run by
//! `.ci/run`, checks the workflows themselves.)

mod common;

use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Names in `${{ inputs.NAME }}`-style references within `text`.
fn input_references(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("inputs.") {
        rest = &rest[i + "inputs.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        out.insert(name);
    }
    out
}

/// Long options (`--name`) in `text`.
fn long_options(text: &str) -> BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '=')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .collect()
}

fn scan_help() -> String {
    let out = Command::new(common::mastiff_bin())
        .args(["scan", "--help"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn action_metadata_is_a_complete_composite_action() {
    let action = yaml(&root().join("action.yml"));
    for key in ["name", "description"] {
        assert!(action[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");

    let declared: BTreeSet<String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            assert!(
                v["description"].as_str().is_some(),
                "{k:?} lacks a description"
            );
            k.as_str().unwrap().to_string()
        })
        .collect();
    let wanted: BTreeSet<String> = [
        "paths",
        "fail-on",
        "args",
        "sarif-file",
        "upload",
        "category",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(declared, wanted);
    assert_eq!(action["inputs"]["paths"]["required"], true);
    assert_eq!(action["inputs"]["upload"]["default"], "true");

    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let used = input_references(&text);
    assert_eq!(used, declared, "inputs used vs declared");

    let steps = action["runs"]["steps"].as_sequence().unwrap();
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(step["shell"], "bash", "{step:?}");
        } else {
            assert!(step["uses"].as_str().is_some(), "{step:?}");
        }
    }
    let install = steps[0]["run"].as_str().unwrap();
    assert!(install.contains("cargo install --locked"));
    assert!(install.contains("--path \"$GITHUB_ACTION_PATH\""));
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v3");
    assert!(upload["if"]
        .as_str()
        .unwrap()
        .contains("inputs.upload == 'true'"));
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
    // Inputs reach scripts through the environment, never spliced into them.
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "expression inside a script: {run}");
        }
    }
}

#[test]
fn action_and_examples_pass_only_options_mastiff_knows() {
    let help = scan_help();
    let mut texts = vec![std::fs::read_to_string(root().join("action.yml")).unwrap()];
    let examples = root().join("docs/examples");
    let mut names: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for path in &names {
        // Every example is well-formed YAML.
        let _ = yaml(path);
        texts.push(std::fs::read_to_string(path).unwrap());
    }
    let mut checked = 0;
    for text in &texts {
        let relevant = |l: &&str| {
            l.contains("mastiff scan")
                || l.contains("opts")
                || l.contains("args:")
                || l.trim_start().starts_with("--")
        };
        for line in text.lines().filter(relevant) {
            for opt in long_options(line) {
                assert!(
                    help.contains(&opt),
                    "`mastiff scan` has no option {opt} (line: {line})"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} options checked");
}
