//! Unity IL2CPP `global-metadata.dat`: the string literals of the game's
//! C# code, labelled `literal #N`.
//!
//! The header starts with the sanity value `0xFAB11BAF` and the metadata
//! version, then (offset, size) pairs; the first two locate the string
//! literal table and the literal data. Up to version 30 a table entry is
//! (`u32` length, `u32` data index); from version 31 it is the data index
//! alone and a literal ends where the next one starts. Literals are UTF-8.

use super::le::{slice, u32_at, usize_at};
use super::{FormatError, ScannedString, StringSink};

const FORMAT: &str = "il2cpp-metadata";

/// The sanity value at offset 0.
pub const SANITY: u32 = 0xFAB1_1BAF;

/// Metadata versions read (Unity 2017.1 to Unity 2022).
pub const VERSIONS: std::ops::RangeInclusive<u32> = 24..=31;

/// Extracts every string literal.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let err = |m: String| FormatError::new(FORMAT, m);
    if u32_at(bytes, 0) != Some(SANITY) {
        return Err(err("bad sanity value".into()));
    }
    let field = |at| usize_at(bytes, at).ok_or_else(|| err("header truncated".into()));
    let version = u32_at(bytes, 4).ok_or_else(|| err("header truncated".into()))?;
    if !VERSIONS.contains(&version) {
        return Err(err(format!("unsupported metadata version {version}")));
    }
    let table = slice(bytes, field(8)?, field(12)?)
        .ok_or_else(|| err("string literal table outside the file".into()))?;
    let data_offset = field(16)?;
    let data = slice(bytes, data_offset, field(20)?)
        .ok_or_else(|| err("string literal data outside the file".into()))?;
    let literals = literals(table, data.len(), version >= 31);
    let mut bad = 0usize;
    for (i, span) in literals.enumerate() {
        let Some(text) = span.and_then(|(start, len)| slice(data, start, len)) else {
            bad += 1;
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let symbol = format!("literal #{i}");
        sink.push(ScannedString {
            symbol: Some(&symbol),
            ..ScannedString::at(text, (data_offset + span.map_or(0, |s| s.0)) as u64)
        });
    }
    if bad > 0 {
        return Err(err(format!("{bad} string literals point outside the data")));
    }
    Ok(())
}

/// (start, length) in the literal data of each table entry; `None` for an
/// entry that cannot be read.
fn literals(
    table: &[u8],
    data_len: usize,
    index_only: bool,
) -> impl Iterator<Item = Option<(usize, usize)>> + '_ {
    let stride = if index_only { 4 } else { 8 };
    (0..table.len() / stride).map(move |i| {
        let at = i * stride;
        if !index_only {
            return Some((usize_at(table, at + 4)?, usize_at(table, at)?));
        }
        let start = usize_at(table, at)?;
        let end = usize_at(table, at + 4).unwrap_or(data_len);
        Some((start, end.checked_sub(start)?))
    })
}

#[cfg(test)]
mod tests;
