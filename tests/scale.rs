//! Scale-out paths end to end: `scan --shard I/N` splits a directory into
//! disjoint parts whose merged reports equal the unsharded scan, and
//! `--format jsonl` streams the same findings as the JSON report.

mod common;

use mastiff::fixtures::dex::DexBuilder;
use mastiff::fixtures::elf::ElfBuilder;
use mastiff::fixtures::samples::{self, planted};
use mastiff::fixtures::zipfile::ZipBuilder;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// A working directory holding `apps/` with eight inputs of several kinds,
/// each with at least one finding.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    std::fs::create_dir_all(apps.join("nested")).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(apps.join(name), bytes).unwrap();
    write("demo-android.apk", &samples::demo_apk());
    write("demo-ios.ipa", &samples::demo_ipa());
    write("nested/copy.apk", &samples::demo_apk());
    let mut dex = DexBuilder::new();
    dex.class("com.example.Keys")
        .static_string_field("GITHUB_TOKEN", planted::GITHUB_TOKEN);
    let dex = dex.build();
    write("classes.dex", &dex);
    let elf = ElfBuilder::new().rodata(planted::SENDGRID_KEY).build();
    write("nested/libnative.so", &elf);
    write(
        "nested/config.txt",
        format!("aws_access_key_id = {}\n", planted::AWS_ACCESS_KEY_ID).as_bytes(),
    );
    let app = ZipBuilder::new()
        .deflated("AndroidManifest.xml", &samples::demo_manifest(9, "9.0.0"))
        .deflated("classes.dex", &dex)
        .deflated("lib/x86_64/libnative.so", &elf)
        .build();
    write("small.apk", &app);
    write(
        "webhook.json",
        format!("{{\"hook\": \"{}\"}}\n", planted::SLACK_WEBHOOK).as_bytes(),
    );
    dir
}

fn mastiff(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::mastiff_bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run mastiff")
}

