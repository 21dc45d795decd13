//! The pipeline: inputs → archives → formats → detectors → findings.
//!
//! [`Scanner::scan_inputs`] scans files in parallel; inside each file,
//! archive entries are scanned in parallel too. Each task collects its own
//! findings and errors, merged and sorted at the end, so there is no shared
//! lock on the hot path and output order is deterministic.

mod bundle;
mod cache;
mod collector;
mod deadline;
mod time;

use crate::apps::{self, AppFiles, LocatedFact};
use crate::archives::{classify, ArchiveKind, Budget, Entry, EntryError, Limits, ZipView};
use crate::detectors::endpoints::{Inventory, Party, Seen, Sighting};
use crate::detectors::Detector;
use crate::findings::CertificateRecord;
use crate::findings::{
    fingerprint, Category, Confidence, Finding, Location, RuleInfo, ScanError, ScanReport,
    ScannedArtifact, Severity, ToolInfo,
};
use crate::formats::{self, Kind};
use crate::inputs::{Input, Source};
pub use cache::Cache;
use collector::Collector;
use deadline::Deadline;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// A rule hit with its position inside an entry: everything a finding
/// holds except where the entry is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Hit {
    pub rule_id: String,
    pub value: String,
    pub message: String,
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    pub offset: Option<u64>,
    pub line: Option<u32>,
    pub symbol: Option<String>,
}

/// Scans inputs with a fixed set of detectors and limits.
pub struct Scanner {
    detectors: Vec<Box<dyn Detector>>,
    rules: Vec<RuleInfo>,
    rule_index: HashMap<String, usize>,
    limits: Limits,
    options: apps::Options,
    cache: Option<Cache>,
}

/// What scanning one buffer produced.
#[derive(Debug, Default)]
struct Outcome {
    findings: Vec<Finding>,
    errors: Vec<ScanError>,
    /// Facts for the app-level analysis of the enclosing app, consumed by it.
    facts: Vec<LocatedFact>,
    /// Summaries of the apps analysed in this subtree.
    apps: Vec<apps::AppSummary>,
    /// Endpoints seen, for the inventory.
    endpoints: Vec<(Sighting, Seen)>,
    /// Certificate, key and keystore files found.
    certificates: Vec<CertificateRecord>,
}

impl Outcome {
    fn merge(mut self, other: Outcome) -> Outcome {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.facts.extend(other.facts);
        self.apps.extend(other.apps);
        self.endpoints.extend(other.endpoints);
        self.certificates.extend(other.certificates);
        self
    }

    fn error(path: String, message: impl Into<String>) -> Outcome {
        Outcome {
            errors: vec![ScanError {
                path,
                message: message.into(),
            }],
            ..Outcome::default()
        }
    }
}

impl Scanner {
    /// A scanner running `detectors` within `limits`.
    pub fn new(detectors: Vec<Box<dyn Detector>>, limits: Limits) -> Self {
        let mut rules: Vec<RuleInfo> = detectors
            .iter()
            .flat_map(|d| d.rules().iter().cloned())
            .chain(apps::rules::all().iter().cloned())
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        let rule_index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Scanner {
            detectors,
            rules,
            rule_index,
            limits,
            options: apps::Options::default(),
            cache: None,
        }
    }

    /// The same scanner reading and writing results of unchanged entries
    /// in `cache`.
    pub fn with_cache(mut self, cache: Cache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// The result cache, when one is used.
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// The same scanner with app-level analysis settings `options`.
    pub fn with_options(mut self, options: apps::Options) -> Self {
        self.options = options;
        self
    }

    /// Every rule the configured detectors can report.
    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    /// Looks up a rule by id.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rule_index.get(id).map(|&i| &self.rules[i])
    }

