//! The inflate-only baseline: every entry of a ZIP read once with the `zip`
//! crate, as the scanner would have to at the very least.

use rayon::prelude::*;
use std::io::{Cursor, Read};

/// Inflates one entry into `buf` and returns its length.
fn inflate(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize, buf: &mut Vec<u8>) -> usize {
    buf.clear();
    let mut entry = archive.by_index(i).expect("entry opens");
    entry.read_to_end(buf).expect("entry inflates");
    buf.len()
}

/// Inflates every entry in order on this thread; returns the inflated bytes.
pub fn inflate_all(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("archive opens");
    let mut buf = Vec::new();
    (0..archive.len())
        .map(|i| inflate(&mut archive, i, &mut buf))
        .sum()
}

/// Inflates every entry, entries in parallel as the scanner reads them;
/// returns the inflated bytes.
pub fn inflate_all_parallel(bytes: &[u8]) -> usize {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("archive opens");
    (0..archive.len())
        .into_par_iter()
        .map_init(
            || (archive.clone(), Vec::new()),
            |(archive, buf), i| inflate(archive, i, buf),
        )
        .sum()
}
