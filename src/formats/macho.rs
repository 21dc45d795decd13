//! Strings from Mach-O files: thin or universal, 32- or 64-bit, either byte
//! order.
//!
//! Per architecture slice: C-string sections (`__cstring`,
//! `__objc_classname`, `__objc_methname`), UTF-16 `__ustring`, the literals
//! `__cfstring` records point at, printable runs in constant and data
//! sections, imported and exported symbol names and linked dylib paths.
//! Each distinct string is pushed once per file, at its first offset, so the
//! slices of a universal binary do not repeat each other.

mod binds;
mod guard;
mod sections;
mod signature;

pub use signature::code_signature_ranges;

use std::collections::HashSet;

use goblin::mach::load_command::CommandVariant;
use goblin::mach::MachO;

use super::{printable, FormatError, ScannedString, StringSink};
use sections::{Section, Sections};

const FORMAT: &str = "mach-o";
const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
/// More architectures than any real universal binary carries.
const MAX_ARCHES: u32 = 64;
/// Symbols read per slice at most.
const MAX_SYMBOLS: usize = 1 << 21;
/// Unreadable symbol entries in a row after which the table is abandoned.
const MAX_BAD_SYMBOLS: usize = 64;
/// `CFString` flag bit marking a UTF-16 literal.
const CFSTRING_UTF16: u64 = 0x10;
const N_UNDF: u8 = 0x0;
const N_SECT: u8 = 0xe;

/// Extracts strings from a thin or universal Mach-O file.
///
/// A slice goblin cannot parse is reported in the returned error after the
/// other slices have been extracted.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let mut out = Dedup {
        sink,
        seen: HashSet::new(),
    };
    match be_u32(bytes, 0) {
        Some(FAT_MAGIC | FAT_MAGIC_64) => extract_fat(bytes, &mut out),
        _ => extract_slice(bytes, 0, &mut out),
    }
}

/// Forwards each distinct string once.
struct Dedup<'s> {
    sink: &'s mut dyn StringSink,
    seen: HashSet<Vec<u8>>,
}

impl Dedup<'_> {
    fn emit(&mut self, text: &[u8], offset: u64, symbol: &str) {
        if text.is_empty() || self.seen.contains(text) {
            return;
        }
        self.seen.insert(text.to_vec());
        self.sink.push(ScannedString {
            text,
            offset: Some(offset),
            line: None,
            symbol: Some(symbol),
            context: None,
        });
    }
}

fn extract_fat(bytes: &[u8], out: &mut Dedup) -> Result<(), FormatError> {
    let wide = be_u32(bytes, 0) == Some(FAT_MAGIC_64);
    let count = be_u32(bytes, 4).unwrap_or(0);
    if count == 0 || count > MAX_ARCHES {
        return Err(FormatError::new(
            FORMAT,
            format!("implausible architecture count {count}"),
        ));
    }
    let entry = if wide { 32 } else { 20 };
    let mut errors = Vec::new();
    for i in 0..count as usize {
        let at = 8 + i * entry;
        let range = if wide {
            be_u64(bytes, at + 8).zip(be_u64(bytes, at + 16))
        } else {
            be_u32(bytes, at + 8)
                .zip(be_u32(bytes, at + 12))
                .map(|(o, s)| (u64::from(o), u64::from(s)))
        };
        let result = match range {
            None => Err(format!("architecture {i}: header truncated")),
            Some((offset, size)) => match slice_at(bytes, offset, size) {
                None => Err(format!(
                    "architecture {i}: {size} bytes at {offset} lie outside the file"
                )),
                Some(slice) => extract_slice(slice, offset, out)
                    .map_err(|e| format!("architecture {i}: {}", e.message)),
            },
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(FormatError::new(FORMAT, errors.join("; ")))
    }
}

/// Extracts one thin file found at `base` in the artifact.
fn extract_slice(slice: &[u8], base: u64, out: &mut Dedup) -> Result<(), FormatError> {
    if guard::entry_point_overflows(slice) {
        return Err(FormatError::new(
            FORMAT,
            "LC_MAIN entry point lies outside the address space",
        ));
    }
    // A strict parse fails on, e.g., a truncated symbol table; the lossy one
    // still yields the sections, which are extracted before reporting.
    let (macho, strict_error) = match MachO::parse(slice, 0) {
        Ok(m) => (m, None),
        Err(e) => match MachO::parse_lossy(slice, 0) {
            Ok(m) => (m, Some(e)),
            Err(_) => return Err(FormatError::new(FORMAT, e.to_string())),
        },
    };
    let sections = Sections::new(&macho, base);
    for s in sections.iter() {
        if matches!(
            s.name.as_str(),
            "__cstring" | "__objc_classname" | "__objc_methname"
        ) {
            emit_cstrings(s, out);
        }
    }
    for s in sections.iter().filter(|s| s.name == "__ustring") {
        let mut text = String::new();
        let mut start = 0;
        for (i, unit) in utf16_units(s.data, macho.little_endian).enumerate() {
            if unit == 0 {
                out.emit(text.as_bytes(), s.file_offset + start as u64 * 2, &s.label);
                text.clear();
                start = i + 1;
            } else if text.len() < printable::MAX_RUN {
                text.push(
                    char::decode_utf16([unit])
                        .next()
                        .and_then(Result::ok)
                        .unwrap_or('\u{fffd}'),
                );
            }
        }
        out.emit(text.as_bytes(), s.file_offset + start as u64 * 2, &s.label);
    }
    for s in sections.iter().filter(|s| s.name == "__cfstring") {
        emit_cfstrings(s, &sections, &macho, out);
    }
    for s in sections.iter() {
        let data_seg =
            s.segment.starts_with("__DATA") && matches!(s.name.as_str(), "__const" | "__data");
        if data_seg || (s.segment == "__TEXT" && s.name == "__const") {
            printable::ascii_runs(s.data, &mut |r: ScannedString<'_>| {
                out.emit(r.text, s.file_offset + r.offset.unwrap_or(0), &s.label)
            });
        }
    }
    emit_symbols(&macho, slice, base, out);
    for lib in &macho.libs {
        if let Some(at) = offset_within(slice, lib.as_bytes()) {
            out.emit(lib.as_bytes(), base + at, "dylibs");
        }
    }
    match strict_error {
        None => Ok(()),
        Some(e) => Err(FormatError::new(
            FORMAT,
            format!("parsed leniently after: {e}"),
        )),
    }
}

