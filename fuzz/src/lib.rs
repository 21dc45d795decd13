//! Shared setup for the fuzz targets: one scanner with the built-in rules,
//! built once per process.

use mastiff::archives::Limits;
use mastiff::findings::ScannedArtifact;
use mastiff::scan::Scanner;
use std::sync::OnceLock;

/// The scanner every end-to-end target uses: built-in rules, default limits.
pub fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let detectors = mastiff::detectors::builtin().expect("built-in rules compile");
        Scanner::new(detectors, Limits::default())
    })
}

/// Fails the run when the scan's fault boundary had to catch a panic: the
/// boundary keeps a real scan going, but under fuzzing a caught panic is
/// still a bug. (libFuzzer's panic hook aborts first in practice; this
/// covers builds without it.)
pub fn assert_no_internal_error(artifact: &ScannedArtifact) {
    for e in &artifact.errors {
        assert!(
            !e.message.contains("internal error"),
            "caught panic at {:?}: {}",
            e.path,
            e.message
        );
    }
}
