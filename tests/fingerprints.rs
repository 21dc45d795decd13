//! Alerts stay put across releases: the demo APK rebuilt with another
//! versionCode, a DEX whose strings moved, entries in another order with
//! other timestamps and compression, new signature files and another file
//! name keeps the fingerprint of every finding.

mod common;

use mastiff::fixtures::dex::DexBuilder;
use mastiff::fixtures::samples::{self, planted};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// The demo's manifest with another versionCode and versionName.
fn manifest(version_code: i32, version_name: &str) -> Vec<u8> {
    samples::demo_manifest(version_code, version_name)
}

/// The demo's classes.dex with a new build-info class and more strings, so
/// that every string of the old one sits at another offset.
fn classes_dex(version_name: &str) -> Vec<u8> {
    let mut dex = DexBuilder::new();
    dex.class("dev.mastiff.demo.AaaBuildInfo")
        .static_string_field("VERSION_NAME", version_name)
        .method_with_strings("describe", &["built by the release pipeline", "arm64"]);
    dex.class("dev.mastiff.demo.BuildConfig")
        .static_string_field("APPLICATION_ID", "dev.mastiff.demo")
        .static_string_field("AWS_ACCESS_KEY_ID", planted::AWS_ACCESS_KEY_ID)
        .static_string_field("AWS_SECRET_ACCESS_KEY", planted::AWS_SECRET_ACCESS_KEY);
    dex.class("dev.mastiff.demo.net.PaymentClient")
        .method_const_string_to_field("<clinit>", "STRIPE_KEY", planted::STRIPE_SECRET_KEY)
        .method_with_strings("baseUrl", &["https://api.mastiff-demo.dev/v2/payments"]);
    dex.class("dev.mastiff.demo.MainActivity")
        .method_with_strings("onCreate", &["Welcome to the demo", "main_screen"]);
    dex.build()
}

/// The demo APK rebuilt as a new release: every entry of the committed
/// one, in reverse order, with other timestamps and compression, a new
/// manifest and classes.dex, and signature files added by a re-sign.
fn next_release() -> Vec<u8> {
    let demo = samples::demo_apk();
    let mut archive = ZipArchive::new(Cursor::new(demo)).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        entries.push((f.name().unwrap().to_string(), data));
    }
    entries.reverse();
    for (name, data) in &mut entries {
        match name.as_str() {
            "AndroidManifest.xml" => *data = manifest(4, "1.3.0"),
            "classes.dex" => *data = classes_dex("1.3.0"),
            _ => {}
        }
    }
    entries.push((
        "META-INF/MANIFEST.MF".into(),
        b"Manifest-Version: 1.0\r\nCreated-By: 1.0 (Android)\r\n\r\n".to_vec(),
    ));
    entries.push((
        "META-INF/CERT.SF".into(),
        b"Signature-Version: 1.0\r\n\r\n".to_vec(),
    ));

    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (name, data)) in entries.iter().enumerate() {
        let method = if i % 2 == 0 {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let time = DateTime::from_date_and_time(2031, 7, 14, 9, (i % 60) as u8, 42).unwrap();
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(time);
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// fingerprint → (rule, inner path, offset) of every finding.
fn scan(path: &Path) -> BTreeMap<String, (String, String, Option<u64>)> {
    let out = Command::new(common::mastiff_bin())
        .args(["scan", "--format", "json", "-q"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fingerprint"].as_str().unwrap().to_string(),
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["location"]["path"].as_str().unwrap().to_string(),
                    f["location"]["offset"].as_u64(),
                ),
            )
        })
        .collect()
}

#[test]
fn rebuilt_and_resigned_app_keeps_every_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("app-1.2.0.apk");
    let new_path = dir.path().join("app-1.3.0.apk");
    let release = next_release();
    assert_ne!(release, samples::demo_apk());
    std::fs::write(&old_path, samples::demo_apk()).unwrap();
    std::fs::write(&new_path, &release).unwrap();

    let old = scan(&old_path);
    let new = scan(&new_path);
    assert!(old.len() >= 8, "{old:#?}");
    let old_fps: Vec<&String> = old.keys().collect();
    let new_fps: Vec<&String> = new.keys().collect();
    assert_eq!(old_fps, new_fps, "old: {old:#?}\nnew: {new:#?}");

    // The rebuild did move things: DEX findings sit at other offsets.
    let moved = old
        .iter()
        .filter(|(fp, (_, path, offset))| path == "classes.dex" && new[*fp].2 != *offset)
        .count();
    assert!(moved > 0, "no classes.dex finding moved: {old:#?}");
}

#[test]
fn sarif_fingerprints_match_the_json_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.apk");
    std::fs::write(&path, next_release()).unwrap();
    let json = scan(&path);
    let out = Command::new(common::mastiff_bin())
        .args(["scan", "--format", "sarif", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut from_sarif: Vec<String> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["results"].as_array().unwrap())
        .map(|r| {
            let fp = r["partialFingerprints"]["mastiff/v1"].as_str().unwrap();
            assert_eq!(
                r["partialFingerprints"]["primaryLocationLineHash"],
                format!("{fp}:1")
            );
            fp.to_string()
        })
        .collect();
    from_sarif.sort();
    assert_eq!(from_sarif, json.keys().cloned().collect::<Vec<_>>());
}
