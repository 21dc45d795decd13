//! `--cache DIR`: a warm cache gives the same report as no cache, and
//! reuses the results of unchanged entries.

mod common;

use common::mastiff_bin;
use std::process::Command;

fn scan(args: &[&str]) -> (serde_json::Value, String) {
    let out = Command::new(mastiff_bin())
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mastiff runs");
    let json = serde_json::from_slice(&out.stdout).expect("a JSON report");
    (json, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The parts of a report a cache must not change.
fn results(report: &serde_json::Value) -> serde_json::Value {
    let scanned: Vec<serde_json::Value> = report["scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            serde_json::json!({
                "path": s["path"], "entries": s["entries"], "errors": s["errors"],
                "apps": s["apps"], "endpoints": s["endpoints"],
            })
        })
        .collect();
    serde_json::json!({ "findings": report["findings"], "scanned": scanned })
}

#[test]
fn cached_scans_equal_uncached_ones_and_reuse_entries() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    let inputs = ["samples/demo-android.apk", "samples/demo-ios.ipa"];
    let (plain, _) = scan(&inputs);
    let mut cold_args = inputs.to_vec();
    cold_args.extend(["--cache", cache, "--verbose"]);
    let (cold, cold_log) = scan(&cold_args);
    let (warm, warm_log) = scan(&cold_args);
    assert_eq!(results(&plain), results(&cold));
    assert_eq!(results(&plain), results(&warm));
    assert!(
        !plain["findings"].as_array().unwrap().is_empty(),
        "the samples have findings"
    );
    assert!(cold_log.contains("cache: 0 entries reused"), "{cold_log}");
    let reused = warm_log
        .lines()
        .find_map(|l| l.strip_prefix("mastiff: cache: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(reused > 0, "{warm_log}");
    assert!(warm_log.contains(", 0 scanned and stored"), "{warm_log}");
}
