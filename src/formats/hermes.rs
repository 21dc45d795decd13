//! Hermes bytecode (`.hbc`, shipped by React Native as
//! `index.android.bundle` or `main.jsbundle`): every entry of the string
//! table, labelled `string #N` by its string id.
//!
//! The file starts with a 128-byte header (magic `0x1F1903C103BC1FC6`,
//! version, source hash, then section counts), followed by the function
//! headers, the string-kind run lengths, the identifier hashes, the small
//! string table (one `u32` per string: bit 0 UTF-16 flag, 23 bits offset,
//! 8 bits length; length 255 sends the offset into the overflow table), the
//! overflow table (`u32` offset, `u32` length pairs) and the string storage.
//! Small function headers are 16 bytes up to bytecode version 96 and 12
//! bytes after; rather than trust a version table, the parser takes the
//! layout whose string-kind run lengths add up to the string count.

use super::le::{slice, u32_at, usize_at, utf16le};
use super::{FormatError, ScannedString, StringSink};

const FORMAT: &str = "hermes";

/// The magic number, as stored (little-endian `u64`).
pub const MAGIC: u64 = 0x1F19_03C1_03BC_1FC6;

/// Size of the file header in every supported version.
const HEADER_SIZE: usize = 128;

/// Candidate sizes of one small function header, newest first.
const FUNC_HEADER_SIZES: [usize; 2] = [12, 16];

/// Length value marking an overflowed small string entry.
const OVERFLOW_LENGTH: u32 = 255;

/// True when `bytes` starts with the Hermes bytecode magic.
pub fn is_hermes(bytes: &[u8]) -> bool {
    bytes.get(..8) == Some(&MAGIC.to_le_bytes()[..])
}

/// The counts of the header that locate the string table.
#[derive(Debug, Clone, Copy)]
struct Header {
    version: u32,
    function_count: usize,
    string_kind_count: usize,
    identifier_count: usize,
    string_count: usize,
    overflow_count: usize,
    storage_size: usize,
}

impl Header {
    fn parse(bytes: &[u8]) -> Option<Header> {
        if bytes.len() < HEADER_SIZE {
            return None;
        }
        Some(Header {
            version: u32_at(bytes, 8)?,
            function_count: usize_at(bytes, 0x28)?,
            string_kind_count: usize_at(bytes, 0x2c)?,
            identifier_count: usize_at(bytes, 0x30)?,
            string_count: usize_at(bytes, 0x34)?,
            overflow_count: usize_at(bytes, 0x38)?,
            storage_size: usize_at(bytes, 0x3c)?,
        })
    }
}

/// Where the string sections are, once a layout has been validated.
struct Layout<'a> {
    small: &'a [u8],
    overflow: &'a [u8],
    storage: &'a [u8],
    storage_offset: usize,
}

impl<'a> Layout<'a> {
    /// The layout for `func_header_size`, if every section fits and the
    /// string kinds account for exactly `string_count` strings.
    fn locate(bytes: &'a [u8], h: &Header, func_header_size: usize) -> Option<Layout<'a>> {
        let kinds_at = h
            .function_count
            .checked_mul(func_header_size)?
            .checked_add(HEADER_SIZE)?;
        let kinds = slice(bytes, kinds_at, h.string_kind_count.checked_mul(4)?)?;
        let counted = kinds
            .chunks_exact(4)
            .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) & 0x7fff_ffff))
            .sum::<u64>();
        if counted != h.string_count as u64 {
            return None;
        }
        let small_at = kinds_at
            .checked_add(kinds.len())?
            .checked_add(h.identifier_count.checked_mul(4)?)?;
        let small = slice(bytes, small_at, h.string_count.checked_mul(4)?)?;
        let overflow_at = small_at.checked_add(small.len())?;
        let overflow = slice(bytes, overflow_at, h.overflow_count.checked_mul(8)?)?;
        let storage_offset = overflow_at.checked_add(overflow.len())?;
        let storage = slice(bytes, storage_offset, h.storage_size)?;
        Some(Layout {
            small,
            overflow,
            storage,
            storage_offset,
        })
    }

    /// Offset (in storage), length in characters and UTF-16 flag of string `i`.
    fn entry(&self, i: usize) -> Option<(usize, usize, bool)> {
        let word = u32_at(self.small, i.checked_mul(4)?)?;
        let utf16 = word & 1 == 1;
        let offset = (word >> 1) & 0x7f_ffff;
        let length = word >> 24;
        if length != OVERFLOW_LENGTH {
            return Some((offset as usize, length as usize, utf16));
        }
        let at = (offset as usize).checked_mul(8)?;
        Some((
            usize_at(self.overflow, at)?,
            usize_at(self.overflow, at + 4)?,
            utf16,
        ))
    }
}

/// Extracts every string of the string table.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    if !is_hermes(bytes) {
        return Err(FormatError::new(FORMAT, "bad magic"));
    }
    let header =
        Header::parse(bytes).ok_or_else(|| FormatError::new(FORMAT, "header truncated"))?;
    let layout = FUNC_HEADER_SIZES
        .iter()
        .find_map(|&size| Layout::locate(bytes, &header, size))
        .ok_or_else(|| {
            FormatError::new(
                FORMAT,
                format!(
                    "version {}: string table does not fit the file or its counts disagree",
                    header.version
                ),
            )
        })?;
    let mut bad = 0usize;
    for i in 0..header.string_count {
        if !push_string(&layout, i, sink) {
            bad += 1;
        }
    }
    if bad > 0 {
        return Err(FormatError::new(
            FORMAT,
            format!("{bad} string table entries point outside the string storage"),
        ));
    }
    Ok(())
}

/// Pushes string `i`; false when its entry is out of bounds.
fn push_string(layout: &Layout<'_>, i: usize, sink: &mut dyn StringSink) -> bool {
    let Some((offset, length, utf16)) = layout.entry(i) else {
        return false;
    };
    let byte_len = if utf16 {
        length.checked_mul(2)
    } else {
        Some(length)
    };
    let Some(raw) = byte_len.and_then(|n| slice(layout.storage, offset, n)) else {
        return false;
    };
    if raw.is_empty() {
        return true;
    }
    let symbol = format!("string #{i}");
    let decoded;
    let text = if utf16 {
        decoded = utf16le(raw);
        decoded.as_bytes()
    } else {
        raw
    };
    sink.push(ScannedString {
        symbol: Some(&symbol),
        ..ScannedString::at(text, (layout.storage_offset + offset) as u64)
    });
    true
}

#[cfg(test)]
mod tests;
