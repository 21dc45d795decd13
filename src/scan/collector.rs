use super::deadline::Deadline;
use super::{Hit, Scanner};
use crate::detectors::endpoints::{PathJoiner, Sighting};
use crate::detectors::Match;
use crate::findings::Finding;
use crate::formats::{ScannedString, StringSink};
use std::collections::HashSet;

/// Strings between two looks at the clock.
const CLOCK_EVERY: u32 = 256;

/// Runs every detector on each string of one entry and turns matches into
/// findings, dropping repeats of the same (rule, value, symbol, line).
/// Once the file's time budget is spent, further strings are dropped.
pub(super) struct Collector<'a> {
    scanner: &'a Scanner,
    deadline: &'a Deadline,
    pushed: u32,
    stopped: bool,
    artifact: &'a str,
    chain: &'a [String],
    matches: Vec<Match>,
    findings: Vec<Finding>,
    seen: HashSet<(String, String, Option<String>, Option<u32>)>,
    sightings: Vec<Sighting>,
    /// Unique (endpoint, symbol) pairs of this entry, for the inventory.
    endpoints: HashSet<(Sighting, Option<String>)>,
    /// Base URLs and API paths per symbol, joined at the end.
    paths: PathJoiner,
    /// Certificates, keys and keystores found base64-wrapped in strings.
    wrapped: Vec<Wrapped>,
}

/// What the strings of one entry yielded.
pub(super) struct Collected {
    pub findings: Vec<Finding>,
    /// Endpoints seen, with the symbol naming each.
    pub endpoints: Vec<(Sighting, Option<String>)>,
    /// Containers found base64-wrapped in strings.
    pub wrapped: Vec<Wrapped>,
}

/// A certificate, key or keystore decoded from a base64 string.
pub(super) struct Wrapped {
    pub symbol: Option<String>,
    pub line: Option<u32>,
    pub offset: Option<u64>,
    pub bytes: Vec<u8>,
}

/// Most base64-wrapped containers decoded from one entry.
const MAX_WRAPPED: usize = 16;
/// Shortest string that can wrap a certificate, key or keystore (64 bytes
/// of base64).
const MIN_WRAPPED: usize = 86;

impl<'a> Collector<'a> {
    pub(super) fn new(
        scanner: &'a Scanner,
        deadline: &'a Deadline,
        artifact: &'a str,
        chain: &'a [String],
    ) -> Self {
        Collector {
            scanner,
            deadline,
            pushed: 0,
            stopped: false,
            artifact,
            chain,
            matches: Vec::new(),
            findings: Vec::new(),
            seen: HashSet::new(),
            sightings: Vec::new(),
            endpoints: HashSet::new(),
            paths: PathJoiner::default(),
            wrapped: Vec::new(),
        }
    }

    /// What the entry yielded.
    pub(super) fn finish(self) -> Collected {
        let mut endpoints: Vec<_> = self.endpoints.into_iter().collect();
        self.paths.apply(&mut endpoints);
        endpoints.sort_by(|a, b| (&a.0.endpoint, &a.1).cmp(&(&b.0.endpoint, &b.1)));
        Collected {
            findings: self.findings,
            endpoints,
            wrapped: self.wrapped,
        }
    }

    /// Keeps the container `s` wraps in base64, if any.
    fn unwrap(&mut self, s: &ScannedString<'_>) {
        if s.text.len() < MIN_WRAPPED || self.wrapped.len() >= MAX_WRAPPED {
            return;
        }
        let Some(bytes) = std::str::from_utf8(s.text)
            .ok()
            .and_then(crate::formats::certs::decode_wrapped)
        else {
            return;
        };
        self.wrapped.push(Wrapped {
            symbol: s.symbol.map(str::to_string),
            line: s.line,
            offset: s.offset,
            bytes,
        });
    }

    fn record(&mut self, m: Match, s: &ScannedString<'_>) {
        let symbol = s.symbol.map(str::to_string);
        if !self
            .seen
            .insert((m.rule_id.clone(), m.value.clone(), symbol.clone(), s.line))
        {
            return;
        }
        let hit = Hit {
            rule_id: m.rule_id,
            value: m.value,
            message: m.message,
            severity: m.severity,
            confidence: m.confidence,
            offset: s.offset,
            line: s.line,
            symbol,
        };
        let finding = self
            .scanner
            .finding(self.artifact, self.chain.to_vec(), hit);
        self.findings.extend(finding);
    }
}

impl StringSink for Collector<'_> {
    fn push(&mut self, s: ScannedString<'_>) {
        if self.stopped {
            return;
        }
        if self.pushed.is_multiple_of(CLOCK_EVERY) && self.deadline.passed() {
            self.stopped = true;
            return;
        }
        self.pushed = self.pushed.wrapping_add(1);
        for d in self.scanner.detectors() {
            d.detect_with_inventory(&s, &mut self.matches, &mut self.sightings);
        }
        self.paths.observe(s.text, s.symbol, &self.sightings);
        self.unwrap(&s);
        if !self.sightings.is_empty() {
            // A bare name in a printable run of binary data (no symbol, no
            // line) is as often a coincidence (`f4.il` in a PNG) as a host:
            // only URLs from such runs enter the inventory.
            let unplaced = s.symbol.is_none() && s.line.is_none();
            let symbol = s.symbol.map(str::to_string);
            for sighting in self.sightings.drain(..) {
                if unplaced && !matches!(sighting.kind.as_str(), "url" | "custom") {
                    continue;
                }
                self.endpoints.insert((sighting, symbol.clone()));
            }
        }
        if self.matches.is_empty() {
            return;
        }
        let matches = std::mem::take(&mut self.matches);
        for m in matches {
            self.record(m, &s);
        }
    }
}
