//! The SARIF 2.1.0 report, shaped for GitHub code scanning.
//!
//! One run per platform (`android`, `ios`, `other`), each with its own
//! category (`automationDetails.id` = `mastiff/<platform>/`), so that an
//! Android job and an iOS job uploading to the same repository never replace
//! each other's alerts, and so that one file never holds two runs of the same
//! category (which GitHub rejects). Categories do not depend on file names,
//! which often carry a version number: alerts stay put from one release to
//! the next. `--sarif-category NAME` replaces the `mastiff` prefix when
//! several jobs scan apps of the same platform.
//!
//! Every configured rule is in each run's `tool.driver.rules`; every finding
//! is one result located at the scanned file (relative to `%SRCROOT%`, the
//! working directory) on line 1, with the nested entry and symbol as logical
//! locations and the finding's own fingerprint as `primaryLocationLineHash`,
//! since GitHub cannot compute one for a binary. Nested entries that hold a
//! finding or an error appear in `run.artifacts` linked to their parents.
//!
//! GitHub's limits are kept: at most 25,000 results per run and 10 MB of
//! gzip-compressed upload; past them the most severe results are kept and a
//! notification says how many were left out.

use super::text::escape;
use super::{shown_value, ReportOptions};
use crate::findings::{Finding, Location, RuleInfo, ScanReport, Severity};
use serde_json::json;
use serde_sarif::sarif as s;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Component, Path};

/// Most results GitHub accepts in one run.
const MAX_RESULTS: usize = 25_000;
/// Largest upload GitHub accepts, gzip-compressed, with a margin for the
/// gzip header and for compressor differences.
const MAX_COMPRESSED: usize = 9_500_000;
/// Longest rule description GitHub accepts, in characters.
const MAX_DESCRIPTION: usize = 1024;
/// Most tags per rule GitHub accepts.
const MAX_TAGS: usize = 20;
const SCHEMA_URL: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// Writes the SARIF log, followed by a newline.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let bytes = within_upload_limit(report, opts, cwd.as_deref(), MAX_COMPRESSED)?;
    out.write_all(&bytes)?;
    out.write_all(b"\n")
}

/// The serialized log, with fewer results per run while its compressed size
/// exceeds `max_compressed`.
fn within_upload_limit(
    report: &ScanReport,
    opts: &ReportOptions,
    cwd: Option<&Path>,
    max_compressed: usize,
) -> io::Result<Vec<u8>> {
    let mut cap = MAX_RESULTS;
    loop {
        let log = build(report, opts, cwd, cap);
        let bytes = serde_json::to_vec_pretty(&log)?;
        let size = compressed_size(&bytes)?;
        let most = report.findings.len().min(cap);
        if size <= max_compressed || most == 0 {
            return Ok(bytes);
        }
        // Results dominate the size: shrink in proportion, with a margin.
        let scaled = (most as u128 * max_compressed as u128 * 9 / (size as u128 * 10)) as usize;
        cap = scaled.min(most - 1);
    }
}

/// Size of `bytes` once deflated (what gzip adds is a few bytes).
fn compressed_size(bytes: &[u8]) -> io::Result<usize> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

/// Builds the log: one run per platform, each holding at most
/// `max_results` results. `cwd` is the `%SRCROOT%` relative URIs resolve
/// against.
fn build(
    report: &ScanReport,
    opts: &ReportOptions,
    cwd: Option<&Path>,
    max_results: usize,
) -> s::Sarif {
    let prefix = opts.sarif_category.as_deref().unwrap_or("mastiff");
    let runs = by_platform(report)
        .into_iter()
        .map(|(platform, part)| {
            let id = match platform {
                Some(p) => format!("{prefix}/{p}/"),
                None => format!("{prefix}/"),
            };
            build_run(&part, opts, cwd, max_results, id)
        })
        .collect::<Vec<_>>();
    s::Sarif::builder()
        .schema(SCHEMA_URL)
        .version("2.1.0")
        .runs(runs)
        .build()
}

/// The platform a scanned file belongs to, by its kind.
fn platform(kind: &str) -> &'static str {
    match kind {
        "apk" | "aab" | "xapk" | "apks" | "aar" | "jar" | "dex" | "axml" | "arsc"
        | "java-class" => "android",
        "ipa" | "mach-o" | "mach-o-fat" | "binary-plist" | "xml-plist" => "ios",
        _ => "other",
    }
}

