//! The HTML report in a real browser: headless Chromium opens the report of
//! each bundled sample from `file://`, runs the page script, and dumps the
//! DOM. Checks that every finding is a row, that a `#filter=` address
//! filters, that the console stays silent (script errors and Content
//! Security Policy violations are console messages), that the page makes
//! no network request (Chromium's net log), and that the transport and
//! certificates sections show the demos' policies and keys. Saves a
//! screenshot of the Android sample's report as `target/html-report.png`.
//!
//! Skips when no Chromium is found (set `MASTIFF_CHROMIUM` to a binary).

mod common;

use mastiff::fixtures::zipfile::ZipBuilder;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a browser run may take before it is deemed hung.
const HANG: Duration = Duration::from_secs(180);

/// A working Chromium binary, or `None` with a note.
fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("MASTIFF_CHROMIUM") {
        Some(p) => vec![PathBuf::from(p)],
        None => {
            let path = std::env::var_os("PATH").unwrap_or_default();
            std::env::split_paths(&path)
                .flat_map(|dir| {
                    [
                        "chromium",
                        "chromium-browser",
                        "google-chrome",
                        "headless_shell",
                    ]
                    .map(|name| dir.join(name))
                })
                .filter(|p| p.is_file())
                .collect()
        }
    };
    let found = candidates.into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        eprintln!("note: no working chromium found; skipping the browser test (apt-get install chromium, or set MASTIFF_CHROMIUM)");
    }
    found
}

/// What one page load showed.
struct Page {
    /// The DOM after the page script ran (empty for screenshots).
    dom: String,
    /// Console messages: script errors, CSP violations, logs.
    console: Vec<String>,
    /// URLs the page (not the browser itself) asked the network for.
    requests: Vec<String>,
}

/// What a browser run should produce.
enum Output<'a> {
    Dom,
    Screenshot(&'a Path),
}

/// Opens `file` (with `fragment`) in headless Chromium.
fn open(browser: &Path, file: &Path, fragment: &str, output: Output<'_>) -> Page {
    let dir = tempfile::tempdir().unwrap();
    let net_log = dir.path().join("net-log.json");
    let stdout = dir.path().join("stdout");
    let stderr = dir.path().join("stderr");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!(
        "--user-data-dir={}",
        dir.path().join("profile").display()
    ))
    .arg(format!("--log-net-log={}", net_log.display()));
    match output {
        Output::Dom => cmd.arg("--dump-dom"),
        Output::Screenshot(png) => cmd
            .arg(format!("--screenshot={}", png.display()))
            .arg("--window-size=1280,2000"),
    };
    let url = format!("file://{}{fragment}", file.display());
    let mut child = cmd
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish loading {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = std::fs::read_to_string(&stderr).unwrap_or_default();
    assert!(status.success(), "chromium failed on {url}:\n{log}");
    Page {
        dom: std::fs::read_to_string(&stdout).unwrap(),
        console: log
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(String::from)
            .collect(),
        requests: page_requests(&net_log),
    }
}

/// Network requests in a Chromium net log made on behalf of a page: the
/// browser's own (updates, time sync) have the initiator "not an origin".
fn page_requests(net_log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(net_log).unwrap();
    // A log cut short by the exit misses its closing brackets.
    let log: Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("chromium net log is JSON");
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            let url = e["params"]["url"].as_str()?;
            let initiator = e["params"]["initiator"].as_str()?;
            (initiator != "not an origin" && !url.starts_with("file:")).then(|| url.to_string())
        })
        .collect()
}

/// Runs mastiff on `input` (relative to the crate root), writing the report
/// in `format` to `out`.
fn report(input: &Path, format: &str, out: &Path, extra: &[&str]) {
    let status = Command::new(common::mastiff_bin())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("scan")
        .arg(input)
        .args(["--format", format, "-q", "-o"])
        .arg(out)
        .args(extra)
        .status()
        .unwrap();
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "mastiff failed on {}",
        input.display()
    );
}

/// The opening tags of the findings rows in a dumped DOM.
fn rows(dom: &str) -> Vec<&str> {
    dom.match_indices("<tr class=\"finding\"")
        .map(|(at, _)| &dom[at..at + dom[at..].find('>').unwrap()])
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

fn visible(rows: &[&str]) -> usize {
    rows.iter().filter(|r| !r.contains(" hidden")).count()
}

fn shown_count(dom: &str) -> usize {
    let at = dom.find("id=\"shown-count\">").unwrap() + 17;
    dom[at..at + dom[at..].find('<').unwrap()].parse().unwrap()
}

/// The section `id` of a dumped DOM.
fn section<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no {id} section"));
    &dom[start..start + dom[start..].find("</section>").unwrap()]
}

/// Every `src`/`href` value of `html`.
fn links(html: &str) -> Vec<&str> {
    [" src=\"", " href=\""]
        .iter()
        .flat_map(|a| html.match_indices(a).map(move |(at, _)| at + a.len()))
        .map(|start| &html[start..start + html[start..].find('"').unwrap()])
        .collect()
}

fn assert_quiet(page: &Page, what: &str) {
    assert!(
        page.console.is_empty(),
        "{what}: console messages {:#?}",
        page.console
    );
    assert!(
        page.requests.is_empty(),
        "{what}: network requests {:#?}",
        page.requests
    );
}

