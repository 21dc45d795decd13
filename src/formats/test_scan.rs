//! Test helpers for the framework parsers: collect what a parser pushes,
//! and scan bytes with the built-in detectors.

use super::{FormatError, ScannedString, StringSink};

/// A pushed string: text, symbol (or ""), offset (or `u64::MAX`).
pub(crate) type Pushed = (String, String, u64);

/// The strings `run` pushes and its result.
pub(crate) fn collect(
    run: impl FnOnce(&mut dyn StringSink) -> Result<(), FormatError>,
) -> (Vec<Pushed>, Result<(), FormatError>) {
    let mut out = Vec::new();
    let result = run(&mut |s: ScannedString<'_>| {
        out.push((
            String::from_utf8_lossy(s.text).into_owned(),
            s.symbol.unwrap_or("").to_owned(),
            s.offset.unwrap_or(u64::MAX),
        ))
    });
    (out, result)
}

/// One finding, reduced to what the tests check.
#[derive(Debug)]
pub(crate) struct Hit {
    pub rule: String,
    pub value: String,
    pub symbol: Option<String>,
    /// Reported at low confidence (a placeholder).
    pub low: bool,
}

/// Scans `bytes`, shown as `name`, with the built-in detectors.
pub(crate) fn findings(name: &str, bytes: &[u8]) -> Vec<Hit> {
    let scanner = crate::scan::Scanner::new(
        crate::detectors::builtin().expect("built-in rules"),
        crate::archives::Limits::default(),
    );
    let (artifact, found) = scanner.scan_bytes(name, bytes);
    assert!(artifact.errors.is_empty(), "{:?}", artifact.errors);
    found
        .into_iter()
        .map(|f| Hit {
            rule: f.rule_id.clone(),
            value: f.value.clone(),
            symbol: f.location.symbol.clone(),
            low: f.confidence == crate::findings::Confidence::Low,
        })
        .collect()
}