/// The report split by platform (in a fixed order), or one part without a
/// platform when nothing was scanned.
fn by_platform(report: &ScanReport) -> Vec<(Option<&'static str>, ScanReport)> {
    let of_artifact: HashMap<&str, &'static str> = report
        .scanned
        .iter()
        .map(|a| (a.path.as_str(), platform(&a.kind)))
        .collect();
    let platform_of = |f: &Finding| {
        of_artifact
            .get(f.artifact.as_str())
            .copied()
            .unwrap_or("other")
    };
    let mut present: Vec<&'static str> = of_artifact.values().copied().collect();
    present.extend(report.findings.iter().map(platform_of));
    let present: BTreeSet<&'static str> = present.into_iter().collect();
    if present.is_empty() {
        return vec![(None, report.clone())];
    }
    present
        .into_iter()
        .map(|p| {
            let mut part = report.clone();
            part.scanned.retain(|a| platform(&a.kind) == p);
            part.findings.retain(|f| platform_of(f) == p);
            (Some(p), part)
        })
        .collect()
}

/// One run over `report`, with the category `id`.
fn build_run(
    report: &ScanReport,
    opts: &ReportOptions,
    cwd: Option<&Path>,
    max_results: usize,
    id: String,
) -> s::Run {
    let rules = rules(report);
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut artifacts = Artifacts::new(report, cwd);

    let kept = most_severe(&report.findings, max_results);
    let results: Vec<s::Result> = kept
        .iter()
        .filter_map(|&i| report.findings.get(i))
        .map(|f| {
            artifacts.nested(&f.artifact, f.location.chain.get(1..).unwrap_or_default());
            let index = rule_index
                .get(f.rule_id.as_str())
                .copied()
                .unwrap_or_default();
            result(f, index, opts, &artifacts.uri_of(&f.artifact))
        })
        .collect();

    let mut notifications = error_notifications(report, &mut artifacts);
    let dropped = report.findings.len().saturating_sub(kept.len());
    if dropped > 0 {
        notifications.push(notification(
            &format!(
                "{dropped} results were left out to stay within GitHub's limits (25,000 results per run, 10 MB compressed per upload); the {} most severe were kept.",
                kept.len()
            ),
            vec![],
        ));
    }
    let held_back = opts.suppressed;
    if held_back.total() > 0 {
        let mut n = notification(
            &format!(
                "{} findings were suppressed across the scan and are not reported: {} by the allowlist, {} by the baseline.",
                held_back.total(),
                held_back.allowlist,
                held_back.baseline
            ),
            vec![],
        );
        n.level = Some(json!("note"));
        notifications.push(n);
    }

    let mut invocation = s::Invocation::builder().execution_successful(true).build();
    invocation.start_time_utc = Some(report.started.clone()).filter(|t| !t.is_empty());
    invocation.end_time_utc = Some(report.finished.clone()).filter(|t| !t.is_empty());
    invocation.tool_execution_notifications = Some(notifications).filter(|n| !n.is_empty());
    let root = cwd.map(|c| {
        let mut uri = file_uri(c);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        s::ArtifactLocation::builder().uri(uri).build()
    });
    invocation.working_directory = root.clone();

    let mut driver = s::ToolComponent::builder()
        .name(report.tool.name.clone())
        .version(report.tool.version.clone())
        .semantic_version(report.tool.version.clone())
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    driver.information_uri = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
        .map(String::from);
    let mut run = s::Run::builder()
        .tool(s::Tool::builder().driver(driver).build())
        .results(results)
        .artifacts(artifacts.list)
        .invocations(vec![invocation])
        .automation_details(s::RunAutomationDetails::builder().id(id).build())
        .build();
    run.original_uri_base_ids = root.map(|r| BTreeMap::from([(SRCROOT.to_string(), r)]));
    run
}

/// One warning per scan error, located at its scanned file; the entries
/// named by the errors are added to `artifacts`.
fn error_notifications(report: &ScanReport, artifacts: &mut Artifacts) -> Vec<s::Notification> {
    let mut notifications = Vec::new();
    for a in &report.scanned {
        for e in &a.errors {
            let inner: Vec<String> = e
                .path
                .split("!/")
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
            artifacts.nested(&a.path, &inner);
            let place = if e.path.is_empty() {
                a.path.clone()
            } else {
                format!("{}!/{}", a.path, e.path)
            };
            let location = s::Location::builder()
                .physical_location(
                    s::PhysicalLocation::builder()
                        .artifact_location(artifacts.uri_of(&a.path).location())
                        .build(),
                )
                .build();
            notifications.push(notification(
                &format!("{place}: {}", e.message),
                vec![location],
            ));
        }
    }
    notifications
}

