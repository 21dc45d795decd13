//! Robustness of the scanner itself: hostile archives, limits, the time
//! budget, fault containment, exit codes, nothing lost in a mixed folder,
//! and output that cannot act on the reader's terminal or file system.

mod common;

use mastiff::archives::Limits;
use mastiff::detectors::{self, Detector, Match};
use mastiff::findings::{Finding, RuleInfo, ScannedArtifact};
use mastiff::fixtures::dex::DexBuilder;
use mastiff::fixtures::elf::ElfBuilder;
use mastiff::fixtures::samples::{self, planted};
use mastiff::fixtures::zipfile::{hostile, ZipBuilder};
use mastiff::formats::ScannedString;
use mastiff::inputs::Input;
use mastiff::scan::Scanner;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const AWS: &str = planted::AWS_ACCESS_KEY_ID;
const GITHUB: &str = planted::GITHUB_TOKEN;

fn scanner(limits: Limits) -> Scanner {
    Scanner::new(detectors::builtin().unwrap(), limits)
}

fn scan(bytes: &[u8], limits: Limits) -> (ScannedArtifact, Vec<Finding>) {
    scanner(limits).scan_bytes("in.zip", bytes)
}

/// Every (path, message) error of an artifact.
fn errors(a: &ScannedArtifact) -> Vec<(String, String)> {
    a.errors
        .iter()
        .map(|e| (e.path.clone(), e.message.clone()))
        .collect()
}

fn has_error(a: &ScannedArtifact, path: &str, needle: &str) -> bool {
    a.errors
        .iter()
        .any(|e| e.path == path && e.message.contains(needle))
}

/// (entry chain, unmasked value) of every finding.
fn found(findings: &[Finding]) -> Vec<(String, String)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| (f.location.chain[1..].join("!/"), f.value.clone()))
        .collect();
    v.sort();
    v
}

fn mastiff_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(common::mastiff_bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run mastiff")
}

/// Runs `mastiff scan FILE --format json EXTRA…` on `bytes` written to a
/// temporary file; returns the exit code and the parsed report.
fn scan_cli(bytes: &[u8], extra: &[&str]) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.bin");
    std::fs::write(&file, bytes).unwrap();
    let mut args = vec!["scan", file.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = mastiff_in(dir.path(), &args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), report)
}

