//! The bundled demo apps: reproducible from code, and scanned end to end by
//! the `mastiff` binary with the planted secrets found where they were put.

mod common;

use mastiff::fixtures::samples::{self, planted};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn mastiff(args: &[&str]) -> Output {
    Command::new(common::mastiff_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run mastiff")
}

fn scan_json(path: &str, extra: &[&str]) -> Value {
    let mut args = vec!["scan", path, "--format", "json"];
    args.extend_from_slice(extra);
    let out = mastiff(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// (rule, chain, symbol, value) of every finding.
fn findings(report: &Value) -> Vec<(String, Vec<String>, Option<String>, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let chain = f["location"]["chain"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            (
                f["rule_id"].as_str().unwrap().to_string(),
                chain,
                f["location"]["symbol"].as_str().map(str::to_string),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn chain(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

#[test]
fn committed_samples_are_a_fresh_build() {
    assert!(
        std::fs::read(sample("demo-android.apk")).unwrap() == samples::demo_apk(),
        "samples/demo-android.apk is stale: run `cargo run --example build-samples`"
    );
    assert!(
        std::fs::read(sample("demo-ios.ipa")).unwrap() == samples::demo_ipa(),
        "samples/demo-ios.ipa is stale: run `cargo run --example build-samples`"
    );
}

#[test]
fn android_sample_findings_are_at_their_chain_and_symbol() {
    let report = scan_json("samples/demo-android.apk", &["--show-secrets"]);
    let got = findings(&report);
    let apk = "samples/demo-android.apk";
    let expected = [
        (
            "aws-access-key-id",
            chain(&[apk, "classes.dex"]),
            Some("dev.mastiff.demo.BuildConfig"),
            planted::AWS_ACCESS_KEY_ID,
        ),
        (
            "aws-secret-access-key",
            chain(&[apk, "classes.dex"]),
            Some("dev.mastiff.demo.BuildConfig"),
            planted::AWS_SECRET_ACCESS_KEY,
        ),
        (
            "stripe-secret-key",
            chain(&[apk, "classes.dex"]),
            Some("dev.mastiff.demo.net.PaymentClient"),
            planted::STRIPE_SECRET_KEY,
        ),
        (
            "github-personal-access-token",
            chain(&[apk, "classes2.dex"]),
            Some("dev.mastiff.demo.sync.ReleaseUploader"),
            planted::GITHUB_TOKEN,
        ),
        (
            "generic-password",
            chain(&[apk, "classes2.dex"]),
            Some("dev.mastiff.demo.db.LocalStore"),
            planted::DB_PASSWORD,
        ),
        (
            "google-api-key",
            chain(&[apk, "AndroidManifest.xml"]),
            Some("manifest/application/meta-data"),
            planted::MAPS_API_KEY,
        ),
        (
            "slack-webhook-url",
            chain(&[apk, "assets/config.json"]),
            Some("alerts.slack_webhook"),
            planted::SLACK_WEBHOOK,
        ),
        (
            "sendgrid-api-key",
            chain(&[apk, "lib/arm64-v8a/libdemo.so"]),
            Some(".rodata"),
            planted::SENDGRID_KEY,
        ),
        (
            "key-private-key-embedded",
            chain(&[apk, "assets/bundle.zip", "keys/upload.pem"]),
            None,
            "RSA private key (pem)",
        ),
    ];
    for (rule, chain, symbol, value) in expected {
        assert!(
            got.iter().any(|(r, c, s, v)| r == rule
                && *c == chain
                && s.as_deref() == symbol
                && v.starts_with(value)),
            "missing {rule} at {chain:?} ({symbol:?}); got:\n{got:#?}"
        );
    }
    // One secret, one finding: generic rules yield to the specific ones.
    let per_value = |v: &str| got.iter().filter(|(_, _, _, value)| value == v).count();
    assert_eq!(per_value(planted::GITHUB_TOKEN), 1, "{got:#?}");
    assert_eq!(per_value(planted::AWS_SECRET_ACCESS_KEY), 1, "{got:#?}");
    let line = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "slack-webhook-url")
        .unwrap()["location"]["line"]
        .clone();
    assert_eq!(line, 4);
}

#[test]
fn ios_sample_findings_are_at_their_chain_and_symbol() {
    let report = scan_json("samples/demo-ios.ipa", &["--show-secrets"]);
    let got = findings(&report);
    let ipa = "samples/demo-ios.ipa";
    let app = "Payload/MastiffDemo.app/";
    let expected = [
        (
            "aws-access-key-id",
            chain(&[ipa, &format!("{app}MastiffDemo")]),
            Some("__TEXT,__cstring"),
            planted::IOS_AWS_ACCESS_KEY_ID,
        ),
        (
            "slack-bot-token",
            chain(&[ipa, &format!("{app}MastiffDemo")]),
            Some("__TEXT,__cstring"),
            planted::SLACK_BOT_TOKEN,
        ),
        (
            "mapbox-secret-token",
            chain(&[ipa, &format!("{app}Info.plist")]),
            Some("MBXAccessToken"),
            planted::MAPBOX_SECRET_TOKEN,
        ),
        (
            "google-api-key",
            chain(&[ipa, &format!("{app}GoogleService-Info.plist")]),
            Some("API_KEY"),
            planted::FIREBASE_API_KEY,
        ),
    ];
    for (rule, chain, symbol, value) in expected {
        assert!(
            got.iter().any(|(r, c, s, v)| r == rule
                && *c == chain
                && s.as_deref() == symbol
                && v == value),
            "missing {rule} at {chain:?} ({symbol:?}); got:\n{got:#?}"
        );
    }
    // The fat binary's two slices hold the same strings: reported once.
    assert_eq!(
        got.iter()
            .filter(|f| f.3 == planted::SLACK_BOT_TOKEN)
            .count(),
        1
    );
    assert_eq!(report["scanned"][0]["kind"], "ipa");
}

#[test]
fn values_are_masked_unless_asked_in_every_format() {
    for format in ["text", "json", "sarif"] {
        let out = mastiff(&["scan", "samples/", "--format", format]);
        let text = String::from_utf8_lossy(&out.stdout);
        for secret in [
            planted::STRIPE_SECRET_KEY,
            planted::GITHUB_TOKEN,
            planted::DB_PASSWORD,
            planted::SLACK_BOT_TOKEN,
        ] {
            assert!(!text.contains(secret), "{format} output leaks {secret}");
        }
        let shown = mastiff(&["scan", "samples/", "--format", format, "--show-secrets"]);
        assert!(
            String::from_utf8_lossy(&shown.stdout).contains(planted::STRIPE_SECRET_KEY),
            "{format}"
        );
    }
}

#[test]
fn exit_codes_gate_ci() {
    assert_eq!(
        mastiff(&["scan", "samples/demo-android.apk"]).status.code(),
        Some(0)
    );
    assert_eq!(
        mastiff(&["scan", "samples/demo-android.apk", "--fail-on", "high"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        mastiff(&["scan", "samples/demo-ios.ipa", "--fail-on", "critical"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        mastiff(&["scan", "samples/no-such-file.apk"]).status.code(),
        Some(2)
    );
    assert_eq!(
        mastiff(&["scan", "--format", "yaml", "samples/"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        mastiff(&[
            "scan",
            "samples/demo-ios.ipa",
            "-o",
            "/nonexistent-dir/out.json"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn output_file_is_written_and_sarif_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.sarif");
    let out = mastiff(&[
        "scan",
        "samples/",
        "--format",
        "sarif",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let sarif: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    // One run per platform: the Android and the iOS demo.
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    let results: Vec<&Value> = runs
        .iter()
        .flat_map(|run| run["results"].as_array().unwrap())
        .collect();
    assert!(results.len() >= 13, "{}", results.len());
    for r in results {
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("samples/demo-"), "{uri}");
    }
    if let Some(errors) = common::sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn rules_check_passes_and_list_is_complete() {
    let out = mastiff(&["rules", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let list = mastiff(&["rules", "list", "--format", "json"]);
    let rules: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert!(rules.as_array().unwrap().len() >= 150);
}