/// The configured rules, followed by any rule a finding names that is not
/// configured, so every `ruleId` resolves. Duplicate ids are dropped.
fn rules(report: &ScanReport) -> Vec<RuleInfo> {
    let mut seen = BTreeSet::new();
    let mut rules: Vec<RuleInfo> = report
        .rules
        .iter()
        .filter(|r| seen.insert(r.id.clone()))
        .cloned()
        .collect();
    for f in &report.findings {
        if seen.insert(f.rule_id.clone()) {
            rules.push(RuleInfo {
                id: f.rule_id.clone(),
                name: f.title.clone(),
                description: f.title.clone(),
                category: f.category,
                severity: f.severity,
                confidence: f.confidence,
                remediation: String::new(),
                references: vec![],
                cwe: vec![],
                platforms: vec![],
            });
        }
    }
    rules
}

/// Indices of the findings to report, in report order: all of them, or the
/// `max` most severe (then most confident) when there are more.
fn most_severe(findings: &[Finding], max: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..findings.len()).collect();
    if idx.len() > max {
        idx.sort_by_key(|&i| {
            findings
                .get(i)
                .map(|f| std::cmp::Reverse((f.severity, f.confidence)))
        });
        idx.truncate(max);
        idx.sort_unstable();
    }
    idx
}

fn level(severity: Severity) -> s::ResultLevel {
    match severity {
        Severity::Critical | Severity::High => s::ResultLevel::Error,
        Severity::Medium => s::ResultLevel::Warning,
        Severity::Low | Severity::Info => s::ResultLevel::Note,
    }
}

fn descriptor(rule: &RuleInfo) -> s::ReportingDescriptor {
    let text = |t: &str| {
        s::MultiformatMessageString::builder()
            .text(truncate(t, MAX_DESCRIPTION))
            .build()
    };
    let description = if rule.description.trim().is_empty() {
        &rule.name
    } else {
        &rule.description
    };
    let mut tags = vec!["security".to_string(), rule.category.to_string()];
    tags.extend(rule.platforms.iter().cloned());
    tags.extend(
        rule.cwe
            .iter()
            .map(|c| format!("external/cwe/{}", c.to_ascii_lowercase())),
    );
    let mut seen = BTreeSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    tags.truncate(MAX_TAGS);
    let properties = s::PropertyBag::builder()
        .tags(tags)
        .additional_properties(BTreeMap::from([
            (
                "security-severity".to_string(),
                json!(rule.severity.security_severity()),
            ),
            ("precision".to_string(), json!(rule.confidence.as_str())),
        ]))
        .build();
    let mut d = s::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .short_description(text(&rule.name))
        .full_description(text(description))
        .help(
            s::MultiformatMessageString::builder()
                .text(rule.help_text())
                .markdown(rule.help_markdown())
                .build(),
        )
        .default_configuration(
            s::ReportingConfiguration::builder()
                .level(level(rule.severity).to_string())
                .build(),
        )
        .properties(properties)
        .build();
    // A name equal to the id (`jwt` → `Jwt`) is left out, as SARIF asks.
    let name = pascal_case(&rule.id);
    d.name = Some(name).filter(|n| !n.eq_ignore_ascii_case(&rule.id));
    d.help_uri = rule
        .references
        .iter()
        .find(|r| r.starts_with("https://") || r.starts_with("http://"))
        .cloned();
    d
}

