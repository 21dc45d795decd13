//! Strings from ELF files (Android native libraries, mostly).
//!
//! Printable ASCII runs from the read-only and data sections (`.rodata`,
//! `.rodata.str*`, `.data`, `.data.rel.ro`), labelled with the section name,
//! and the dynamic string table (imported and exported symbol names, needed
//! libraries), labelled `dynsym`. When the section headers are missing or
//! unusable (stripped or packed libraries), the non-executable `PT_LOAD`
//! segments are scanned instead and the dynamic string table is found
//! through `PT_DYNAMIC`.

use goblin::container::Ctx;
use goblin::elf::program_header::{PF_X, PT_DYNAMIC, PT_LOAD};
use goblin::elf::section_header::{SHN_XINDEX, SHT_DYNSYM, SHT_NOBITS};
use goblin::elf::{Elf, ProgramHeader, SectionHeader};

use super::{printable, FormatError, ScannedString, StringSink};

const FORMAT: &str = "elf";
const DT_NULL: u64 = 0;
const DT_STRTAB: u64 = 5;
const DT_STRSZ: u64 = 10;

/// Extracts strings from an ELF file.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let err = |e: goblin::error::Error| FormatError::new(FORMAT, e.to_string());
    let header = Elf::parse_header(bytes).map_err(err)?;
    let ctx = Ctx::new(
        header.container().map_err(err)?,
        header.endianness().map_err(err)?,
    );
    let phdrs = usize::try_from(header.e_phoff)
        .ok()
        .and_then(|off| ProgramHeader::parse(bytes, off, usize::from(header.e_phnum), ctx).ok())
        .unwrap_or_default();
    let shdrs = usize::try_from(header.e_shoff)
        .ok()
        .and_then(|off| SectionHeader::parse(bytes, off, usize::from(header.e_shnum), ctx).ok())
        .unwrap_or_default();
    let shstrndx = match u32::from(header.e_shstrndx) {
        SHN_XINDEX => shdrs.first().map_or(0, |s| s.sh_link as usize),
        i => i as usize,
    };
    let names = shdrs
        .get(shstrndx)
        .map(|s| section_bytes(bytes, s.sh_offset, s.sh_size));
    let elf = Image { bytes, ctx, sink };
    match names.filter(|_| shdrs.len() > 1) {
        Some(names)
            if shdrs
                .iter()
                .any(|s| name_at(names, s.sh_name).starts_with('.')) =>
        {
            elf.scan_sections(&shdrs, names);
            Ok(())
        }
        _ => elf.scan_segments(&phdrs),
    }
}

struct Image<'b, 's> {
    bytes: &'b [u8],
    ctx: Ctx,
    sink: &'s mut dyn StringSink,
}

