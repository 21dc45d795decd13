//! Dart AOT snapshots, as Flutter ships them in `lib/<abi>/libapp.so`
//! (ELF) and `Frameworks/App.framework/App` (Mach-O).
//!
//! The snapshot blobs are found through the symbols the Dart tool chain
//! exports for them (`_kDartVmSnapshotData`, `_kDartIsolateSnapshotData`
//! and their `…Instructions` twins, with or without the underscore, in
//! every slice of a universal file). The header of a data blob names the
//! VM version and build features ([`SnapshotInfo`]); the read-only image
//! after its clustered data holds the program's strings as heap objects,
//! which are read whole — one-byte (Latin-1) and two-byte (UTF-16) alike,
//! where printable-run extraction sees only ASCII — and pushed once per
//! distinct text, labelled [`STRING_SYMBOL`], at the offset of their
//! characters.

mod header;
mod locate;
mod objects;

use std::collections::HashSet;
use std::ops::Range;

pub use header::SnapshotInfo;

use super::{printable, FormatError, ScannedString, StringSink};
use objects::{Shape, COMPRESSED, WORD32, WORD64};

const FORMAT: &str = "dart";

/// The symbol string objects are reported under.
pub const STRING_SYMBOL: &str = "dart-string";

/// Shortest string pushed, in characters; shorter ones name nothing a
/// detector looks for.
const MIN_CHARS: usize = 4;

/// Bytes of the next object's header a printable run may pick up after
/// the characters of a string object.
const OBJECT_HEADER_SLACK: u64 = 8;

/// Alignment of the data image within a snapshot blob (a multiple of every
/// object alignment).
const IMAGE_ALIGN: usize = 16;

/// The header of the first Dart snapshot in an ELF or Mach-O file.
pub fn snapshot_info(bytes: &[u8]) -> Option<SnapshotInfo> {
    locate::data_blobs(bytes)
        .into_iter()
        .find_map(|r| header::parse(bytes.get(r)?))
        .map(|h| h.info)
}

/// True when `bytes` are an ELF or Mach-O file carrying a Dart snapshot
/// (Flutter's `libapp.so` or `App.framework/App`).
pub fn is_flutter_binary(bytes: &[u8]) -> bool {
    snapshot_info(bytes).is_some()
}

/// Pushes every distinct string object of the Dart snapshots in `bytes`
/// and returns how many were pushed. An error when there is no snapshot,
/// or when no string layout fits its data image.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<usize, FormatError> {
    extract_objects(bytes, sink, &mut Vec::new())
}

/// [`extract`], also listing the file range of the characters of every
/// string object whose text was pushed (here or earlier, when repeated).
fn extract_objects(
    bytes: &[u8],
    sink: &mut dyn StringSink,
    ranges: &mut Vec<Range<u64>>,
) -> Result<usize, FormatError> {
    let mut images: Vec<(usize, &[u8])> = Vec::new();
    let mut info = None;
    for range in locate::data_blobs(bytes) {
        let start = range.start;
        let Some((blob, h)) = bytes
            .get(range)
            .and_then(|blob| Some((blob, header::parse(blob)?)))
        else {
            continue;
        };
        // The image follows the clustered data; objects are aligned from
        // the blob's start.
        let from = h.clustered_end.next_multiple_of(IMAGE_ALIGN);
        if let Some(image) = blob.get(from..) {
            images.push((start + from, image));
        }
        info.get_or_insert(h.info);
    }
    let info = info.ok_or_else(|| FormatError::new(FORMAT, "no Dart snapshot symbols"))?;
    let views: Vec<&[u8]> = images.iter().map(|(_, s)| *s).collect();
    let layout = objects::calibrate(&views, shapes(&info)).ok_or_else(|| {
        FormatError::new(
            FORMAT,
            format!(
                "snapshot {}: no string objects recognised",
                info.version_hash
            ),
        )
    })?;
    let mut seen = HashSet::new();
    for (base, image) in &images {
        for s in objects::strings(image, &layout) {
            let Some(text) = objects::decode(&s) else {
                continue;
            };
            if text.chars().count() < MIN_CHARS {
                continue;
            }
            let at = (base + s.data_offset) as u64;
            ranges.push(at..at + s.raw.len() as u64);
            if seen.insert(text.clone()) {
                push_pieces(&text, at, sink);
            }
        }
    }
    Ok(seen.len())
}

/// Runs `native` (the ELF or Mach-O extractor) after [`extract`], dropping
/// what `native` finds inside the characters of a string object already
/// pushed whole (or running from them into the next object's header).
/// Without a snapshot, or when its strings cannot be read, `native` alone
/// decides the result: its own extraction covers the file.
pub fn extract_with(
    bytes: &[u8],
    sink: &mut dyn StringSink,
    native: fn(&[u8], &mut dyn StringSink) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    if !locate::mentions_snapshot(bytes) {
        return native(bytes, sink);
    }
    let mut ranges = Vec::new();
    let _ = extract_objects(bytes, sink, &mut ranges);
    ranges.sort_by_key(|r| r.start);
    native(bytes, &mut |s: ScannedString<'_>| {
        let inside = s.offset.is_some_and(|at| {
            let i = ranges.partition_point(|r| r.start <= at);
            i.checked_sub(1)
                .and_then(|i| ranges.get(i))
                .is_some_and(|r| {
                    at < r.end && at + s.text.len() as u64 <= r.end + OBJECT_HEADER_SLACK
                })
        });
        if !inside {
            sink.push(s);
        }
    })
}

/// The object shapes worth trying for a snapshot built with `info`'s
/// features; all of them when the features do not tell.
fn shapes(info: &SnapshotInfo) -> &'static [Shape] {
    if info.arch.is_none() {
        &[WORD64, COMPRESSED, WORD32]
    } else if info.is_32_bit() {
        &[WORD32]
    } else if info.compressed_pointers {
        &[COMPRESSED]
    } else {
        &[WORD64]
    }
}

/// Pushes `text`, in pieces of at most [`printable::MAX_RUN`] bytes cut at
/// character boundaries when it is longer.
fn push_pieces(text: &str, offset: u64, sink: &mut dyn StringSink) {
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(printable::MAX_RUN);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (piece, tail) = rest.split_at(cut);
        sink.push(ScannedString {
            symbol: Some(STRING_SYMBOL),
            ..ScannedString::at(piece.as_bytes(), offset)
        });
        rest = tail;
    }
}

#[cfg(test)]
pub(crate) mod tests;