/// Runs mastiff and checks its exit status.
fn run(dir: &Path, args: &[&str], status: i32) -> Output {
    let out = mastiff(dir, args);
    assert_eq!(
        out.status.code(),
        Some(status),
        "mastiff {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).expect("valid JSON")
}

fn sorted_by_path(list: &Value) -> Vec<Value> {
    let mut items = list.as_array().unwrap().clone();
    items.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    items
}

fn paths(report: &Value) -> Vec<String> {
    let mut p: Vec<String> = report["scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    p.sort();
    p
}

#[test]
fn shards_merged_equal_the_unsharded_json_report() {
    let dir = workspace();
    let d = dir.path();
    run(
        d,
        &["scan", "apps", "--format", "json", "-o", "full.json"],
        0,
    );
    for i in 1..=2 {
        let shard = format!("{i}/2");
        let out = format!("shard-{i}.json");
        run(
            d,
            &["scan", "apps", "--shard", &shard, "-f", "json", "-o", &out],
            0,
        );
    }
    run(
        d,
        &["merge", "shard-1.json", "shard-2.json", "-o", "merged.json"],
        0,
    );
    let full = read_json(&d.join("full.json"));
    let (one, two) = (
        read_json(&d.join("shard-1.json")),
        read_json(&d.join("shard-2.json")),
    );
    let merged = read_json(&d.join("merged.json"));

    assert_eq!(paths(&full).len(), 8);
    let (p1, p2) = (paths(&one), paths(&two));
    assert!(!p1.is_empty() && !p2.is_empty(), "{p1:?} / {p2:?}");
    assert!(p1.iter().all(|p| !p2.contains(p)), "shards overlap");
    assert_eq!(p1.len() + p2.len(), 8);

    // One directory: merged files come in the order the walk lists them.
    assert_eq!(merged["scanned"], full["scanned"]);
    // Same findings in the same (sorted) order.
    assert!(full["findings"].as_array().unwrap().len() >= 8);
    assert_eq!(merged["findings"], full["findings"]);
    assert_eq!(merged["summary"], full["summary"]);
    assert_eq!(merged["tool"], full["tool"]);

    // Merging a shard with itself is refused.
    let out = run(d, &["merge", "shard-1.json", "shard-1.json"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than one report"));
    // A JSON report is not merged into SARIF.
    run(d, &["merge", "shard-1.json", "--format", "sarif"], 2);
}

/// (category, sorted rule ids, sorted result fingerprints) of each run.
fn runs(log: &Value) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| {
            let rules: Vec<&Value> = run["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .iter()
                .collect();
            let mut ids: Vec<String> = rules
                .iter()
                .map(|r| r["id"].as_str().unwrap().into())
                .collect();
            let mut prints = Vec::new();
            for r in run["results"].as_array().unwrap() {
                let index = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(
                    rules[index]["id"], r["ruleId"],
                    "ruleIndex points at its rule"
                );
                prints.push(
                    r["partialFingerprints"]["mastiff/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
            ids.sort();
            prints.sort();
            (
                run["automationDetails"]["id"].as_str().unwrap().to_string(),
                (ids, prints),
            )
        })
        .collect()
}

#[test]
fn shards_merged_equal_the_unsharded_sarif_log() {
    let dir = workspace();
    let d = dir.path();
    run(d, &["scan", "apps", "-f", "sarif", "-o", "full.sarif"], 0);
    run(
        d,
        &[
            "scan", "apps", "--shard", "1/2", "-f", "sarif", "-o", "1.sarif",
        ],
        0,
    );
    run(
        d,
        &[
            "scan", "apps", "--shard", "2/2", "-f", "sarif", "-o", "2.sarif",
        ],
        0,
    );
    run(d, &["merge", "1.sarif", "2.sarif", "-o", "merged.sarif"], 0);
    let full = read_json(&d.join("full.sarif"));
    let merged = read_json(&d.join("merged.sarif"));
    let categories: Vec<String> = runs(&full).into_keys().collect();
    assert_eq!(
        categories,
        ["mastiff/android/", "mastiff/ios/", "mastiff/other/"]
    );
    assert_eq!(runs(&merged), runs(&full));
    // Each shard's invocation is kept in the runs both shards contributed to.
    let invocations: usize = merged["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["invocations"].as_array().unwrap().len())
        .sum();
    assert!(invocations > categories.len(), "{invocations}");
    if let Some(errors) = common::sarif_schema_errors(&merged) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

/// The lines of a JSON Lines report, each parsed.
fn parse_lines(text: &[u8]) -> Vec<Value> {
    let text = String::from_utf8(text.to_vec()).unwrap();
    assert!(text.ends_with('\n'));
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON value per line"))
        .collect()
}

/// Every finding of the input lines, sorted by their text.
fn line_findings(lines: &[Value]) -> Vec<String> {
    let mut f: Vec<String> = lines
        .iter()
        .filter_map(|l| l["findings"].as_array())
        .flatten()
        .map(Value::to_string)
        .collect();
    f.sort();
    f
}

#[test]
fn jsonl_lines_match_the_json_report() {
    let dir = workspace();
    let d = dir.path();
    let args = ["scan", "apps", "--fail-on", "critical"];
    let json = run(d, &[&args[..], &["-f", "json"]].concat(), 1);
    let jsonl = run(d, &[&args[..], &["-f", "jsonl"]].concat(), 1);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let lines = parse_lines(&jsonl.stdout);
    let (summary, inputs) = lines.split_last().unwrap();
    assert_eq!(inputs.len(), 8);
    let artifacts: Vec<Value> = inputs.iter().map(|l| l["artifact"].clone()).collect();
    assert_eq!(
        sorted_by_path(&Value::Array(artifacts)),
        sorted_by_path(&report["scanned"])
    );
    for line in inputs {
        let path = &line["artifact"]["path"];
        assert!(line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["artifact"] == *path));
    }
    let mut expected: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::to_string)
        .collect();
    expected.sort();
    assert_eq!(line_findings(inputs), expected);
    assert_eq!(summary["summary"], report["summary"]);
    assert_eq!(summary["tool"], report["tool"]);

    // Written to a file, the same lines (up to their order).
    run(d, &["scan", "apps", "-f", "jsonl", "-o", "out.jsonl"], 0);
    let from_file = parse_lines(&std::fs::read(d.join("out.jsonl")).unwrap());
    assert_eq!(from_file.len(), lines.len());
    assert_eq!(line_findings(&from_file), expected);

    // --summary needs the whole report.
    run(d, &["scan", "apps", "-f", "jsonl", "--summary", "s.md"], 2);
}

#[test]
fn jsonl_findings_go_through_triage() {
    let dir = workspace();
    let d = dir.path();
    std::fs::write(
        d.join("mastiff.toml"),
        "[[allowlist]]\nrule = \"github-personal-access-token\"\nreason = \"test\"\n",
    )
    .unwrap();
    run(d, &["scan", "apps", "-f", "json", "-o", "base.json"], 0);
    let base = read_json(&d.join("base.json"));
    let allowed = base["summary"]["suppressed_by"]["allowlist"]
        .as_u64()
        .unwrap();
    assert!(allowed > 0, "the allowlist holds back something");

    let out = run(d, &["scan", "apps", "-f", "jsonl"], 0);
    let lines = parse_lines(&out.stdout);
    assert_eq!(lines.last().unwrap()["summary"], base["summary"]);
    assert!(!line_findings(&lines)
        .iter()
        .any(|f| f.contains("\"github-personal-access-token\"")));

    // With the baseline, nothing new: everything is held back and counted.
    let out = run(
        d,
        &[
            "scan",
            "apps",
            "-f",
            "jsonl",
            "--baseline",
            "base.json",
            "--fail-on",
            "info",
        ],
        0,
    );
    let lines = parse_lines(&out.stdout);
    assert!(line_findings(&lines).is_empty());
    let total = base["findings"].as_array().unwrap().len() as u64;
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["suppressed_by"]["baseline"], total);
    assert_eq!(summary["suppressed_by"]["allowlist"], allowed);
}

#[test]
fn shard_must_be_within_its_count() {
    let dir = workspace();
    for bad in ["0/2", "3/2", "1/0", "2"] {
        let out = run(dir.path(), &["scan", "apps", "--shard", bad], 2);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--shard"),
            "{bad}"
        );
    }
}
