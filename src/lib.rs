//! mastiff: a static analyzer for mobile app binaries.
//!
//! The pipeline reads top to bottom, one folder per stage:
//!
//! * [`inputs`] — turn command-line paths into memory-mapped files;
//! * [`archives`] — walk ZIP-family containers (APK, AAB, XAPK, IPA, JAR, AAR)
//!   in memory, recursing into nested archives within bounds;
//! * [`formats`] — recognise each artifact by content and extract located
//!   strings from it (DEX, Mach-O, ELF, plist, text, printable runs);
//! * [`detectors`] — rules that turn located strings into findings;
//! * [`apps`] — app-level checks joining several entries of one app
//!   (manifest, network security config, Info.plist, code, signing);
//! * [`findings`] — the one finding model every report is a view of;
//! * [`triage`] — configuration, allowlists and baselines deciding what is reported;
//! * [`reports`] — SARIF 2.1.0, JSON, Markdown and terminal output.
//!
//! [`scan`] wires the stages together.

pub mod apps;
pub mod archives;
pub mod cli;
pub mod detectors;
pub mod findings;
pub mod formats;
pub mod inputs;
pub mod reports;
pub mod scan;
pub mod triage;

#[doc(hidden)]
pub mod fixtures;

#[cfg(test)]
mod test_support;

/// The version of this build, as reported in every output format.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