impl<'b> Image<'b, '_> {
    fn scan_sections(self, shdrs: &[SectionHeader], names: &[u8]) {
        let Image { bytes, sink, .. } = self;
        for s in shdrs.iter().filter(|s| s.sh_type != SHT_NOBITS) {
            let name = name_at(names, s.sh_name);
            let wanted = matches!(name, ".rodata" | ".data" | ".data.rel.ro")
                || name.starts_with(".rodata.str");
            if wanted {
                runs(
                    section_bytes(bytes, s.sh_offset, s.sh_size),
                    s.sh_offset,
                    name,
                    sink,
                );
            }
        }
        let dynstr = shdrs
            .iter()
            .filter(|s| s.sh_type == SHT_DYNSYM)
            .find_map(|s| shdrs.get(s.sh_link as usize));
        if let Some(s) = dynstr.filter(|s| s.sh_type != SHT_NOBITS) {
            strings(
                section_bytes(bytes, s.sh_offset, s.sh_size),
                s.sh_offset,
                sink,
            );
        }
    }

    fn scan_segments(self, phdrs: &[ProgramHeader]) -> Result<(), FormatError> {
        let mut scanned = false;
        for p in phdrs
            .iter()
            .filter(|p| p.p_type == PT_LOAD && p.p_flags & PF_X == 0)
        {
            let data = section_bytes(self.bytes, p.p_offset, p.p_filesz);
            scanned |= !data.is_empty();
            runs(data, p.p_offset, "PT_LOAD", self.sink);
        }
        if let Some((offset, table)) = self.dynamic_strtab(phdrs) {
            strings(table, offset, self.sink);
        }
        if scanned {
            Ok(())
        } else {
            Err(FormatError::new(
                FORMAT,
                "no usable section headers and no data segments",
            ))
        }
    }

    /// The dynamic string table named by `PT_DYNAMIC`, with its file offset.
    fn dynamic_strtab(&self, phdrs: &[ProgramHeader]) -> Option<(u64, &'b [u8])> {
        let dynamic = phdrs.iter().find(|p| p.p_type == PT_DYNAMIC)?;
        let entries = section_bytes(self.bytes, dynamic.p_offset, dynamic.p_filesz);
        let word = if self.ctx.is_big() { 8 } else { 4 };
        let (mut addr, mut size) = (None, None);
        for entry in entries.chunks_exact(2 * word) {
            let (tag, value) = (self.read(entry, 0, word), self.read(entry, word, word));
            match tag {
                DT_NULL => break,
                DT_STRTAB => addr = Some(value),
                DT_STRSZ => size = Some(value),
                _ => {}
            }
        }
        let (addr, size) = (addr?, size?);
        let load = phdrs
            .iter()
            .find(|p| p.p_type == PT_LOAD && addr >= p.p_vaddr && addr - p.p_vaddr < p.p_filesz)?;
        let offset = load.p_offset.checked_add(addr - load.p_vaddr)?;
        Some((offset, section_bytes(self.bytes, offset, size)))
    }

    fn read(&self, entry: &[u8], at: usize, word: usize) -> u64 {
        let b = entry.get(at..at + word).unwrap_or(&[]);
        let push = |v: u64, &byte: &u8| v << 8 | u64::from(byte);
        if self.ctx.is_little_endian() {
            b.iter().rev().fold(0, push)
        } else {
            b.iter().fold(0, push)
        }
    }
}

/// Pushes the printable runs of `data`, found at `base`, labelled `symbol`.
fn runs(data: &[u8], base: u64, symbol: &str, sink: &mut dyn StringSink) {
    printable::ascii_runs(data, &mut |r: ScannedString<'_>| {
        sink.push(ScannedString {
            offset: Some(base + r.offset.unwrap_or(0)),
            symbol: Some(symbol),
            ..r
        })
    });
}

/// Pushes the non-empty NUL-separated strings of a string table at `base`.
fn strings(table: &[u8], base: u64, sink: &mut dyn StringSink) {
    let mut at = base;
    for s in table.split(|&b| b == 0) {
        if !s.is_empty() {
            for (k, chunk) in s.chunks(printable::MAX_RUN).enumerate() {
                let offset = at.saturating_add((k * printable::MAX_RUN) as u64);
                sink.push(ScannedString {
                    symbol: Some("dynsym"),
                    ..ScannedString::at(chunk, offset)
                });
            }
        }
        at = at.saturating_add(s.len() as u64 + 1);
    }
}

/// The file bytes `[offset, offset + size)`, cut at the end of the file.
fn section_bytes(bytes: &[u8], offset: u64, size: u64) -> &[u8] {
    let Ok(start) = usize::try_from(offset) else {
        return &[];
    };
    let end = usize::try_from(offset.saturating_add(size))
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    bytes.get(start..end).unwrap_or(&[])
}

/// The NUL-terminated name at `at` in a string table ("" if unreadable).
fn name_at(table: &[u8], at: usize) -> &str {
    let rest = table.get(at..).unwrap_or(&[]);
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    std::str::from_utf8(rest.get(..end).unwrap_or(&[])).unwrap_or("")
}

#[cfg(test)]
mod tests;