/// (path, message) of every error of the only scanned artifact.
fn cli_errors(report: &Value) -> Vec<(String, String)> {
    report["scanned"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn cli_has_error(report: &Value, path: &str, needle: &str) -> bool {
    cli_errors(report)
        .iter()
        .any(|(p, m)| p == path && m.contains(needle))
}

// ---- archive defences ------------------------------------------------------

#[test]
fn zip_bomb_is_cut_at_the_ratio_and_reported() {
    let bomb = hostile::bomb(16 << 20);
    let limits = Limits {
        max_ratio: 100,
        ..Limits::default()
    };
    let (a, _) = scan(&bomb, limits);
    assert_eq!(a.entries, 1);
    let compressed = zip::ZipArchive::new(std::io::Cursor::new(&bomb))
        .unwrap()
        .by_index_raw(0)
        .unwrap()
        .compressed_size();
    let cap = limits.entry_cap(compressed);
    assert!(cap < 16 << 20);
    assert!(
        has_error(&a, "zeros.bin", "possible zip bomb"),
        "{:?}",
        errors(&a)
    );
    assert!(has_error(
        &a,
        "zeros.bin",
        &format!("first {cap} bytes scanned")
    ));
}

#[test]
fn max_entry_size_breach_is_reported() {
    let (code, report) = scan_cli(&hostile::bomb(4 << 20), &["--max-entry-size", "1048576"]);
    assert_eq!(code, Some(0));
    assert!(
        cli_has_error(&report, "zeros.bin", "per-entry limit of 1048576 bytes"),
        "{:?}",
        cli_errors(&report)
    );
}

#[test]
fn max_total_size_breach_is_reported() {
    let text = "line of text that deflates well\n".repeat(20_000);
    let zip = ZipBuilder::new()
        .deflated("a.txt", text.as_bytes())
        .deflated("b.txt", text.as_bytes())
        .deflated("c.txt", text.as_bytes())
        .build();
    let (_, report) = scan_cli(&zip, &["--max-total-size", "1000000", "--jobs", "1"]);
    let errs = cli_errors(&report);
    assert!(
        errs.iter()
            .any(|(_, m)| m.contains("total inflated size limit (1000000 bytes)")),
        "{errs:?}"
    );
}

#[test]
fn nesting_beyond_max_depth_is_reported() {
    let (_, report) = scan_cli(&hostile::nested(8), &["--max-depth", "3"]);
    assert!(
        cli_has_error(
            &report,
            "level2.zip!/level3.zip!/level4.zip",
            "nested deeper than 3 levels"
        ),
        "{:?}",
        cli_errors(&report)
    );
    assert_eq!(report["scanned"][0]["entries"], 3);
}

#[test]
fn huge_entry_counts_stop_at_max_entries() {
    let mut b = ZipBuilder::new();
    for i in 0..200_000 {
        b = b.stored(&format!("{i}"), b"x");
    }
    let (_, report) = scan_cli(&b.build(), &["--max-entries", "1000"]);
    assert_eq!(report["scanned"][0]["entries"], 1000);
    assert!(
        cli_has_error(
            &report,
            "",
            "archive has 200000 entries; only the first 1000 were scanned"
        ),
        "{:?}",
        cli_errors(&report)
    );
}

#[test]
fn overlapping_entries_are_reported() {
    let mut bytes = ZipBuilder::new()
        .stored("a.txt", AWS.as_bytes())
        .stored("b.txt", b"bravo")
        .build();
    // Point b.txt's central record at a.txt's local header (offset 0).
    let cd = bytes.len() - 22 - 2 * (46 + 5);
    let b_record = cd + 46 + 5;
    assert_eq!(&bytes[b_record..b_record + 4], b"PK\x01\x02");
    bytes[b_record + 42..b_record + 46].copy_from_slice(&[0; 4]);
    let (a, _) = scan(&bytes, Limits::default());
    assert!(
        has_error(&a, "b.txt", "overlaps entry \"a.txt\""),
        "{:?}",
        errors(&a)
    );
}

#[test]
fn local_header_disagreements_are_reported_per_entry() {
    let (a, _) = scan(&hostile::local_name_mismatch(), Limits::default());
    assert!(
        has_error(
            &a,
            "readme.txt",
            "local header names this entry \"../../payload.sh\""
        ),
        "{:?}",
        errors(&a)
    );
    assert_eq!(a.entries, 1, "still scanned as the central directory says");
    let (a, _) = scan(&hostile::local_size_mismatch(), Limits::default());
    assert!(has_error(
        &a,
        "sizes.txt",
        "local header says 3 compressed bytes, the central directory 16"
    ));
}

#[test]
fn every_copy_of_a_duplicated_name_is_reported_and_scanned() {
    let mut bytes = ZipBuilder::new()
        .stored("a.txt", AWS.as_bytes())
        .deflated("b.txt", GITHUB.as_bytes())
        .build();
    // Rename b.txt to a.txt in its local header and central record.
    let mut renamed = 0;
    for i in 0..bytes.len() - 5 {
        if &bytes[i..i + 5] == b"b.txt" {
            bytes[i] = b'a';
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2);
    let (a, findings) = scan(&bytes, Limits::default());
    assert!(
        has_error(&a, "a.txt", "2 entries share this name"),
        "{:?}",
        errors(&a)
    );
    assert_eq!(a.entries, 2);
    let found = found(&findings);
    assert!(
        found.contains(&("a.txt (copy 1 of 2)".into(), AWS.into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("a.txt".into(), GITHUB.into())),
        "{found:?}"
    );
}

#[test]
fn zip64_archives_are_read() {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("big.txt", opts).unwrap();
    w.write_all(format!("key = {AWS}\n").as_bytes()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let (a, findings) = scan(&bytes, Limits::default());
    assert!(a.errors.is_empty(), "{:?}", errors(&a));
    assert_eq!(found(&findings), [("big.txt".into(), AWS.into())]);
}

#[test]
fn data_descriptor_entries_are_read_without_complaint() {
    let (a, _) = scan(&hostile::data_descriptor(), Limits::default());
    assert!(a.errors.is_empty(), "{:?}", errors(&a));
    assert_eq!(a.entries, 1);
}

#[test]
fn unreadable_entries_are_reported_not_fatal() {
    let cases = [
        (hostile::fake_deflate(), "fake.txt", "cannot inflate"),
        (
            hostile::encrypted_flag(),
            "secret.txt",
            "encrypted; not scanned",
        ),
        (
            hostile::with_method(hostile::UNASSIGNED_METHOD),
            "data.bin",
            "",
        ),
    ];
    for (bytes, entry, needle) in cases {
        let (a, _) = scan(&bytes, Limits::default());
        assert!(has_error(&a, entry, needle), "{entry}: {:?}", errors(&a));
    }
}

#[test]
fn hostile_names_are_only_labels_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path().join("cwd");
    let inputs = work.path().join("in");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(&inputs).unwrap();
    let mut names = hostile::hostile_names();
    names.push(b"esc\x1b[2J.txt".to_vec());
    let app = inputs.join("names.zip");
    std::fs::write(&app, hostile::with_names(&names)).unwrap();

    let out = mastiff_in(
        &cwd,
        &[
            "scan",
            app.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            "out.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let listing = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = walk(d)
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().display().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(listing(&cwd), ["out.json"]);
    assert_eq!(listing(&inputs), ["names.zip"]);
    assert_eq!(listing(work.path()), ["cwd/out.json", "in/names.zip"]);

    let report: Value =
        serde_json::from_slice(&std::fs::read(cwd.join("out.json")).unwrap()).expect("valid JSON");
    assert_eq!(report["scanned"][0]["entries"], names.len());
}

/// Every file under `dir`, recursively (no symlinks followed).
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---- time budget -----------------------------------------------------------

#[test]
fn zero_time_budget_reports_a_partial_scan() {
    let (_, report) = scan_cli(&samples::demo_apk(), &["--timeout-per-file", "0"]);
    assert!(
        cli_has_error(
            &report,
            "",
            "partially scanned: time budget of 0 s exceeded"
        ),
        "{:?}",
        cli_errors(&report)
    );
    let (_, report) = scan_cli(&samples::demo_apk(), &["--timeout-per-file", "3600"]);
    assert!(
        cli_errors(&report)
            .iter()
            .all(|(_, m)| !m.contains("partially")),
        "{:?}",
        cli_errors(&report)
    );
    let dir = tempfile::tempdir().unwrap();
    let out = mastiff_in(dir.path(), &["scan", ".", "--timeout-per-file", "-1"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "negative budget is a usage error"
    );
}

// ---- fault containment -----------------------------------------------------

/// A detector that panics on any string containing `PANIC-NOW`.
struct Panicky;

impl Detector for Panicky {
    fn rules(&self) -> &[RuleInfo] {
        &[]
    }

    fn detect(&self, s: &ScannedString<'_>, _out: &mut Vec<Match>) {
        if s.text.windows(9).any(|w| w == b"PANIC-NOW") {
            panic!("detector gave up");
        }
    }
}

fn panicky_scanner() -> Scanner {
    let mut d = detectors::builtin().unwrap();
    d.push(Box::new(Panicky));
    Scanner::new(d, Limits::default())
}

#[test]
fn a_panic_in_one_entry_is_contained_and_reported() {
    let zip = ZipBuilder::new()
        .stored("bad.txt", b"PANIC-NOW")
        .stored("good.txt", format!("key={AWS}\n").as_bytes())
        .build();
    let (a, findings) = panicky_scanner().scan_bytes("app.zip", &zip);
    assert!(
        has_error(
            &a,
            "bad.txt",
            "internal error while scanning this entry (not scanned): detector gave up"
        ),
        "{:?}",
        errors(&a)
    );
    assert_eq!(found(&findings), [("good.txt".into(), AWS.into())]);
}

#[test]
fn a_panic_in_a_top_level_file_is_contained_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    let good = dir.path().join("good.txt");
    std::fs::write(&bad, "PANIC-NOW").unwrap();
    std::fs::write(&good, format!("key={AWS}\n")).unwrap();
    let inputs: Vec<Input> = [bad, good]
        .into_iter()
        .map(|p| Input {
            display: p.file_name().unwrap().to_string_lossy().into_owned(),
            path: p,
        })
        .collect();
    let report = panicky_scanner().scan_inputs(&inputs);
    assert_eq!(report.scanned.len(), 2);
    let bad = &report.scanned[0];
    assert_eq!(bad.path, "bad.txt");
    assert!(
        has_error(
            bad,
            "",
            "internal error while scanning this file (not scanned): detector gave up"
        ),
        "{:?}",
        errors(bad)
    );
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].artifact, "good.txt");
}

// ---- exit codes ------------------------------------------------------------

#[test]
fn exit_codes_separate_findings_from_incomplete_scans() {
    let broken = hostile::fake_deflate();
    let clean = ZipBuilder::new().stored("a.txt", b"nothing here").build();
    let secret = ZipBuilder::new()
        .stored("a.txt", format!("{AWS}\n").as_bytes())
        .build();
    // A broken entry and a finding: findings win.
    let both = ZipBuilder::new()
        .stored("inner.zip", &broken)
        .stored("a.txt", format!("{AWS}\n").as_bytes())
        .build();
    let flag = ["--fail-on-incomplete", "--fail-on", "high"];
    assert_eq!(scan_cli(&broken, &[]).0, Some(0));
    assert_eq!(scan_cli(&broken, &flag).0, Some(3));
    assert_eq!(scan_cli(&clean, &flag).0, Some(0));
    assert_eq!(scan_cli(&secret, &flag).0, Some(1));
    assert_eq!(scan_cli(&both, &flag).0, Some(1));

    let help = mastiff_in(Path::new("."), &["scan", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--fail-on-incomplete"));
    assert!(help.contains("3 (only with --fail-on-incomplete"), "{help}");
}

// ---- nothing lost ----------------------------------------------------------

/// Good files, each with findings of its own.
fn good_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut dex = DexBuilder::new();
    dex.class("a.Keys").static_string_field("GH", GITHUB);
    vec![
        ("demo.apk", samples::demo_apk()),
        ("demo.ipa", samples::demo_ipa()),
        ("classes.dex", dex.build()),
        (
            "libkey.so",
            ElfBuilder::new().rodata(planted::SENDGRID_KEY).build(),
        ),
        ("config.txt", format!("aws={AWS}\n").into_bytes()),
    ]
}

/// Broken files, each of which yields at least one scan error.
fn broken_files() -> Vec<(&'static str, Vec<u8>)> {
    let apk = samples::demo_apk();
    let mut dex = DexBuilder::new();
    dex.class("a.B").static_string_field("K", "v");
    let mut dex = dex.build();
    dex.truncate(0x80);
    vec![
        ("cut.apk", apk[..apk.len() / 2].to_vec()),
        ("fake.zip", hostile::fake_deflate()),
        ("encrypted.zip", hostile::encrypted_flag()),
        ("dup.zip", hostile::duplicate_names()),
        ("cut.dex", dex),
    ]
}

#[test]
fn broken_files_do_not_change_what_good_files_yield() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    for (name, bytes) in good_files() {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        good.push(p);
    }
    let mut broken = Vec::new();
    for (name, bytes) in broken_files() {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        broken.push(p);
    }
    let mut inputs: Vec<Input> = good
        .iter()
        .chain(&broken)
        .map(|p| Input {
            path: p.clone(),
            display: p.display().to_string(),
        })
        .collect();
    if let Some(corpus) = common::corpus_dir() {
        for p in common::files_under(&corpus.join("odd")) {
            inputs.push(Input {
                display: p.display().to_string(),
                path: p,
            });
        }
    }
    let s = scanner(Limits::default());
    let all = s.scan_inputs(&inputs);
    assert_eq!(all.scanned.len(), inputs.len(), "every input is listed");
    for p in &broken {
        let a = all
            .scanned
            .iter()
            .find(|a| a.path == p.display().to_string())
            .unwrap();
        assert!(!a.errors.is_empty(), "{} has no error", a.path);
    }
    for p in &good {
        let display = p.display().to_string();
        let alone = s.scan_inputs(&[Input {
            path: p.clone(),
            display: display.clone(),
        }]);
        assert!(!alone.findings.is_empty(), "{display} has no finding");
        let mixed: Vec<&Finding> = all
            .findings
            .iter()
            .filter(|f| f.artifact == display)
            .collect();
        let alone: Vec<&Finding> = alone.findings.iter().collect();
        assert_eq!(
            mixed.iter().map(|f| &f.fingerprint).collect::<Vec<_>>(),
            alone.iter().map(|f| &f.fingerprint).collect::<Vec<_>>(),
            "{display}"
        );
    }
}

#[test]
fn every_error_reaches_json_sarif_and_text() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in broken_files().into_iter().chain(good_files()) {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let run = |format: &str| mastiff_in(dir.path(), &["scan", ".", "--format", format]).stdout;
    let json: Value = serde_json::from_slice(&run("json")).unwrap();
    let scanned = json["scanned"].as_array().unwrap();
    assert_eq!(scanned.len(), 10);
    let errors: usize = scanned
        .iter()
        .map(|a| a["errors"].as_array().unwrap().len())
        .sum();
    assert!(errors >= 5);

    let sarif: Value = serde_json::from_slice(&run("sarif")).unwrap();
    // One run per platform: every scan error is a notification in its run.
    let notes = common::sarif_problem_notifications(&sarif);
    assert_eq!(notes, errors);

    let text = String::from_utf8(run("text")).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  error: ")).count(),
        errors
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.ends_with(&format!("10 artifacts scanned; {errors} errors")),
        "{last}"
    );
}

// ---- output safety ---------------------------------------------------------

#[test]
fn escape_sequences_from_a_dex_never_reach_the_terminal() {
    let mut dex = DexBuilder::new();
    dex.class("evil.\u{1b}[2JKeys")
        .static_string_field("AWS", AWS)
        .method_with_strings("x", &["\u{1b}]0;owned\u{7}"]);
    let apk = ZipBuilder::new()
        .deflated("classes.dex", &dex.build())
        .build();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.apk"), apk).unwrap();
    let out = mastiff_in(
        dir.path(),
        &["scan", "evil.apk", "--color", "never", "--show-secrets"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.contains(&0x1b), "raw ESC in the text report");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("evil.\\x1b[2JKeys"), "{text}");
    assert!(text.contains(AWS));
}