    /// The finding `hit` makes in the entry at `chain` of `artifact`; `None`
    /// (and a debug assertion) for a rule no detector or check declared.
    pub(crate) fn finding(&self, artifact: &str, chain: Vec<String>, hit: Hit) -> Option<Finding> {
        let Some(rule) = self.rule(&hit.rule_id) else {
            debug_assert!(false, "undeclared rule {}", hit.rule_id);
            return None;
        };
        let mut location = Location::new(chain);
        location.offset = hit.offset;
        location.line = hit.line;
        location.symbol = hit.symbol;
        let fingerprint = fingerprint(
            &hit.rule_id,
            &location.path,
            location.symbol.as_deref(),
            &hit.value,
        );
        Some(Finding {
            category: rule.category,
            severity: hit.severity.unwrap_or(rule.severity),
            confidence: hit.confidence.unwrap_or(rule.confidence),
            title: rule.name.clone(),
            rule_id: hit.rule_id,
            message: hit.message,
            artifact: artifact.to_string(),
            location,
            value: hit.value,
            fingerprint,
        })
    }

    /// The configured detectors.
    pub(crate) fn detectors(&self) -> &[Box<dyn Detector>] {
        &self.detectors
    }

    /// Scans every input (in parallel) and assembles the report.
    pub fn scan_inputs(&self, inputs: &[Input]) -> ScanReport {
        let started = time::now_rfc3339();
        let results: Vec<(ScannedArtifact, Vec<Finding>)> = inputs
            .par_iter()
            .map(|input| {
                if input.path.is_dir() {
                    self.scan_dir(&input.display, &input.path)
                } else {
                    self.scan_path(input)
                }
            })
            .collect();
        Self::report(results, self.rules.clone(), started)
    }

    fn scan_path(&self, input: &Input) -> (ScannedArtifact, Vec<Finding>) {
        match Source::open(&input.path) {
            Ok(src) => self.scan_bytes(&input.display, src.bytes()),
            Err(e) => (
                ScannedArtifact {
                    path: input.display.clone(),
                    kind: "unreadable".into(),
                    errors: vec![ScanError {
                        path: String::new(),
                        message: format!("cannot read: {e}"),
                    }],
                    ..ScannedArtifact::default()
                },
                Vec::new(),
            ),
        }
    }

