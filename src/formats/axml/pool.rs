//! The string pool chunk (`ResStringPool`): UTF-8 or UTF-16 strings, each
//! with a one- or two-unit length prefix. Style spans are not read.
//!
//! Strings are decoded once, up front, and shared as `Arc<str>` so that a
//! value used by many attributes or resources costs one allocation. A pool
//! can point many offsets at the same long run of bytes; decoding stops
//! after a budget proportional to the chunk size, and the strings past it
//! read as empty (with a warning).

use std::collections::HashMap;
use std::sync::Arc;

use super::chunk::{u16_at, u32_at, u8_at, warn, Chunk};

const UTF8_FLAG: u32 = 0x100;
/// Size of `ResStringPool_header`.
const POOL_HEADER_LEN: usize = 28;
/// Decoded bytes allowed per byte of pool chunk, plus a fixed allowance.
/// UTF-16 text decodes to at most 1.5 bytes of UTF-8 per byte, so real
/// pools never come near it.
const BUDGET_FACTOR: usize = 4;
const BUDGET_EXTRA: usize = 1 << 20;

/// A decoded string pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringPool {
    strings: Vec<Arc<str>>,
    /// Buffer offset of each string's first character, when it was readable.
    offsets: Vec<Option<u64>>,
    utf8: bool,
    /// Whether some string could not be decoded in full.
    lossy: bool,
}

impl StringPool {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether the pool holds no strings.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// String `idx`, if it exists.
    pub fn get(&self, idx: u32) -> Option<&Arc<str>> {
        self.strings.get(usize::try_from(idx).ok()?)
    }

    /// Buffer offset of string `idx`'s characters.
    pub fn offset(&self, idx: u32) -> Option<u64> {
        *self.offsets.get(usize::try_from(idx).ok()?)?
    }

    /// Whether the pool stores UTF-8 (else UTF-16LE).
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// Whether some string was out of range, cut short or skipped.
    pub fn is_lossy(&self) -> bool {
        self.lossy
    }

    /// All strings in index order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<str>> {
        self.strings.iter()
    }
}

/// Decodes the pool in `chunk`. Never fails: unreadable strings are empty
/// and noted in `warnings`.
pub(crate) fn parse(buf: &[u8], chunk: Chunk, warnings: &mut Vec<String>) -> StringPool {
    let b = chunk.bytes(buf);
    let field = |off: usize| u32_at(b, off).unwrap_or(0);
    let declared = field(8) as usize;
    let style_count = field(12);
    let flags = field(16);
    let strings_start = field(20) as usize;
    let styles_start = field(24) as usize;
    let mut pool = StringPool {
        utf8: flags & UTF8_FLAG != 0,
        ..StringPool::default()
    };
    if chunk.header_size() < POOL_HEADER_LEN {
        warn(warnings, "string pool: header too short");
    }

    // The offsets array follows the header and cannot pass the chunk.
    let index_start = chunk.header_size().max(POOL_HEADER_LEN);
    let room = b.len().saturating_sub(index_start) / 4;
    let count = declared.min(room);
    if count < declared {
        warn(
            warnings,
            format!("string pool: {declared} strings declared, room for {count}"),
        );
        pool.lossy = true;
    }
    let data_end = if style_count != 0 && styles_start > strings_start {
        styles_start.min(b.len())
    } else {
        b.len()
    };
    let data = b.get(strings_start..data_end).unwrap_or_default();
    if count > 0 && data.is_empty() {
        warn(warnings, "string pool: string data out of range");
    }
    let data_base = chunk.start + strings_start;

    let mut budget = b.len().saturating_mul(BUDGET_FACTOR) + BUDGET_EXTRA;
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let empty: Arc<str> = Arc::from("");
    pool.strings.reserve(count);
    pool.offsets.reserve(count);
    for i in 0..count {
        let rel = u32_at(b, index_start + 4 * i).unwrap_or(u32::MAX);
        if let Some(&j) = seen.get(&rel) {
            pool.strings.push(pool.strings[j].clone());
            pool.offsets.push(pool.offsets[j]);
            continue;
        }
        let decoded = decode(data, rel as usize, pool.utf8, budget);
        let (text, at) = match decoded {
            Some(d) => {
                if d.cut {
                    pool.lossy = true;
                    warn(
                        warnings,
                        format!("string pool: string {i} runs past the pool; cut"),
                    );
                }
                if !d.cut && !d.terminated {
                    warn(
                        warnings,
                        format!("string pool: string {i} not NUL-terminated"),
                    );
                }
                budget = budget.saturating_sub(d.text.len());
                (Arc::from(d.text), Some((data_base + d.start) as u64))
            }
            None => {
                pool.lossy = true;
                warn(warnings, format!("string pool: string {i} unreadable"));
                (empty.clone(), None)
            }
        };
        seen.insert(rel, i);
        pool.strings.push(text);
        pool.offsets.push(at);
    }
    pool
}

struct Decoded {
    text: String,
    /// Offset of the first character inside the string data.
    start: usize,
    /// Whether the declared length ran past the data.
    cut: bool,
    /// Whether a NUL follows the string, as the format requires.
    terminated: bool,
}

/// Decodes the string at `off` in `data`, or `None` when its length prefix
/// is unreadable or decoding it would pass `budget` bytes.
fn decode(data: &[u8], off: usize, utf8: bool, budget: usize) -> Option<Decoded> {
    if utf8 {
        let (_units, n1) = len8(data, off)?;
        let (bytes, n2) = len8(data, off.checked_add(n1)?)?;
        let start = off + n1 + n2;
        let avail = data.len().checked_sub(start)?;
        let take = bytes.min(avail);
        if take > budget {
            return None;
        }
        let text = String::from_utf8_lossy(&data[start..start + take]).into_owned();
        Some(Decoded {
            text,
            start,
            cut: take < bytes,
            terminated: data.get(start + take) == Some(&0),
        })
    } else {
        let (units, n) = len16(data, off)?;
        let start = off + n;
        let avail = data.len().checked_sub(start)? / 2;
        let take = units.min(avail);
        if take.saturating_mul(3) > budget {
            return None;
        }
        let raw = &data[start..start + 2 * take];
        let text = char::decode_utf16(
            raw.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        )
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
        Some(Decoded {
            text,
            start,
            cut: take < units,
            terminated: u16_at(data, start + 2 * take) == Some(0),
        })
    }
}

/// A UTF-8 pool length: one byte, or two with the high bit of the first set.
fn len8(data: &[u8], off: usize) -> Option<(usize, usize)> {
    let first = u8_at(data, off)?;
    if first & 0x80 == 0 {
        return Some((usize::from(first), 1));
    }
    let second = u8_at(data, off.checked_add(1)?)?;
    Some(((usize::from(first & 0x7f) << 8) | usize::from(second), 2))
}

/// A UTF-16 pool length: one unit, or two with the high bit of the first set.
fn len16(data: &[u8], off: usize) -> Option<(usize, usize)> {
    let first = u16_at(data, off)?;
    if first & 0x8000 == 0 {
        return Some((usize::from(first), 2));
    }
    let second = u16_at(data, off.checked_add(2)?)?;
    Some(((usize::from(first & 0x7fff) << 16) | usize::from(second), 4))
}