#[test]
fn sample_reports_render_and_filter_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for sample in ["demo-android.apk", "demo-ios.ipa"] {
        let input = Path::new("samples").join(sample);
        let json_path = dir.path().join(format!("{sample}.json"));
        let html_path = dir.path().join(format!("{sample}.html"));
        report(&input, "json", &json_path, &[]);
        report(&input, "html", &html_path, &[]);
        let json: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        let findings = json["findings"].as_array().unwrap();
        assert!(!findings.is_empty(), "{sample} has findings");
        let html = std::fs::read_to_string(&html_path).unwrap();
        for link in links(&html) {
            assert!(
                link.starts_with('#'),
                "{sample}: the page links out: {link}"
            );
        }

        // Every finding is a row, all shown.
        let page = open(&browser, &html_path, "", Output::Dom);
        assert_quiet(&page, sample);
        let all = rows(&page.dom);
        assert_eq!(all.len(), findings.len(), "{sample}: one row per finding");
        assert_eq!(visible(&all), findings.len());
        assert_eq!(shown_count(&page.dom), findings.len());
        let mut expected: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| {
                (
                    f["severity"].as_str().unwrap(),
                    f["rule_id"].as_str().unwrap(),
                )
            })
            .collect();
        let mut got: Vec<(&str, &str)> = all
            .iter()
            .map(|r| (attr(r, "data-severity"), attr(r, "data-rule")))
            .collect();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, expected, "{sample}: rows match the JSON report");

        // A filter in the address applies on load.
        let count = |pred: &dyn Fn(&Value) -> bool| findings.iter().filter(|f| pred(f)).count();
        let high = count(&|f| f["severity"] == "high");
        let rule = findings[0]["rule_id"].as_str().unwrap();
        for (fragment, want) in [
            ("#filter=severity:high".to_string(), high),
            (
                "#filter=severity%3E%3Dhigh".to_string(),
                count(&|f| f["severity"] == "high" || f["severity"] == "critical"),
            ),
            (
                format!("#filter=rule:{rule}"),
                count(&|f| f["rule_id"] == rule),
            ),
            ("#filter=no-such-text-anywhere".to_string(), 0),
        ] {
            let page = open(&browser, &html_path, &fragment, Output::Dom);
            assert_quiet(&page, &fragment);
            let rows = rows(&page.dom);
            assert_eq!(rows.len(), findings.len());
            assert_eq!(visible(&rows), want, "{sample} {fragment}");
            assert_eq!(shown_count(&page.dom), want, "{sample} {fragment}");
            if fragment == "#filter=severity:high" {
                assert!(rows
                    .iter()
                    .filter(|r| !r.contains(" hidden"))
                    .all(|r| attr(r, "data-severity") == "high"));
            }
        }

        // Purpose-built sections: the default transport policy of each demo
        // allows cleartext; the Android demo ships a private key.
        let transport = section(&page.dom, "transport");
        let default_row = transport
            .split("<tr>")
            .find(|r| r.contains("<code>*</code> <span class=\"note\">default</span>"))
            .unwrap_or_else(|| panic!("{sample}: no default transport row"));
        assert!(
            default_row.contains("<span class=\"badge bad\">cleartext allowed</span>"),
            "{sample}: {default_row}"
        );
        if sample == "demo-android.apk" {
            let certificates = section(&page.dom, "certificates");
            assert!(certificates.contains(
                "<td><code>assets/bundle.zip!/keys/upload.pem</code> <span class=\"note\">pem</span></td>"
            ));
            assert!(certificates.contains("<span class=\"flag bad\">yes</span> rsa"));
        }

        if sample == "demo-android.apk" {
            let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
            let png = target.join("html-report.png");
            let _ = std::fs::remove_file(&png);
            let page = open(&browser, &html_path, "", Output::Screenshot(&png));
            assert_quiet(&page, "screenshot");
            let bytes = std::fs::read(&png).expect("screenshot written");
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
            eprintln!("screenshot: {}", png.display());
        }
    }
}

#[test]
fn hostile_names_and_values_stay_inert_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A file name and entry names that are markup, values that end in markup.
    let input = dir
        .path()
        .join("<svg onload=console.log(1)>\"onerror=console.log(2) x.zip");
    let zip = ZipBuilder::new()
        .stored(
            "a</script><script>console.log(3)</script>.properties",
            b"stripe.key=sk_live_4eC39HqLyjWDarjtT1zdp7dc<script>console.log(4)</script>\n",
        )
        .stored(
            "<img src=x onerror=console.log(5)>.properties",
            b"endpoint=http://10.1.2.3/<script>console.log(6)</script>\n",
        )
        .build();
    std::fs::write(&input, zip).unwrap();
    let json_path = dir.path().join("report.json");
    let html_path = dir.path().join("report.html");
    report(&input, "json", &json_path, &["--show-secrets"]);
    report(&input, "html", &html_path, &["--show-secrets"]);
    let json: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap().len();
    assert!(findings >= 2, "the hostile archive has findings");

    let page = open(&browser, &html_path, "", Output::Dom);
    assert_quiet(&page, "hostile archive");
    assert_eq!(rows(&page.dom).len(), findings);
    assert_eq!(
        page.dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.dom.contains("<svg onload") && !page.dom.contains("<img"));
    assert!(page.dom.contains("&lt;svg onload=console.log(1)&gt;"));
}