    fn report(
        results: Vec<(ScannedArtifact, Vec<Finding>)>,
        rules: Vec<RuleInfo>,
        started: String,
    ) -> ScanReport {
        let mut scanned = Vec::with_capacity(results.len());
        let mut findings = Vec::new();
        for (artifact, f) in results {
            scanned.push(artifact);
            findings.extend(f);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        ScanReport {
            tool: ToolInfo::default(),
            scanned,
            findings,
            rules,
            started,
            finished: time::now_rfc3339(),
        }
    }

    /// Scans every input in parallel and hands each input's artifact and
    /// sorted findings to `on_done` as soon as that input is finished (in
    /// completion order), so nothing accumulates across inputs.
    pub fn scan_each(
        &self,
        inputs: &[Input],
        on_done: impl Fn(ScannedArtifact, Vec<Finding>) + Sync,
    ) {
        inputs.par_iter().for_each(|input| {
            let report = self.scan_inputs(std::slice::from_ref(input));
            if let Some(artifact) = report.scanned.into_iter().next() {
                on_done(artifact, report.findings);
            }
        });
    }

    /// Scans one in-memory file shown as `display`.
    ///
    /// Never panics: a panic anywhere in the file's analysis (outside the
    /// per-entry boundary) is caught here and reported as an internal error
    /// on the file, whose findings are then lost.
    pub fn scan_bytes(&self, display: &str, bytes: &[u8]) -> (ScannedArtifact, Vec<Finding>) {
        catch_unwind(AssertUnwindSafe(|| self.scan_file(display, bytes))).unwrap_or_else(|panic| {
            let artifact = ScannedArtifact {
                path: display.to_string(),
                sha256: hex(&Sha256::digest(bytes)),
                kind: "unknown".into(),
                bytes: bytes.len() as u64,
                ..ScannedArtifact::default()
            };
            crashed(artifact, "file", panic.as_ref())
        })
    }

    /// Scans an app bundle directory (see [`crate::inputs::bundle`]), with
    /// the same fault boundary as [`Scanner::scan_bytes`].
    fn scan_dir(&self, display: &str, dir: &std::path::Path) -> (ScannedArtifact, Vec<Finding>) {
        let Some(kind) = crate::inputs::bundle::kind(dir) else {
            let artifact = ScannedArtifact {
                path: display.to_string(),
                kind: "directory".into(),
                errors: vec![ScanError {
                    path: String::new(),
                    message: "a directory that is not an app bundle (.app, .xcarchive)".into(),
                }],
                ..ScannedArtifact::default()
            };
            return (artifact, Vec::new());
        };
        catch_unwind(AssertUnwindSafe(|| self.scan_bundle(display, dir, kind))).unwrap_or_else(
            |panic| {
                let artifact = ScannedArtifact {
                    path: display.to_string(),
                    kind: kind.as_str().into(),
                    ..ScannedArtifact::default()
                };
                crashed(artifact, "bundle", panic.as_ref())
            },
        )
    }

    fn scan_file(&self, display: &str, bytes: &[u8]) -> (ScannedArtifact, Vec<Finding>) {
        let walk = Walk::new(self, display);
        let chain = vec![display.to_string()];
        let outcome = walk.visit(&chain, bytes, 0);
        let kind = match walk.archive_kind.get() {
            Some(kind) => kind.to_string(),
            None => sniff_kind(bytes),
        };
        let sha256 = hex(&Sha256::digest(bytes));
        self.finish(&walk, sha256, kind, bytes.len() as u64, outcome)
    }

    /// Joins what the walk of one input found into its artifact and findings.
    fn finish(
        &self,
        walk: &Walk<'_>,
        sha256: String,
        kind: String,
        size: u64,
        mut outcome: Outcome,
    ) -> (ScannedArtifact, Vec<Finding>) {
        let display = walk.artifact;
        if let Some(message) = walk.deadline.report() {
            outcome.errors.push(ScanError {
                path: String::new(),
                message,
            });
        }
        outcome
            .errors
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
        // Facts outside any app: keystores (only the common passwords were
        // tried) and framework payloads (a lone Flutter binary).
        let mut frameworks: Vec<String> = Vec::new();
        for located in std::mem::take(&mut outcome.facts) {
            let bytes = match located.fact {
                apps::Fact::Keystore { bytes } => bytes,
                apps::Fact::Framework { name } => {
                    if !frameworks.contains(&name) {
                        frameworks.push(name);
                    }
                    continue;
                }
            };
            let analysis = apps::keystores::locked("", &bytes, &[], self.options.as_of);
            for issue in analysis.issues {
                outcome.findings.extend(walk.locate(&located.chain, issue));
            }
            outcome
                .certificates
                .extend(analysis.record.map(|mut record| {
                    record.path = inner_path(&located.chain);
                    record
                }));
        }
        let mut inventory = Inventory::default();
        for (sighting, seen) in outcome.endpoints {
            inventory.add(sighting, seen);
        }
        let app_ids: Vec<String> = outcome.apps.iter().filter_map(|a| a.id.clone()).collect();
        let secrets: Vec<&str> = outcome
            .findings
            .iter()
            .filter(|f| matches!(f.category, Category::Secret | Category::Certificate))
            .map(|f| f.value.as_str())
            .collect();
        let schemes: Vec<String> = outcome
            .apps
            .iter()
            .flat_map(|a| {
                let android = a.android.iter().flat_map(|s| s.url_schemes.iter());
                android.chain(a.ios.iter().flat_map(|s| s.url_schemes.iter()))
            })
            .cloned()
            .collect();
        inventory.declare_schemes(&schemes);
        let mut endpoints = inventory.finish(&app_ids, &secrets);
        for app in &outcome.apps {
            apps::transport::annotate_records(app, &mut endpoints);
        }
        for name in outcome.apps.iter().flat_map(|a| &a.frameworks) {
            if !frameworks.contains(name) {
                frameworks.push(name.clone());
            }
        }
        let artifact = ScannedArtifact {
            path: display.to_string(),
            sha256,
            kind,
            frameworks,
            bytes: size,
            entries: walk.entries.load(Ordering::Relaxed),
            errors: outcome.errors,
            apps: outcome.apps,
            endpoints,
            certificates: outcome.certificates,
        };
        (artifact, outcome.findings)
    }
}

/// The kind of a top-level file that the walk did not classify: ZIP
/// archives it did not open (e.g. past `--max-depth 0`) are classified here.
fn sniff_kind(bytes: &[u8]) -> String {
    match formats::sniff(bytes) {
        Kind::Zip => match ZipView::open(bytes) {
            Ok(view) => classify(view.names().iter().map(String::as_str))
                .as_str()
                .to_string(),
            Err(_) => "zip".to_string(),
        },
        k => k.as_str().to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Most certificates and keys looked for inside one binary entry.
const MAX_EMBEDDED: usize = 64;

/// Where inside an entry a certificate or key was found.
#[derive(Default)]
struct Place {
    symbol: Option<String>,
    line: Option<u32>,
    offset: Option<u64>,
}

/// The state of scanning one input file.
struct Walk<'s> {
    scanner: &'s Scanner,
    artifact: &'s str,
    budget: Budget,
    entries: AtomicU64,
    deadline: Deadline,
    /// Layout class of the file itself when it is a ZIP archive, recorded
    /// while walking it so its central directory is parsed only once.
    archive_kind: OnceLock<&'static str>,
    /// Prefixes of app-level entry names to rewrite for reports (a bundle
    /// directory is analysed as `Payload/<X>.app/…` but shown as it is on
    /// disk): `(from, to)`.
    renames: Vec<(String, String)>,
}

impl<'s> Walk<'s> {
    fn new(scanner: &'s Scanner, artifact: &'s str) -> Self {
        Walk {
            scanner,
            artifact,
            budget: Budget::new(scanner.limits.max_total_size),
            entries: AtomicU64::new(0),
            deadline: Deadline::start(scanner.limits.time_per_file),
            archive_kind: OnceLock::new(),
            renames: Vec::new(),
        }
    }

    /// Scans `bytes`, reached through `chain`, at nesting `depth`.
    fn visit(&self, chain: &[String], bytes: &[u8], depth: usize) -> Outcome {
        if self.deadline.passed() {
            return Outcome::default();
        }
        let kind = formats::sniff(bytes);
        if kind == Kind::Zip {
            if depth >= self.scanner.limits.max_depth {
                return Outcome::error(
                    inner_path(chain),
                    format!(
                        "archive nested deeper than {} levels; not walked",
                        self.scanner.limits.max_depth
                    ),
                );
            }
            match ZipView::open(bytes) {
                Ok(view) => return self.visit_zip(chain, &view, depth),
                Err(message) => {
                    // A damaged archive still gets its strings scanned.
                    let mut outcome = self.extract(chain, Kind::Binary, bytes);
                    outcome.errors.push(ScanError {
                        path: inner_path(chain),
                        message,
                    });
                    return outcome;
                }
            }
        }
        // Protobuf (AAB manifest, resources) has no magic: its entry name
        // says what it is.
        let kind = chain
            .last()
            .and_then(|name| formats::sniff_named(name, bytes))
            .unwrap_or(kind);
        self.extract(chain, kind, bytes)
    }

    fn visit_zip(&self, chain: &[String], view: &ZipView<'_>, depth: usize) -> Outcome {
        let names = view.names();
        let kind = classify(names.iter().map(String::as_str));
        if depth == 0 {
            let _ = self.archive_kind.set(kind.as_str());
        }
        let limits = &self.scanner.limits;
        let mut head = Outcome::default();
        let n = view.len();
        if n > limits.max_entries {
            head.errors.push(ScanError {
                path: inner_path(chain),
                message: format!(
                    "archive has {n} entries; only the first {} were scanned",
                    limits.max_entries
                ),
            });
        }
        let audit = view.audit(limits.max_entries);
        for (label, message) in audit.problems {
            let path = if label.is_empty() {
                inner_path(chain)
            } else {
                join(chain, &label)
            };
            head.errors.push(ScanError { path, message });
        }
        let walked = (0..n.min(limits.max_entries))
            .into_par_iter()
            .map(|i| match view.read(i, limits, &self.budget) {
                Ok(Some(entry)) => self.visit_entry(chain, entry, depth),
                Ok(None) => Outcome::default(),
                Err(e) => self.entry_error(chain, e),
            })
            .reduce(Outcome::default, Outcome::merge);
        let shadowed = audit
            .shadowed
            .par_iter()
            .map(
                |copy| match view.read_shadowed(copy, limits, &self.budget) {
                    Ok(entry) => self.visit_entry(chain, entry, depth),
                    Err(e) => self.entry_error(chain, e),
                },
            )
            .reduce(Outcome::default, Outcome::merge);
        let mut outcome = head.merge(walked).merge(shadowed);
        let files = ZipFiles {
            view,
            names,
            limits: &self.scanner.limits,
            budget: &self.budget,
        };
        self.analyze_app(chain, &files, kind, &mut outcome);
        outcome
    }

    /// Runs the app-level analysis of an app archive once its entries are
    /// walked, consuming the facts its entries produced.
    fn analyze_app(
        &self,
        chain: &[String],
        files: &dyn AppFiles,
        kind: ArchiveKind,
        outcome: &mut Outcome,
    ) {
        if kind.platform().is_none() || self.deadline.passed() {
            return;
        }
        let facts = std::mem::take(&mut outcome.facts);
        let analysis = contain_value(chain, || {
            apps::analyze(kind, files, &facts, chain.len(), &self.scanner.options)
        });
        let analysis = match analysis {
            Ok(Some(analysis)) => analysis,
            Ok(None) => {
                // Not an app itself (an XAPK, an AAR): the facts belong to
                // whatever encloses it.
                outcome.facts = facts;
                return;
            }
            Err(error) => {
                outcome.errors.push(error);
                return;
            }
        };
        let mut issues = analysis.issues;
        let mut summary = analysis.summary;
        outcome.certificates.extend(
            analysis
                .certificates
                .into_iter()
                .map(|c| CertificateRecord {
                    path: join(chain, &c.path),
                    ..c
                }),
        );
        apps::transport::annotate(&summary, &mut outcome.findings);
        apps::pinning_material::reclassify(&summary, &mut outcome.findings);
        let own_hosts = self.own_https_hosts(outcome, summary.id.as_deref());
        issues.extend(apps::pinning::missing(&summary, &own_hosts));
        for issue in issues {
            if let Some(finding) = self.locate(chain, issue) {
                outcome.findings.push(finding);
            }
        }
        summary.path = inner_path(chain);
        outcome.apps.push(summary);
    }

    /// The hosts of HTTPS endpoints the app at hand names that are its own
    /// (first party), from the endpoints its entries produced.
    fn own_https_hosts(&self, outcome: &Outcome, app_id: Option<&str>) -> Vec<String> {
        let mut inventory = Inventory::default();
        for (sighting, seen) in &outcome.endpoints {
            if matches!(sighting.scheme.as_deref(), Some("https" | "wss")) {
                inventory.add(sighting.clone(), seen.clone());
            }
        }
        let ids: Vec<String> = app_id.map(str::to_string).into_iter().collect();
        inventory
            .finish(&ids, &[])
            .into_iter()
            .filter(|r| r.party == Party::First)
            .map(|r| r.host)
            .collect()
    }

    /// Turns an app-level issue into a finding located in the app at `chain`.
    fn locate(&self, chain: &[String], issue: apps::Issue) -> Option<Finding> {
        let mut full = chain.to_vec();
        let renamed = self.renames.iter().find_map(|(from, to)| {
            let rest = issue.entry.strip_prefix(from.as_str())?;
            Some(format!("{to}{rest}"))
        });
        full.extend(
            renamed
                .as_ref()
                .unwrap_or(&issue.entry)
                .split("!/")
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        let hit = Hit {
            rule_id: issue.rule_id.to_string(),
            value: issue.value,
            message: issue.message,
            severity: issue.severity,
            confidence: issue.confidence,
            offset: None,
            line: issue.line,
            symbol: issue.symbol,
        };
        self.scanner.finding(self.artifact, full, hit)
    }

    /// Scans one read archive entry inside its own fault boundary.
    fn visit_entry(&self, chain: &[String], entry: Entry<'_>, depth: usize) -> Outcome {
        if self.deadline.passed() {
            return Outcome::default();
        }
        self.entries.fetch_add(1, Ordering::Relaxed);
        let mut child = chain.to_vec();
        child.push(entry.name);
        let mut outcome = contain(&child, || self.visit(&child, &entry.data, depth + 1));
        if let Some(why) = entry.truncated {
            outcome.errors.push(ScanError {
                path: inner_path(&child),
                message: why,
            });
        }
        outcome
    }

    fn entry_error(&self, chain: &[String], e: EntryError) -> Outcome {
        Outcome::error(join(chain, &e.name), e.message)
    }

    /// Extracts strings from a non-archive buffer and runs every detector,
    /// or takes the result from the cache when the same bytes were scanned
    /// before.
    fn extract(&self, chain: &[String], kind: Kind, bytes: &[u8]) -> Outcome {
        let Some(cache) = self
            .scanner
            .cache
            .as_ref()
            .filter(|_| bytes.len() >= cache::MIN_ENTRY)
        else {
            return self.extract_fresh(chain, kind, bytes);
        };
        let slot = cache.slot(kind, bytes);
        if let Some(record) = cache.load(&slot) {
            return self.replay(chain, record);
        }
        let outcome = self.extract_fresh(chain, kind, bytes);
        // A result cut short by the time budget is not the entry's result.
        if !self.deadline.passed() {
            cache.store(&slot, &self.record(&outcome));
        }
        outcome
    }

    fn extract_fresh(&self, chain: &[String], kind: Kind, bytes: &[u8]) -> Outcome {
        let mut collector = Collector::new(self.scanner, &self.deadline, self.artifact, chain);
        let result = formats::extract(kind, bytes, &mut collector);
        let collector::Collected {
            findings,
            endpoints,
            wrapped,
        } = collector.finish();
        let path = inner_path(chain);
        let endpoints = endpoints
            .into_iter()
            .map(|(sighting, symbol)| {
                let seen = Seen {
                    path: path.clone(),
                    symbol,
                };
                (sighting, seen)
            })
            .collect();
        let mut outcome = Outcome {
            findings,
            endpoints,
            ..Outcome::default()
        };
        if let Err(e) = result {
            outcome.errors.push(ScanError {
                path: path.clone(),
                message: format!("{e}; printable strings scanned instead"),
            });
        }
        let name = chain.last().map(String::as_str).unwrap_or("");
        let analysis = apps::keystores::entry(name, bytes, self.scanner.options.as_of);
        if analysis
            .issues
            .iter()
            .any(|i| i.rule_id.starts_with("key-"))
        {
            // The file was read as a key file: its analysis replaces the
            // pattern match on its PEM text.
            outcome
                .findings
                .retain(|f| !apps::keystores::PEM_KEY_RULES.contains(&f.rule_id.as_str()));
        }
        self.add_certificates(chain, &path, analysis, Place::default(), &mut outcome);
        self.inspect_content(chain, &path, kind, bytes, wrapped, &mut outcome);
        outcome
    }

    /// What an entry's content says beyond its strings: certificates and
    /// keys base64-wrapped in its strings or compiled into it, and the
    /// framework whose payload it is.
    fn inspect_content(
        &self,
        chain: &[String],
        path: &str,
        kind: Kind,
        bytes: &[u8],
        wrapped: Vec<collector::Wrapped>,
        outcome: &mut Outcome,
    ) {
        let name = chain.last().map(String::as_str).unwrap_or("");
        for blob in wrapped {
            let analysis = apps::keystores::entry("", &blob.bytes, self.scanner.options.as_of);
            let place = Place {
                symbol: blob.symbol,
                line: blob.line,
                offset: blob.offset,
            };
            self.add_certificates(chain, path, analysis, place, outcome);
        }
        if matches!(
            kind,
            Kind::MachO | Kind::MachOFat | Kind::Elf | Kind::Hermes | Kind::Text
        ) {
            if let Some(framework) = apps::frameworks::detect_from_content(name, bytes) {
                outcome.facts.push(LocatedFact {
                    chain: chain.to_vec(),
                    fact: apps::Fact::Framework {
                        name: framework.to_string(),
                    },
                });
            }
        }
        // Certificates and keys inside binaries (a DER key in a Mach-O's
        // constants); a container file was analysed as a whole above.
        if matches!(
            kind,
            Kind::MachO | Kind::MachOFat | Kind::Elf | Kind::Dex | Kind::Binary
        ) && formats::certs::sniff(bytes).is_none()
            && !formats::certs::is_signed_data(bytes)
        {
            // A Mach-O's own code signature is not embedded material.
            let signature = formats::macho::code_signature_ranges(bytes);
            for e in formats::certs::find_embedded(bytes, MAX_EMBEDDED) {
                if signature.iter().any(|r| r.contains(&e.offset)) {
                    continue;
                }
                let Some(region) = bytes.get(e.offset..e.offset.saturating_add(e.len)) else {
                    continue;
                };
                let analysis = apps::keystores::entry("", region, self.scanner.options.as_of);
                let place = Place {
                    offset: Some(e.offset as u64),
                    ..Place::default()
                };
                self.add_certificates(chain, path, analysis, place, outcome);
            }
        }
    }

    /// Adds the analysis of a certificate, key or keystore found in the
    /// entry at `chain` (the entry itself, or a part of it at `place`).
    fn add_certificates(
        &self,
        chain: &[String],
        path: &str,
        analysis: apps::keystores::Analysis,
        place: Place,
        outcome: &mut Outcome,
    ) {
        for mut issue in analysis.issues {
            // Where the string was found says more than a subject or alias
            // (which the message names).
            if place.symbol.is_some() {
                issue.symbol = place.symbol.clone();
            }
            issue.line = issue.line.or(place.line);
            let finding = self.locate(chain, issue).map(|mut f| {
                f.location.offset = f.location.offset.or(place.offset);
                f
            });
            outcome.findings.extend(finding);
        }
        outcome
            .certificates
            .extend(analysis.record.map(|mut record| {
                record.path = match place.offset {
                    Some(offset) if place.symbol.is_none() => format!("{path}@0x{offset:x}"),
                    _ => path.to_string(),
                };
                record
            }));
        outcome.facts.extend(analysis.fact.map(|fact| LocatedFact {
            chain: chain.to_vec(),
            fact,
        }));
    }

    /// The location-free form of one entry's outcome, for the cache.
    fn record(&self, outcome: &Outcome) -> cache::Record {
        cache::Record {
            hits: outcome
                .findings
                .iter()
                .map(|f| Hit {
                    rule_id: f.rule_id.clone(),
                    value: f.value.clone(),
                    message: f.message.clone(),
                    severity: Some(f.severity),
                    confidence: Some(f.confidence),
                    offset: f.location.offset,
                    line: f.location.line,
                    symbol: f.location.symbol.clone(),
                })
                .collect(),
            endpoints: outcome
                .endpoints
                .iter()
                .map(|(s, seen)| (s.clone(), seen.symbol.clone()))
                .collect(),
            errors: outcome.errors.iter().map(|e| e.message.clone()).collect(),
            facts: outcome.facts.iter().map(|f| f.fact.clone()).collect(),
            certificates: outcome
                .certificates
                .iter()
                .map(|c| CertificateRecord {
                    path: String::new(),
                    ..c.clone()
                })
                .collect(),
        }
    }

    /// The outcome a cached record stands for, located at `chain`.
    fn replay(&self, chain: &[String], record: cache::Record) -> Outcome {
        let path = inner_path(chain);
        Outcome {
            findings: record
                .hits
                .into_iter()
                .filter_map(|hit| self.scanner.finding(self.artifact, chain.to_vec(), hit))
                .collect(),
            endpoints: record
                .endpoints
                .into_iter()
                .map(|(sighting, symbol)| {
                    let seen = Seen {
                        path: path.clone(),
                        symbol,
                    };
                    (sighting, seen)
                })
                .collect(),
            errors: record
                .errors
                .into_iter()
                .map(|message| ScanError {
                    path: path.clone(),
                    message,
                })
                .collect(),
            facts: record
                .facts
                .into_iter()
                .map(|fact| LocatedFact {
                    chain: chain.to_vec(),
                    fact,
                })
                .collect(),
            certificates: record
                .certificates
                .into_iter()
                .map(|c| CertificateRecord {
                    path: path.clone(),
                    ..c
                })
                .collect(),
            apps: Vec::new(),
        }
    }
}

/// Runs `f`, turning a panic into a scan error on `chain` so that one bad
/// entry cannot take the whole scan down.
fn contain(chain: &[String], f: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        Outcome::error(
            inner_path(chain),
            format!(
                "internal error while scanning this entry (not scanned): {}",
                panic_message(panic.as_ref())
            ),
        )
    })
}

/// Runs an app-level analysis `f`, turning a panic into a scan error on the
/// app at `chain` (its string findings are kept).
fn contain_value<T>(chain: &[String], f: impl FnOnce() -> T) -> Result<T, ScanError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| ScanError {
        path: inner_path(chain),
        message: format!(
            "internal error in the app-level analysis (not analysed): {}",
            panic_message(panic.as_ref())
        ),
    })
}

