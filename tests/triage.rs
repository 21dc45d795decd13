//! Gates and triage, end to end on the `mastiff` binary: configuration
//! (rules, severities, allowlists with reasons), baselines, --fail-on,
//! --min-confidence, Markdown summaries, completions and the man page.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// Runs mastiff in `dir` (where a mastiff.toml may sit).
fn mastiff_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::mastiff_bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run mastiff")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rules_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

fn apk() -> String {
    sample("demo-android.apk").to_str().unwrap().to_string()
}

#[test]
fn config_allowlist_disable_and_severity_apply() {
    let dir = tempfile::tempdir().unwrap();
    let plain = json(&mastiff_in(dir.path(), &["scan", &apk(), "-f", "json"]));
    let all = rules_of(&plain);
    assert!(all.contains(&"stripe-secret-key".to_string()), "{all:?}");

    std::fs::write(
        dir.path().join("mastiff.toml"),
        r#"
[rules]
disable = ["aws-access-key-id"]

[severity]
stripe-secret-key = "info"

[[allowlist]]
path = "**/classes2.dex"
reason = "classes2.dex is a test fixture module"
"#,
    )
    .unwrap();
    let out = mastiff_in(dir.path(), &["scan", &apk(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let left = rules_of(&report);
    assert!(!left.contains(&"aws-access-key-id".to_string()), "{left:?}");
    let in_classes2 = plain["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["path"] == "classes2.dex")
        .count();
    assert!(in_classes2 > 0);
    assert_eq!(report["summary"]["suppressed_by"]["allowlist"], in_classes2);
    assert_eq!(report["summary"]["suppressed"], in_classes2);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["location"]["path"] != "classes2.dex"));
    let stripe = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "stripe-secret-key")
        .unwrap();
    assert_eq!(stripe["severity"], "info");
}

#[test]
fn allowlist_entry_without_reason_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mastiff.toml"),
        "[[allowlist]]\nrule = \"stripe-secret-key\"\n",
    )
    .unwrap();
    let out = mastiff_in(dir.path(), &["scan", &apk()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mastiff.toml"), "{err}");
    assert!(
        err.contains("allowlist entry 1 (rule = \"stripe-secret-key\"): `reason` is required"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    // --config names another file; a typo in a rule id is an error too.
    let other = dir.path().join("ci.toml");
    std::fs::write(&other, "[rules]\ndisable = [\"stripe-secret-kye\"]\n").unwrap();
    let out = mastiff_in(
        dir.path(),
        &["scan", &apk(), "--config", other.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `stripe-secret-kye`"));
}

#[test]
fn fingerprint_and_value_allowlists() {
    let dir = tempfile::tempdir().unwrap();
    let plain = json(&mastiff_in(dir.path(), &["scan", &apk(), "-f", "json"]));
    let first = &plain["findings"][0];
    let fp = first["fingerprint"].as_str().unwrap();
    std::fs::write(
        dir.path().join("mastiff.toml"),
        format!(
            "[[allowlist]]\nfingerprint = \"{fp}\"\nreason = \"reviewed\"\n\n\
             [[allowlist]]\nrule = \"stripe-secret-key\"\nvalue = \"^sk_live_zteI\"\nreason = \"revoked key\"\n"
        ),
    )
    .unwrap();
    let report = json(&mastiff_in(dir.path(), &["scan", &apk(), "-f", "json"]));
    let fps: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert!(!fps.contains(&fp));
    assert!(!rules_of(&report).contains(&"stripe-secret-key".to_string()));
    let suppressed = report["summary"]["suppressed"].as_u64().unwrap();
    assert!(suppressed >= 2, "{suppressed}");
    assert_eq!(
        report["findings"].as_array().unwrap().len() as u64 + suppressed,
        plain["findings"].as_array().unwrap().len() as u64
    );
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = mastiff_in(
        dir.path(),
        &[
            "baseline",
            "create",
            &apk(),
            "-o",
            baseline.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("baseline of"));
    let known: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    let n = known["findings"].as_array().unwrap().len();
    assert!(n > 0);

    // Same app: nothing new, so even --fail-on info passes.
    let b = baseline.to_str().unwrap();
    let out = mastiff_in(
        dir.path(),
        &[
            "scan",
            &apk(),
            "-f",
            "json",
            "--baseline",
            b,
            "--fail-on",
            "info",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["summary"]["suppressed_by"]["baseline"], n);

    // Another app: everything is new.
    let ipa = sample("demo-ios.ipa");
    let out = mastiff_in(
        dir.path(),
        &[
            "scan",
            ipa.to_str().unwrap(),
            "-f",
            "json",
            "--baseline",
            b,
            "--fail-on",
            "high",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["summary"]["suppressed"], 0);

    // A SARIF report is a baseline too.
    let sarif = dir.path().join("old.sarif");
    let out = mastiff_in(
        dir.path(),
        &["scan", &apk(), "-f", "sarif", "-o", sarif.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = mastiff_in(
        dir.path(),
        &[
            "scan",
            &apk(),
            "-f",
            "json",
            "--baseline",
            sarif.to_str().unwrap(),
        ],
    );
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);

    // A baseline that is not a report is an error, not an empty baseline.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"x\": 1}").unwrap();
    let out = mastiff_in(
        dir.path(),
        &["scan", &apk(), "--baseline", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a mastiff JSON report"));
}

#[test]
fn fail_on_follows_reported_severities_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let code = |args: &[&str]| {
        let mut all = vec!["scan", "-q"];
        let a = apk();
        all.push(&a);
        all.extend_from_slice(args);
        mastiff_in(dir.path(), &all).status.code()
    };
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "critical"]), Some(1));
    assert_eq!(code(&["--fail-on", "none"]), Some(0));

    // Every rule that fires on the demo turned down to low: medium passes.
    let plain = json(&mastiff_in(dir.path(), &["scan", &apk(), "-f", "json"]));
    let mut ids = rules_of(&plain);
    ids.sort();
    ids.dedup();
    let lowered: String = ids.iter().map(|id| format!("{id} = \"low\"\n")).collect();
    std::fs::write(
        dir.path().join("mastiff.toml"),
        format!("fail-on = \"medium\"\n[severity]\n{lowered}"),
    )
    .unwrap();
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "low"]), Some(1));
    // The configuration's own fail-on applies when the flag is absent.
    std::fs::write(dir.path().join("mastiff.toml"), "fail-on = \"high\"\n").unwrap();
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--fail-on", "none"]), Some(0));
}

#[test]
fn min_confidence_drops_less_confident_findings() {
    let dir = tempfile::tempdir().unwrap();
    let confidences = |args: &[&str]| {
        let a = apk();
        let mut all = vec!["scan", a.as_str(), "-f", "json"];
        all.extend_from_slice(args);
        let report = json(&mastiff_in(dir.path(), &all));
        let c: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["confidence"].as_str().unwrap().to_string())
            .collect();
        (c, report["summary"]["suppressed"].as_u64().unwrap())
    };
    let (all, _) = confidences(&[]);
    assert!(all.iter().any(|c| c != "high"), "{all:?}");
    let (high, suppressed) = confidences(&["--min-confidence", "high"]);
    assert!(
        !high.is_empty() && high.iter().all(|c| c == "high"),
        "{high:?}"
    );
    assert_eq!(high.len(), all.iter().filter(|c| *c == "high").count());
    assert_eq!(suppressed, 0, "a confidence floor is not a suppression");
    let (low, _) = confidences(&["--min-confidence", "low"]);
    assert_eq!(low, all);
}

#[test]
fn markdown_report_and_appended_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = mastiff_in(dir.path(), &["scan", &apk(), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## mastiff: "), "{md}");
    assert!(md.contains("| Severity | Findings |"));
    assert!(md.contains("| Severity | Rule | Location | Value |"));
    assert!(!md.contains(mastiff::fixtures::samples::planted::STRIPE_SECRET_KEY));

    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# Earlier step\n").unwrap();
    let sarif = dir.path().join("out.sarif");
    let out = mastiff_in(
        dir.path(),
        &[
            "scan",
            &apk(),
            "-f",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("# Earlier step\n## mastiff: "), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("report written to"), "{err}");
    // --quiet keeps standard error for errors only.
    let out = mastiff_in(
        dir.path(),
        &[
            "scan",
            &apk(),
            "-f",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
            "-q",
        ],
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn verbose_prints_per_input_timing() {
    let dir = tempfile::tempdir().unwrap();
    let ipa = sample("demo-ios.ipa");
    let out = mastiff_in(
        dir.path(),
        &["scan", &apk(), ipa.to_str().unwrap(), "-f", "json", "-v"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no configuration file"), "{err}");
    for name in ["demo-android.apk: apk, ", "demo-ios.ipa: ipa, "] {
        let line = err
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{err}"));
        assert!(line.ends_with(" ms"), "{line}");
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = mastiff_in(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("min-confidence"), "{shell}");
    }
    let out = mastiff_in(dir.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains(".TH mastiff 1"));
    let out = mastiff_in(dir.path(), &["man", "scan"]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\\-\\-baseline"));
    assert_eq!(
        mastiff_in(dir.path(), &["man", "nope"]).status.code(),
        Some(2)
    );
}