fn result(f: &Finding, rule_index: usize, opts: &ReportOptions, uri: &Uri) -> s::Result {
    let loc = &f.location;
    // A line is only meaningful for the scanned file itself; inside an
    // archive it counts lines of an entry GitHub cannot open.
    let line = if loc.chain.len() <= 1 {
        loc.line.map_or(1, i64::from)
    } else {
        1
    };
    let region = s::Region::builder()
        .start_line(line)
        .start_column(1)
        .end_line(line)
        .end_column(2)
        .build();
    let mut location = s::Location::builder()
        .physical_location(
            s::PhysicalLocation::builder()
                .artifact_location(uri.location())
                .region(region)
                .build(),
        )
        .build();
    location.logical_locations = Some(logical_locations(loc)).filter(|l| !l.is_empty());

    let mut props = BTreeMap::from([
        ("category".to_string(), json!(f.category)),
        ("confidence".to_string(), json!(f.confidence)),
        ("severity".to_string(), json!(f.severity)),
    ]);
    if !loc.path.is_empty() {
        props.insert("inner-path".into(), json!(loc.path));
    }
    if let Some(offset) = loc.offset {
        props.insert("byte-offset".into(), json!(offset));
    }

    s::Result::builder()
        .rule_id(f.rule_id.clone())
        .rule_index(i64::try_from(rule_index).unwrap_or_default())
        .level(level(f.severity))
        .message(s::Message::builder().text(message_text(f, opts)).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([
            (
                "primaryLocationLineHash".to_string(),
                format!("{}:1", f.fingerprint),
            ),
            ("mastiff/v1".to_string(), f.fingerprint.clone()),
        ]))
        .properties(
            s::PropertyBag::builder()
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// `<message> in <chain> (<symbol>), value "<shown value>".`, with control
/// characters escaped as in the text report.
fn message_text(f: &Finding, opts: &ReportOptions) -> String {
    let base = f.message.trim_end().trim_end_matches('.');
    let mut text = format!("{base} in {}", f.location.display_chain());
    if let Some(symbol) = &f.location.symbol {
        let _ = write!(text, " ({symbol})");
    }
    let _ = write!(text, ", value \"{}\".", shown_value(f, opts));
    escape(&text).into_owned()
}

/// The nested entry as a module and the symbol as a type (a DEX class) or a
/// member (anything else: field, key path, section).
fn logical_locations(loc: &Location) -> Vec<s::LogicalLocation> {
    let mut out = Vec::new();
    if !loc.path.is_empty() {
        out.push(
            s::LogicalLocation::builder()
                .name(loc.innermost())
                .fully_qualified_name(loc.path.clone())
                .kind("module")
                .build(),
        );
    }
    if let Some(symbol) = &loc.symbol {
        let is_class = symbol.starts_with('L') && symbol.ends_with(';') && !symbol.contains("->");
        let fqn = if loc.path.is_empty() {
            symbol.clone()
        } else {
            format!("{}/{symbol}", loc.path)
        };
        out.push(
            s::LogicalLocation::builder()
                .name(symbol.clone())
                .fully_qualified_name(fqn)
                .kind(if is_class { "type" } else { "member" })
                .build(),
        );
    }
    out
}

fn notification(text: &str, locations: Vec<s::Location>) -> s::Notification {
    let mut n = s::Notification::builder()
        .level("warning")
        .message(
            s::Message::builder()
                .text(escape(text).into_owned())
                .build(),
        )
        .build();
    n.locations = Some(locations).filter(|l| !l.is_empty());
    n
}

/// Where a scanned file is: relative to `%SRCROOT%`, or an absolute URI.
struct Uri {
    uri: String,
    relative: bool,
}

impl Uri {
    fn of(path: &str, cwd: Option<&Path>) -> Self {
        let p = Path::new(path);
        let rel = if p.is_absolute() {
            cwd.and_then(|c| p.strip_prefix(c).ok())
        } else {
            Some(p)
        };
        match rel {
            Some(r) => {
                let segments: Vec<String> = r
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(n) => Some(encode(&n.to_string_lossy(), false)),
                        Component::ParentDir => Some("..".into()),
                        _ => None,
                    })
                    .collect();
                let uri = if segments.is_empty() {
                    ".".into()
                } else {
                    segments.join("/")
                };
                Uri {
                    uri,
                    relative: true,
                }
            }
            None => Uri {
                uri: file_uri(p),
                relative: false,
            },
        }
    }

    fn location(&self) -> s::ArtifactLocation {
        let mut l = s::ArtifactLocation::builder().uri(self.uri.clone()).build();
        l.uri_base_id = self.relative.then(|| SRCROOT.to_string());
        l
    }
}

/// `run.artifacts`: the scanned files first, then nested entries as needed.
struct Artifacts {
    list: Vec<s::Artifact>,
    top: HashMap<String, usize>,
    /// (parent index, entry name) → index.
    nested: HashMap<(usize, String), usize>,
    cwd: Option<std::path::PathBuf>,
}