/// Pushes the NUL-separated strings of a C-string section.
fn emit_cstrings(s: &Section, out: &mut Dedup) {
    let mut start = 0;
    for piece in s.data.split(|&b| b == 0) {
        for (k, chunk) in piece.chunks(printable::MAX_RUN).enumerate() {
            out.emit(
                chunk,
                s.file_offset + (start + k * printable::MAX_RUN) as u64,
                &s.label,
            );
        }
        start += piece.len() + 1;
    }
}

/// Pushes the literal each `CFString` record points at.
fn emit_cfstrings(s: &Section, sections: &Sections, macho: &MachO, out: &mut Dedup) {
    let word = if macho.is_64 { 8 } else { 4 };
    let read = |rec: &[u8], i: usize| -> u64 {
        let b = rec.get(i * word..(i + 1) * word).unwrap_or(&[]);
        let push = |v: u64, &byte: &u8| v << 8 | u64::from(byte);
        if macho.little_endian {
            b.iter().rev().fold(0, push)
        } else {
            b.iter().fold(0, push)
        }
    };
    for rec in s.data.chunks_exact(4 * word) {
        let (flags, ptr, len) = (read(rec, 1), read(rec, 2), read(rec, 3));
        let Some((target, at)) = sections.resolve(ptr) else {
            continue;
        };
        let rest = target.data.get(at..).unwrap_or(&[]);
        let offset = target.file_offset + at as u64;
        if flags & CFSTRING_UTF16 != 0 {
            let units = usize::try_from(len)
                .unwrap_or(usize::MAX)
                .min(printable::MAX_RUN);
            let bytes = rest.get(..units.saturating_mul(2)).unwrap_or(rest);
            let text: String = char::decode_utf16(utf16_units(bytes, macho.little_endian))
                .map(|c| c.unwrap_or('\u{fffd}'))
                .collect();
            out.emit(text.as_bytes(), offset, &s.label);
        } else {
            let n = usize::try_from(len)
                .unwrap_or(usize::MAX)
                .min(printable::MAX_RUN)
                .min(rest.len());
            out.emit(rest.get(..n).unwrap_or(rest), offset, &s.label);
        }
    }
}

/// Pushes external symbol names: undefined and bound ones as `imports`,
/// defined ones as `exports`.
fn emit_symbols(macho: &MachO, slice: &[u8], base: u64, out: &mut Dedup) {
    for (at, name) in binds::bound_names(macho, slice) {
        out.emit(name, base + at, "imports");
    }
    if !macho
        .load_commands
        .iter()
        .any(|c| matches!(c.command, CommandVariant::Symtab(_)))
    {
        return;
    }
    let mut bad = 0;
    for entry in macho.symbols().take(MAX_SYMBOLS) {
        let Ok((name, nlist)) = entry else {
            bad += 1;
            if bad > MAX_BAD_SYMBOLS {
                break;
            }
            continue;
        };
        bad = 0;
        if nlist.is_stab() || !nlist.is_global() {
            continue;
        }
        let label = match nlist.get_type() {
            N_UNDF => "imports",
            N_SECT => "exports",
            _ => continue,
        };
        if let Some(at) = offset_within(slice, name.as_bytes()) {
            out.emit(name.as_bytes(), base + at, label);
        }
    }
}

/// Offset of `inner` inside `outer`, if it is a sub-slice of it.
fn offset_within(outer: &[u8], inner: &[u8]) -> Option<u64> {
    let at = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (at.checked_add(inner.len())? <= outer.len()).then_some(at as u64)
}

fn utf16_units(bytes: &[u8], little_endian: bool) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |p| {
        let pair = [p[0], p[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    })
}

fn slice_at(bytes: &[u8], offset: u64, size: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(size).ok()?)?;
    bytes.get(start..end)
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

#[cfg(test)]
mod tests;
