//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The third-party corpus, from `MASTIFF_CORPUS` (default `../shared/corpus`),
/// or `None` (with a note) when it is absent so the test can skip.
pub fn corpus_dir() -> Option<PathBuf> {
    shared_dir("MASTIFF_CORPUS", "../shared/corpus")
}

/// The JSON schemas folder, from `MASTIFF_SCHEMAS` (default `../shared/schemas`).
pub fn schemas_dir() -> Option<PathBuf> {
    shared_dir("MASTIFF_SCHEMAS", "../shared/schemas")
}

fn shared_dir(var: &str, default: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found; skipping (set {var})", dir.display());
        None
    }
}

/// Every regular file under `dir`, sorted, excluding the corpus's own docs.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if d != dir {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Path of the built `mastiff` binary.
pub fn mastiff_bin() -> &'static str {
    env!("CARGO_BIN_EXE_mastiff")
}

/// Schema errors of a SARIF log against the SARIF 2.1.0 schema, or `None`
/// (with a note) when the schemas folder is absent.
pub fn sarif_schema_errors(sarif: &serde_json::Value) -> Option<Vec<String>> {
    let schemas = schemas_dir()?;
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(schemas.join("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    Some(
        validator
            .iter_errors(sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}

/// Tool-execution notifications of every run that report a problem (not the
/// `note`-level remarks such as suppression counts).
pub fn sarif_problem_notifications(sarif: &serde_json::Value) -> usize {
    sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| {
            run["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .map_or(0, |n| n.iter().filter(|n| n["level"] != "note").count())
        })
        .sum()
}