impl Artifacts {
    fn new(report: &ScanReport, cwd: Option<&Path>) -> Self {
        let mut a = Artifacts {
            list: vec![],
            top: HashMap::new(),
            nested: HashMap::new(),
            cwd: cwd.map(Path::to_path_buf),
        };
        for scanned in &report.scanned {
            let i = a.top_level(&scanned.path);
            if let Some(artifact) = a.list.get_mut(i) {
                artifact.length = i64::try_from(scanned.bytes).ok();
                artifact.hashes = Some(BTreeMap::from([(
                    "sha-256".to_string(),
                    scanned.sha256.clone(),
                )]))
                .filter(|_| !scanned.sha256.is_empty());
            }
        }
        a
    }

    /// Index of a scanned file, added (without hash) if not yet listed.
    fn top_level(&mut self, path: &str) -> usize {
        if let Some(&i) = self.top.get(path) {
            return i;
        }
        let uri = Uri::of(path, self.cwd.as_deref());
        let mut artifact = s::Artifact::builder().location(uri.location()).build();
        artifact.roles = Some(vec![json!("analysisTarget")]);
        self.list.push(artifact);
        let i = self.list.len() - 1;
        self.top.insert(path.to_string(), i);
        i
    }

    /// Adds the entry at `inner` (names below the scanned file) and all its
    /// parents.
    fn nested(&mut self, path: &str, inner: &[String]) {
        let mut parent = self.top_level(path);
        for name in inner {
            let key = (parent, name.clone());
            parent = match self.nested.get(&key) {
                Some(&i) => i,
                None => {
                    let uri: Vec<String> = name.split('/').map(|seg| encode(seg, false)).collect();
                    let mut artifact = s::Artifact::builder()
                        .location(s::ArtifactLocation::builder().uri(uri.join("/")).build())
                        .build();
                    artifact.parent_index = i64::try_from(parent).ok();
                    self.list.push(artifact);
                    let i = self.list.len() - 1;
                    self.nested.insert(key, i);
                    i
                }
            };
        }
    }

    /// The URI of a scanned file.
    fn uri_of(&self, path: &str) -> Uri {
        Uri::of(path, self.cwd.as_deref())
    }
}

