//! Helpers shared by unit tests.

use std::path::{Path, PathBuf};

/// The third-party corpus (`$MASTIFF_CORPUS`, default `../shared/corpus`),
/// or `None` with a note on stderr when it is absent, so tests can skip.
pub(crate) fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MASTIFF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "corpus not found at {}; skipping (set MASTIFF_CORPUS)",
            dir.display()
        );
        None
    }
}
