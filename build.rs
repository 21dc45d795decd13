//! Embeds the rule files in the binary.
//!
//! Generates `$OUT_DIR/builtin_rules.rs` (a `BUILTIN` table of every
//! `signatures/*.toml` secret rule file) and `$OUT_DIR/builtin_checks.rs` (a
//! `CHECKS` table of every `signatures/checks/*.toml` app-level check file):
//! `(file name, contents)` pairs sorted by name so rule order is stable.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=signatures");
    println!("cargo:rerun-if-changed=signatures/checks");
    println!("cargo:rerun-if-changed=build.rs");
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("signatures");
    embed(&root, "BUILTIN", "builtin_rules.rs");
    embed(&root.join("checks"), "CHECKS", "builtin_checks.rs");
}

fn embed(dir: &Path, table: &str, file: &str) {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// Built-in rule files: (file name, TOML text).\n");
    out.push_str(&format!("pub(super) const {table}: &[(&str, &str)] = &[\n"));
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("rule file names are UTF-8");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(file);
    fs::write(&target, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}