/// The entries of an app archive, read on demand for app-level checks.
struct ZipFiles<'v, 'a> {
    view: &'v ZipView<'a>,
    names: Vec<String>,
    limits: &'v Limits,
    budget: &'v Budget,
}

impl AppFiles for ZipFiles<'_, '_> {
    fn names(&self) -> &[String] {
        &self.names
    }

    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let entry = self.view.read_named(name, self.limits, self.budget)?;
        Some(entry.data)
    }

    fn archive(&self) -> Option<(&[u8], u64)> {
        Some((self.view.bytes(), self.view.central_directory_start()))
    }
}

/// The report of an input whose scan panicked outside any entry's fault
/// boundary (`what` is `file` or `bundle`): its findings are lost.
fn crashed(
    mut artifact: ScannedArtifact,
    what: &str,
    panic: &(dyn std::any::Any + Send),
) -> (ScannedArtifact, Vec<Finding>) {
    artifact.errors.push(ScanError {
        path: String::new(),
        message: format!(
            "internal error while scanning this {what} (not scanned): {}",
            panic_message(panic)
        ),
    });
    (artifact, Vec::new())
}

/// The message a panic was raised with, when it has one.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The path inside the scanned file: chain without its first element.
fn inner_path(chain: &[String]) -> String {
    chain
        .iter()
        .skip(1)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("!/")
}

fn join(chain: &[String], name: &str) -> String {
    let parent = inner_path(chain);
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}!/{name}")
    }
}

#[cfg(test)]
mod tests;
