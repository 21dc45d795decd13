//! The CLI metadata root (ECMA-335 II.24.2.1) and its string heaps.

use super::pe;
use crate::formats::le::{slice, u16_at, usize_at, utf16le};
use crate::formats::{FormatError, ScannedString, StringSink};

const FORMAT: &str = "dotnet";
/// Longest stream name (including its NUL) the standard allows.
const MAX_STREAM_NAME: usize = 32;
/// Most stream headers read (real images have five).
const MAX_STREAMS: usize = 16;

/// Extracts `#US` and `#Strings` from a PE `image` found at `base` in the
/// scanned artifact (`None` when it was decompressed), naming each string
/// `{prefix}#US` or `{prefix}#Strings`.
pub fn extract(
    image: &[u8],
    base: Option<u64>,
    prefix: &str,
    sink: &mut dyn StringSink,
) -> Result<(), FormatError> {
    let root =
        pe::metadata_root(image).ok_or_else(|| FormatError::new(FORMAT, "no CLI metadata root"))?;
    let streams = streams(image, root)?;
    let at = |offset: usize| base.map(|b| b + offset as u64);
    for (name, offset, heap) in streams {
        match name {
            "#US" => {
                let symbol = format!("{prefix}#US");
                user_strings(heap, &mut |text: &[u8], o: usize| {
                    sink.push(ScannedString {
                        text,
                        offset: at(offset + o),
                        line: None,
                        symbol: Some(&symbol),
                        context: None,
                    })
                })?
            }
            "#Strings" => {
                let symbol = format!("{prefix}#Strings");
                let mut o = 0;
                for s in heap.split(|&b| b == 0) {
                    if !s.is_empty() {
                        sink.push(ScannedString {
                            text: s,
                            offset: at(offset + o),
                            line: None,
                            symbol: Some(&symbol),
                            context: None,
                        });
                    }
                    o += s.len() + 1;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The streams of the metadata root at `root`: name, file offset, bytes.
/// A metadata stream: its name, file offset and bytes.
type Stream<'a> = (&'a str, usize, &'a [u8]);

fn streams(image: &[u8], root: usize) -> Result<Vec<Stream<'_>>, FormatError> {
    let err = |m: &str| FormatError::new(FORMAT, m.to_string());
    let version_len = usize_at(image, root + 12).ok_or_else(|| err("metadata root truncated"))?;
    let flags_at = (root + 16)
        .checked_add(version_len)
        .ok_or_else(|| err("bad version length"))?;
    let count = u16_at(image, flags_at + 2).ok_or_else(|| err("metadata root truncated"))?;
    let mut at = flags_at + 4;
    let mut out = Vec::new();
    for _ in 0..usize::from(count).min(MAX_STREAMS) {
        let (Some(offset), Some(size)) = (usize_at(image, at), usize_at(image, at + 4)) else {
            return Err(err("stream header truncated"));
        };
        let name_area = image.get(at + 8..).unwrap_or(&[]);
        let name_len = name_area
            .iter()
            .take(MAX_STREAM_NAME)
            .position(|&b| b == 0)
            .ok_or_else(|| err("unterminated stream name"))?;
        let name = std::str::from_utf8(&name_area[..name_len]).unwrap_or("");
        let start = root
            .checked_add(offset)
            .ok_or_else(|| err("stream offset overflows"))?;
        let heap = slice(image, start, size).ok_or_else(|| err("stream outside the image"))?;
        out.push((name, start, heap));
        at += 8 + (name_len + 4) / 4 * 4;
    }
    Ok(out)
}

/// Calls `push` with each string of a `#US` heap (decoded to UTF-8) and
/// its offset in the heap.
fn user_strings(heap: &[u8], push: &mut dyn FnMut(&[u8], usize)) -> Result<(), FormatError> {
    let mut pos = 1;
    while pos < heap.len() {
        let Some((len, header)) = blob_length(&heap[pos..]) else {
            return Err(FormatError::new(FORMAT, "bad #US blob length"));
        };
        let start = pos + header;
        let Some(blob) = slice(heap, start, len) else {
            return Err(FormatError::new(FORMAT, "#US blob runs past the heap"));
        };
        // A blob is UTF-16LE characters plus one terminal flag byte.
        let chars = &blob[..len & !1];
        if !chars.is_empty() {
            push(utf16le(chars).as_bytes(), start);
        }
        pos = start + len;
    }
    Ok(())
}

/// A compressed blob length (ECMA-335 II.24.2.4) and the bytes it took.
fn blob_length(b: &[u8]) -> Option<(usize, usize)> {
    let b0 = *b.first()?;
    if b0 & 0x80 == 0 {
        Some((usize::from(b0), 1))
    } else if b0 & 0xc0 == 0x80 {
        Some((usize::from(b0 & 0x3f) << 8 | usize::from(*b.get(1)?), 2))
    } else if b0 & 0xe0 == 0xc0 {
        let rest = b.get(1..4)?;
        let v = u32::from_be_bytes([b0 & 0x1f, rest[0], rest[1], rest[2]]);
        Some((usize::try_from(v).ok()?, 4))
    } else {
        None
    }
}