/// `file:///…` for an absolute path, percent-encoded.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for c in path.components() {
        match c {
            // A Windows drive (`C:`) keeps its colon.
            Component::Prefix(p) => {
                uri.push('/');
                uri.push_str(&encode(&p.as_os_str().to_string_lossy(), true));
            }
            Component::Normal(n) => {
                uri.push('/');
                uri.push_str(&encode(&n.to_string_lossy(), false));
            }
            Component::ParentDir => uri.push_str("/.."),
            Component::RootDir | Component::CurDir => {}
        }
    }
    if uri.len() == "file://".len() {
        uri.push('/');
    }
    uri
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved
/// characters (and `:` when `keep_colon`).
fn encode(segment: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_colon && b == b':')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `aws-access-key-id` → `AwsAccessKeyId`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// At most `max` characters of `text`, cut on a character boundary.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => text[..cut].to_string(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::{self, SECRET_AWS};
    use super::*;
    use serde_json::Value;
    use std::path::PathBuf;

    fn log_for(report: &ScanReport, show_secrets: bool, max: usize) -> Value {
        let opts = ReportOptions {
            show_secrets,
            ..Default::default()
        };
        serde_json::to_value(build(report, &opts, Some(Path::new("/work/src dir")), max)).unwrap()
    }

    fn sample_log() -> Value {
        log_for(&sample::report(), false, MAX_RESULTS)
    }

    #[test]
    fn validates_against_the_sarif_schema() {
        let dir = std::env::var_os("MASTIFF_SCHEMAS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas"));
        let Ok(schema) = std::fs::read_to_string(dir.join("sarif-schema-2.1.0.json")) else {
            eprintln!(
                "note: SARIF schema not found in {}, skipping",
                dir.display()
            );
            return;
        };
        let schema: Value = serde_json::from_str(&schema).unwrap();
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let mut out = Vec::new();
        render(&sample::report(), &ReportOptions::default(), &mut out).unwrap();
        let from_render: Value = serde_json::from_slice(&out).unwrap();
        let truncated = log_for(&sample::report(), true, 1);
        for log in [sample_log(), from_render, truncated] {
            let errors: Vec<String> = validator
                .iter_errors(&log)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // The validator does reject what the schema forbids.
        let mut broken = sample_log();
        broken["runs"][0]["results"][0]["level"] = json!("severe");
        assert!(!validator.is_valid(&broken));
    }

    /// (run, result) pairs across all runs, in order.
    fn all_results(log: &Value) -> Vec<(&Value, &Value)> {
        log["runs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|run| {
                run["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |r| (run, r))
            })
            .collect()
    }

    #[test]
    fn top_level_shape() {
        let log = sample_log();
        assert_eq!(log["$schema"], SCHEMA_URL);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        let ids: Vec<&str> = runs
            .iter()
            .map(|r| r["automationDetails"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["mastiff/android/", "mastiff/other/"]);
        for run in runs {
            let driver = &run["tool"]["driver"];
            assert_eq!(driver["name"], "mastiff");
            assert_eq!(driver["semanticVersion"], crate::VERSION);
            assert_eq!(
                run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
                "file:///work/src%20dir/"
            );
            let inv = &run["invocations"][0];
            assert_eq!(inv["executionSuccessful"], true);
            assert_eq!(inv["startTimeUtc"], "2024-05-01T10:00:00Z");
            assert_eq!(inv["endTimeUtc"], "2024-05-01T10:00:02Z");
        }
        let notes = |i: usize| {
            runs[i]["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .clone()
        };
        let (android, other) = (notes(0), notes(1));
        assert_eq!(android.len(), 1);
        assert_eq!(android[0]["level"], "warning");
        assert_eq!(
            android[0]["message"]["text"],
            "apps/my app.xapk!/base.apk!/lib/arm64-v8a/libfoo.so: truncated section header table"
        );
        assert_eq!(
            android[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "apps/my%20app.xapk"
        );
        assert_eq!(other.len(), 1);
        assert_eq!(other[0]["message"]["text"], "lib.so: not an ELF file");
    }

    #[test]
    fn categories_are_per_platform_and_can_be_renamed() {
        let mut report = sample::report();
        report.scanned[1].kind = "ipa".into();
        let opts = ReportOptions {
            sarif_category: Some("consumer-app".into()),
            ..Default::default()
        };
        let log = serde_json::to_value(build(&report, &opts, None, MAX_RESULTS)).unwrap();
        let runs = log["runs"].as_array().unwrap();
        let summary: Vec<(&str, usize)> = runs
            .iter()
            .map(|r| {
                (
                    r["automationDetails"]["id"].as_str().unwrap(),
                    r["results"].as_array().unwrap().len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("consumer-app/android/", 3),
                ("consumer-app/ios/", 1),
                ("consumer-app/other/", 0)
            ]
        );
        assert_eq!(platform("mach-o-fat"), "ios");
        assert_eq!(platform("aab"), "android");
        assert_eq!(platform("Weird Kind"), "other");
        report.scanned.clear();
        report.findings.clear();
        let empty =
            serde_json::to_value(build(&report, &ReportOptions::default(), None, 9)).unwrap();
        assert_eq!(empty["runs"].as_array().unwrap().len(), 1);
        assert_eq!(empty["runs"][0]["automationDetails"]["id"], "mastiff/");
    }

    #[test]
    fn every_rule_is_described_for_github() {
        let log = sample_log();
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "aws-access-key-id",
                "stripe-secret-key",
                "google-api-key",
                "cleartext-endpoint",
                "slack-token"
            ]
        );
        let aws = &rules[0];
        assert_eq!(aws["name"], "AwsAccessKeyId");
        assert_eq!(aws["shortDescription"]["text"], "AWS access key ID");
        assert!(aws["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Detects AWS access key ID."));
        assert!(aws["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("## AWS access key ID"));
        assert!(aws["help"]["text"]
            .as_str()
            .unwrap()
            .contains("How to fix: Revoke"));
        assert_eq!(aws["helpUri"], "https://example.com/docs");
        assert_eq!(aws["defaultConfiguration"]["level"], "error");
        assert_eq!(aws["properties"]["security-severity"], "9.5");
        assert_eq!(aws["properties"]["precision"], "high");
        assert_eq!(
            aws["properties"]["tags"],
            json!(["security", "secret", "android", "external/cwe/cwe-798"])
        );
        assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
        assert_eq!(rules[3]["defaultConfiguration"]["level"], "note");
    }

    #[test]
    fn results_carry_what_github_needs() {
        let report = sample::report();
        let log = sample_log();
        let pairs = all_results(&log);
        assert_eq!(pairs.len(), 4);
        for ((run, r), f) in pairs.iter().zip(&report.findings) {
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
            assert_eq!(r["ruleId"], f.rule_id.as_str());
            assert_eq!(
                r["partialFingerprints"]["primaryLocationLineHash"],
                format!("{}:1", f.fingerprint)
            );
            assert_eq!(
                r["partialFingerprints"]["mastiff/v1"],
                f.fingerprint.as_str()
            );
            let phys = &r["locations"][0]["physicalLocation"];
            assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(phys["region"]["startColumn"], 1);
            assert_eq!(phys["region"]["endColumn"], 2);
        }
        let results: Vec<&Value> = pairs.iter().map(|p| p.1).collect();
        let aws = results[0];
        assert_eq!(aws["level"], "error");
        assert_eq!(
            aws["message"]["text"],
            format!(
                "AWS access key ID found in my app.xapk!/base.apk!/classes2.dex (Lcom/example/Keys;), value \"{}\".",
                crate::findings::mask(SECRET_AWS)
            )
        );
        let loc = &aws["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "apps/my%20app.xapk"
        );
        assert_eq!(loc["physicalLocation"]["region"]["startLine"], 1);
        assert_eq!(
            loc["logicalLocations"],
            json!([
                {"name": "classes2.dex", "fullyQualifiedName": "base.apk!/classes2.dex", "kind": "module"},
                {"name": "Lcom/example/Keys;", "fullyQualifiedName": "base.apk!/classes2.dex/Lcom/example/Keys;", "kind": "type"}
            ])
        );
        assert_eq!(
            results[1]["locations"][0]["logicalLocations"][1]["kind"],
            "member"
        );
        assert_eq!(aws["properties"]["inner-path"], "base.apk!/classes2.dex");
        assert_eq!(aws["properties"]["byte-offset"], 4660);
        assert_eq!(aws["properties"]["severity"], "critical");
        // A text file scanned directly keeps its line and has no logical location.
        let text = results[3];
        assert_eq!(text["level"], "note");
        assert_eq!(
            text["locations"][0]["physicalLocation"]["region"]["startLine"],
            3
        );
        assert!(text["locations"][0].get("logicalLocations").is_none());
        assert!(text["properties"].get("inner-path").is_none());
        let all = log.to_string();
        assert!(!all.contains(SECRET_AWS));
        assert!(log_for(&report, true, MAX_RESULTS)
            .to_string()
            .contains(SECRET_AWS));
    }

    #[test]
    fn nested_entries_link_to_their_parents() {
        let log = sample_log();
        let artifacts = log["runs"][0]["artifacts"].as_array().unwrap();
        let uri = |a: &Value| a["location"]["uri"].as_str().unwrap().to_string();
        let listed: Vec<(String, Option<u64>)> = artifacts
            .iter()
            .map(|a| (uri(a), a["parentIndex"].as_u64()))
            .collect();
        assert_eq!(
            listed,
            [
                ("apps/my%20app.xapk".to_string(), None),
                ("base.apk".to_string(), Some(0)),
                ("classes2.dex".to_string(), Some(1)),
                ("res/values/strings.xml".to_string(), Some(1)),
                ("lib/arm64-v8a/libfoo.so".to_string(), Some(1)),
            ]
        );
        assert_eq!(artifacts[0]["hashes"]["sha-256"], "ab".repeat(32));
        assert_eq!(artifacts[0]["length"], 123_456);
        assert_eq!(artifacts[0]["roles"], json!(["analysisTarget"]));
        assert_eq!(artifacts[0]["location"]["uriBaseId"], "%SRCROOT%");
        assert!(artifacts[1]["location"].get("uriBaseId").is_none());
        let other: Vec<String> = log["runs"][1]["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(uri)
            .collect();
        assert_eq!(other, ["config.txt", "lib.so"]);
    }

    #[test]
    fn over_the_limit_keeps_the_most_severe_and_says_so() {
        let log = log_for(&sample::report(), false, 2);
        let run = &log["runs"][0];
        let kept: Vec<&str> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        assert_eq!(kept, ["aws-access-key-id", "stripe-secret-key"]);
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        let last = notes.last().unwrap()["message"]["text"].as_str().unwrap();
        assert!(
            last.starts_with("1 results were left out to stay within GitHub's limits"),
            "{last}"
        );
        assert!(last.ends_with("the 2 most severe were kept."), "{last}");
    }

    #[test]
    fn compressed_size_limit_drops_results_and_says_so() {
        let mut report = sample::report();
        let template = report.findings[0].clone();
        report.findings = (0..2000)
            .map(|i| {
                let mut f = template.clone();
                f.value = format!("AKIA{i:016}");
                f.fingerprint = format!("{i:032x}");
                f
            })
            .collect();
        let opts = ReportOptions::default();
        let full = within_upload_limit(&report, &opts, None, usize::MAX).unwrap();
        let limit = compressed_size(&full).unwrap() / 3;
        let cut = within_upload_limit(&report, &opts, None, limit).unwrap();
        assert!(compressed_size(&cut).unwrap() <= limit);
        let log: Value = serde_json::from_slice(&cut).unwrap();
        let kept = log["runs"][0]["results"].as_array().unwrap().len();
        assert!(kept > 0 && kept < 2000, "{kept}");
        let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"].to_string();
        assert!(
            notes.contains(&format!("{} results were left out", 2000 - kept)),
            "{notes}"
        );
    }

    #[test]
    fn suppressed_findings_are_mentioned_not_reported() {
        let opts = ReportOptions {
            suppressed: crate::triage::Suppressed {
                allowlist: 1,
                baseline: 2,
            },
            ..Default::default()
        };
        let log = serde_json::to_value(build(&sample::report(), &opts, None, MAX_RESULTS)).unwrap();
        let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        let last = notes.last().unwrap();
        assert_eq!(last["level"], "note");
        assert!(last["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("3 findings were suppressed"));
    }

    #[test]
    fn unknown_rule_ids_still_resolve() {
        let mut report = sample::report();
        report.rules.clear();
        let log = log_for(&report, false, MAX_RESULTS);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 3);
        assert_eq!(run["results"][2]["ruleIndex"], 2);
        assert_eq!(run["tool"]["driver"]["rules"][2]["id"], "google-api-key");
        assert_eq!(
            log["runs"][1]["tool"]["driver"]["rules"][0]["id"],
            "cleartext-endpoint"
        );
    }

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        let cwd = Some(Path::new("/src/repo"));
        let rel = Uri::of("/src/repo/out/a b#%\u{e9}.apk", cwd);
        assert_eq!(
            (rel.uri.as_str(), rel.relative),
            ("out/a%20b%23%25%C3%A9.apk", true)
        );
        assert_eq!(Uri::of("./app.apk", cwd).uri, "app.apk");
        assert_eq!(Uri::of("a:b.apk", cwd).uri, "a%3Ab.apk");
        let abs = Uri::of("/elsewhere/my app.ipa", cwd);
        assert_eq!(
            (abs.uri.as_str(), abs.relative),
            ("file:///elsewhere/my%20app.ipa", false)
        );
        assert!(abs.location().uri_base_id.is_none());
        assert_eq!(file_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn helpers() {
        assert_eq!(pascal_case("aws-access-key-id"), "AwsAccessKeyId");
        let mut jwt = sample::rule(
            "jwt",
            "JSON Web Token",
            crate::findings::Category::Secret,
            Severity::Low,
        );
        assert!(descriptor(&jwt).name.is_none());
        jwt.id = "jwt-token".into();
        assert_eq!(descriptor(&jwt).name.as_deref(), Some("JwtToken"));
        assert_eq!(
            pascal_case("ios.ats-arbitrary-loads"),
            "IosAtsArbitraryLoads"
        );
        assert_eq!(truncate("h\u{e9}llo", 2), "h\u{e9}");
        assert_eq!(truncate("ab", 5), "ab");
        let long = "\u{e9}".repeat(2000);
        let mut report = sample::report();
        report.rules[0].description = long;
        let log = log_for(&report, false, MAX_RESULTS);
        let full = log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"]
            .as_str()
            .unwrap();
        assert_eq!(full.chars().count(), MAX_DESCRIPTION);
    }
}
