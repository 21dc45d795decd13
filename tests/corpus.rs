//! Every file of the third-party corpus scans without a panic and with its
//! problems reported per artifact. Skips when the corpus is absent.

mod common;

use mastiff::archives::Limits;
use mastiff::detectors;
use mastiff::scan::Scanner;

#[test]
fn every_corpus_file_scans_without_panic() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let scanner = Scanner::new(detectors::builtin().unwrap(), Limits::default());
    let files = common::files_under(&dir);
    assert!(
        files.len() > 100,
        "corpus looks incomplete: {} files",
        files.len()
    );
    let mut internal = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let display = file.strip_prefix(&dir).unwrap().display().to_string();
        let (artifact, _findings) = scanner.scan_bytes(&display, &bytes);
        assert_eq!(artifact.bytes, bytes.len() as u64);
        assert_eq!(artifact.sha256.len(), 64);
        for e in &artifact.errors {
            if e.message.contains("internal error") {
                internal.push(format!("{display}!/{}: {}", e.path, e.message));
            }
        }
    }
    assert!(
        internal.is_empty(),
        "panics caught while scanning:\n{}",
        internal.join("\n")
    );
}

#[test]
fn corpus_archives_are_classified_by_layout() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let scanner = Scanner::new(Vec::new(), Limits::default());
    for (file, kind) in [
        ("vuln-android/diva-beta.apk", "apk"),
        ("real-android/appinfo-android.aab", "aab"),
        ("real-ios/mobsf-helloworld.ipa", "ipa"),
        ("dex/r2-Hello.dex", "dex"),
        ("macho/goblin-hello_world_fat_binaries", "mach-o-fat"),
        // Named .jar, but laid out as an APK: content decides, not the name.
        ("dex/scrcpy-server-v1.24.jar", "apk"),
        ("dex/androguard-OPCommonTelephony.jar", "jar"),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let (artifact, _) = scanner.scan_bytes(file, &bytes);
        assert_eq!(artifact.kind, kind, "{file}");
    }
}

#[test]
fn corpus_sarif_validates_against_the_schema() {
    let (Some(dir), Some(_)) = (common::corpus_dir(), common::schemas_dir()) else {
        return;
    };
    let scanner = Scanner::new(detectors::builtin().unwrap(), Limits::default());
    let inputs: Vec<mastiff::inputs::Input> = common::files_under(&dir)
        .into_iter()
        .map(|path| mastiff::inputs::Input {
            display: path.strip_prefix(&dir).unwrap().display().to_string(),
            path,
        })
        .collect();
    let report = scanner.scan_inputs(&inputs);
    let mut sarif = Vec::new();
    let opts = mastiff::reports::ReportOptions::default();
    mastiff::reports::render(&report, mastiff::reports::Format::Sarif, &opts, &mut sarif).unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif).unwrap();
    let errors = common::sarif_schema_errors(&sarif).unwrap();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // Every scan error of the corpus is a notification, so nothing is lost.
    let notifications = common::sarif_problem_notifications(&sarif);
    assert_eq!(notifications, report.error_count());
}
