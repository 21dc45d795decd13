//! `XABA` assembly stores: version 1 (`assemblies.blob`, .NET 6–8) and
//! versions 2+ (.NET 9+, inside the `payload` section of
//! `libassemblies.<abi>.blob.so`).
//!
//! Version 1: a 20-byte header (magic, version, local entry count, global
//! entry count, store id), then 24-byte descriptors (data offset and size,
//! debug data offset and size, config offset and size). Version 2+: a
//! 20-byte header (magic, version with ABI flags in the high bits, entry
//! count, index entry count, index size in bytes), the index, 28-byte
//! descriptors (mapping index, then the six fields of version 1), then one
//! length-prefixed UTF-8 name per entry. Offsets are from the store's start.

use super::{metadata, xalz, MAX_ASSEMBLY_SIZE};
use crate::formats::le::{slice, u32_at, usize_at};
use crate::formats::{FormatError, StringSink};
use goblin::container::Ctx;
use goblin::elf::{Elf, SectionHeader};

const FORMAT: &str = "assembly-store";
const HEADER: usize = 20;
/// Longest assembly name read from a store.
const MAX_NAME: usize = 1024;

/// One assembly of a store.
struct Entry<'a> {
    name: String,
    offset: usize,
    data: &'a [u8],
}

/// Extracts every assembly of the store `bytes`, found at `base`.
pub fn extract(bytes: &[u8], base: u64, sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let entries = entries(bytes)?;
    let mut failed = 0usize;
    for e in &entries {
        let prefix = format!("{}:", e.name);
        let result = if xalz::is_xalz(e.data) {
            xalz::decompress(e.data).and_then(|img| metadata::extract(&img, None, &prefix, sink))
        } else {
            metadata::extract(
                e.data,
                Some(base.saturating_add(e.offset as u64)),
                &prefix,
                sink,
            )
        };
        failed += usize::from(result.is_err());
    }
    if failed > 0 {
        return Err(FormatError::new(
            FORMAT,
            format!("{failed} of {} assemblies unreadable", entries.len()),
        ));
    }
    Ok(())
}

fn entries(bytes: &[u8]) -> Result<Vec<Entry<'_>>, FormatError> {
    let err = |m: &str| FormatError::new(FORMAT, m.to_string());
    if !bytes.starts_with(b"XABA") {
        return Err(err("bad magic"));
    }
    let version = u32_at(bytes, 4).ok_or_else(|| err("header truncated"))? & 0xff;
    let count = usize_at(bytes, 8).ok_or_else(|| err("header truncated"))?;
    let (descriptors, stride, field) = if version == 1 {
        (HEADER, 24, 0)
    } else {
        let index_size = usize_at(bytes, 16).ok_or_else(|| err("header truncated"))?;
        let at = HEADER
            .checked_add(index_size)
            .ok_or_else(|| err("bad index size"))?;
        (at, 28, 4)
    };
    let table = count
        .checked_mul(stride)
        .and_then(|n| slice(bytes, descriptors, n))
        .ok_or_else(|| err("descriptor table outside the store"))?;
    let mut names = descriptors + table.len();
    let mut out = Vec::new();
    for (i, d) in table.chunks_exact(stride).enumerate() {
        let name = if version == 1 {
            None
        } else {
            read_name(bytes, &mut names)
        };
        let (offset, size) = (usize_at(d, field), usize_at(d, field + 4));
        let data = offset
            .zip(size)
            .filter(|&(_, s)| s <= MAX_ASSEMBLY_SIZE)
            .and_then(|(o, s)| slice(bytes, o, s))
            .ok_or_else(|| err("assembly data outside the store"))?;
        out.push(Entry {
            name: name.unwrap_or_else(|| format!("assembly #{i}")),
            offset: offset.unwrap_or(0),
            data,
        });
    }
    Ok(out)
}

/// The length-prefixed name at `*at`, advancing past it.
fn read_name(bytes: &[u8], at: &mut usize) -> Option<String> {
    let len = usize_at(bytes, *at)?;
    let name = slice(bytes, at.checked_add(4)?, len).filter(|_| len <= MAX_NAME)?;
    *at += 4 + len;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// The `payload` section of an ELF file when it holds an assembly store,
/// with its file offset.
pub fn elf_payload(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let header = Elf::parse_header(bytes).ok()?;
    let ctx = Ctx::new(header.container().ok()?, header.endianness().ok()?);
    let shoff = usize::try_from(header.e_shoff).ok()?;
    let shdrs = SectionHeader::parse(bytes, shoff, usize::from(header.e_shnum), ctx).ok()?;
    let names = shdrs.get(usize::from(header.e_shstrndx))?;
    let names = section(bytes, names.sh_offset, names.sh_size)?;
    shdrs.iter().find_map(|s| {
        let name = names.get(s.sh_name..)?;
        if !name.starts_with(b"payload\0") {
            return None;
        }
        let data = section(bytes, s.sh_offset, s.sh_size)?;
        data.starts_with(b"XABA").then_some((s.sh_offset, data))
    })
}

fn section(bytes: &[u8], offset: u64, size: u64) -> Option<&[u8]> {
    slice(
        bytes,
        usize::try_from(offset).ok()?,
        usize::try_from(size).ok()?,
    )
}
