//! The endpoint inventory: `mastiff endpoints` and the JSON report's
//! `scanned[].endpoints`, on the bundled samples.

mod common;

use common::mastiff_bin;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(mastiff_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mastiff runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn inventory_lists_the_apps_backend_as_first_party_with_its_location() {
    let (code, out) = run(&["endpoints", "samples/demo-android.apk", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let endpoints = doc[0]["endpoints"].as_array().unwrap();
    let api = endpoints
        .iter()
        .find(|e| e["endpoint"] == "https://api.mastiff-demo.dev/v2/payments")
        .expect("the payments API is listed");
    assert_eq!(api["party"], "first");
    assert_eq!(api["domain"], "mastiff-demo.dev");
    assert_eq!(api["locations"][0]["path"], "classes.dex");
    assert_eq!(
        api["locations"][0]["symbol"],
        "dev.mastiff.demo.net.PaymentClient"
    );
}

#[test]
fn secrets_inside_endpoints_stay_masked() {
    let (_, out) = run(&["endpoints", "samples/demo-android.apk", "--format", "csv"]);
    let planted = mastiff::fixtures::samples::planted::SLACK_WEBHOOK;
    assert!(out.lines().count() >= 3, "{out}");
    assert!(!out.contains(planted), "webhook shown unmasked:\n{out}");
    let (_, json) = run(&["scan", "samples/demo-android.apk", "--format", "json"]);
    assert!(!json.contains(planted));
}

#[test]
fn scan_report_carries_the_same_inventory() {
    let (_, json) = run(&["scan", "samples/demo-ios.ipa", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let endpoints = doc["scanned"][0]["endpoints"].as_array().unwrap();
    assert!(endpoints
        .iter()
        .any(|e| e["endpoint"] == "https://api.mastiff-demo.dev/v2" && e["kind"] == "url"));
    let (_, inv) = run(&["endpoints", "samples/demo-ios.ipa", "--format", "json"]);
    let inv: serde_json::Value = serde_json::from_str(&inv).unwrap();
    assert_eq!(&inv[0]["endpoints"], &doc["scanned"][0]["endpoints"]);
}
