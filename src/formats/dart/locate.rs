//! Finds the Dart snapshot blobs of an ELF (`libapp.so`) or Mach-O
//! (`App.framework/App`, every slice of a universal file) through the
//! symbols the Dart tool chain exports for them.

use std::ops::Range;

use goblin::elf::section_header::SHT_NOBITS;
use goblin::elf::{header::ET_REL, program_header::PT_LOAD, Elf, Sym};
use goblin::mach::{Mach, MachO};

/// The symbols of the snapshot blobs, without their leading underscore.
const SYMBOLS: [&str; 4] = [
    "kDartVmSnapshotData",
    "kDartIsolateSnapshotData",
    "kDartVmSnapshotInstructions",
    "kDartIsolateSnapshotInstructions",
];
/// The data blobs, the ones holding string objects.
const DATA_SYMBOLS: [&str; 2] = ["kDartVmSnapshotData", "kDartIsolateSnapshotData"];
/// Symbols read per file at most.
const MAX_SYMBOLS: usize = 1 << 21;
/// More architectures than any real universal binary carries.
const MAX_ARCHES: usize = 64;

/// One snapshot symbol: its name (no underscore) and the file bytes from its
/// start to the end of its symbol, section or segment.
struct Located {
    name: &'static str,
    range: Range<usize>,
}

/// True when `bytes` plausibly hold a Dart snapshot symbol name; a cheap
/// test run before any parsing.
pub(super) fn mentions_snapshot(bytes: &[u8]) -> bool {
    use aho_corasick::AhoCorasick;
    AhoCorasick::new(["DartIsolateSnapshotData"]).is_ok_and(|ac| ac.is_match(bytes))
}

/// File ranges of the snapshot data blobs, each cut where the next snapshot
/// blob starts, in file order.
pub(super) fn data_blobs(bytes: &[u8]) -> Vec<Range<usize>> {
    if !mentions_snapshot(bytes) {
        return Vec::new();
    }
    let mut found = Vec::new();
    if bytes.starts_with(b"\x7fELF") {
        if let Ok(elf) = Elf::parse(bytes) {
            elf_symbols(&elf, bytes.len(), &mut found);
        }
    } else {
        macho_symbols(bytes, &mut found);
    }
    found.sort_by_key(|l| l.range.start);
    found.dedup_by_key(|l| l.range.start);
    let starts: Vec<usize> = found.iter().map(|l| l.range.start).collect();
    found
        .iter()
        .filter(|l| DATA_SYMBOLS.contains(&l.name))
        .map(|l| {
            let next = starts
                .iter()
                .copied()
                .find(|&s| s > l.range.start)
                .unwrap_or(usize::MAX);
            l.range.start..l.range.end.min(next)
        })
        .collect()
}

/// The snapshot symbol `name` stands for, with or without an underscore.
fn snapshot_symbol(name: &str) -> Option<&'static str> {
    let bare = name.strip_prefix('_').unwrap_or(name);
    SYMBOLS.iter().copied().find(|&s| s == bare)
}

fn elf_symbols(elf: &Elf, len: usize, found: &mut Vec<Located>) {
    let tables = [(&elf.dynsyms, &elf.dynstrtab), (&elf.syms, &elf.strtab)];
    for (syms, names) in tables {
        for sym in syms.iter().take(MAX_SYMBOLS) {
            let Some(name) = names.get_at(sym.st_name).and_then(snapshot_symbol) else {
                continue;
            };
            if let Some(range) = elf_range(elf, &sym, len) {
                found.push(Located { name, range });
            }
        }
    }
}

/// The file bytes of an ELF symbol: from its value, mapped through its
/// section (or a loaded segment when there are no sections), for its size
/// or to the end of that section or segment.
fn elf_range(elf: &Elf, sym: &Sym, len: usize) -> Option<Range<usize>> {
    let (start, end) = match elf.section_headers.get(sym.st_shndx) {
        Some(s) if s.sh_type != SHT_NOBITS && sym.st_shndx != 0 => {
            let within = if elf.header.e_type == ET_REL {
                sym.st_value
            } else {
                sym.st_value.checked_sub(s.sh_addr)?
            };
            (
                s.sh_offset.checked_add(within)?,
                s.sh_offset.checked_add(s.sh_size)?,
            )
        }
        _ => {
            let p = elf.program_headers.iter().find(|p| {
                p.p_type == PT_LOAD
                    && sym.st_value >= p.p_vaddr
                    && sym.st_value - p.p_vaddr < p.p_filesz
            })?;
            let start = p.p_offset.checked_add(sym.st_value - p.p_vaddr)?;
            (start, p.p_offset.checked_add(p.p_filesz)?)
        }
    };
    let end = match sym.st_size {
        0 => end,
        size => end.min(start.checked_add(size)?),
    };
    clamp(start, end, len)
}

fn macho_symbols(bytes: &[u8], found: &mut Vec<Located>) {
    match Mach::parse_lossy(bytes) {
        Ok(Mach::Binary(macho)) => macho_slice(&macho, 0, bytes.len(), found),
        Ok(Mach::Fat(fat)) => {
            for arch in fat.iter_arches().take(MAX_ARCHES).flatten() {
                let (Ok(offset), Ok(size)) =
                    (usize::try_from(arch.offset), usize::try_from(arch.size))
                else {
                    continue;
                };
                let Some(slice) = offset
                    .checked_add(size)
                    .and_then(|end| bytes.get(offset..end))
                else {
                    continue;
                };
                if let Ok(macho) = MachO::parse_lossy(slice, 0) {
                    macho_slice(&macho, offset, slice.len(), found);
                }
            }
        }
        _ => {}
    }
}

/// Snapshot symbols of one thin Mach-O found at `base` in the file, each
/// mapped through the section holding its address.
fn macho_slice(macho: &MachO, base: usize, len: usize, found: &mut Vec<Located>) {
    let sections: Vec<_> = macho
        .segments
        .iter()
        .filter_map(|seg| seg.sections().ok())
        .flatten()
        .map(|(s, _)| s)
        .filter(|s| s.offset != 0)
        .collect();
    for (name, nlist) in macho.symbols().take(MAX_SYMBOLS).flatten() {
        let Some(name) = snapshot_symbol(name) else {
            continue;
        };
        let Some(s) = sections
            .iter()
            .find(|s| nlist.n_value >= s.addr && nlist.n_value - s.addr < s.size)
        else {
            continue;
        };
        let start = u64::from(s.offset) + (nlist.n_value - s.addr);
        let end = u64::from(s.offset).saturating_add(s.size);
        if let Some(r) = clamp(start, end, len) {
            found.push(Located {
                name,
                range: r.start.saturating_add(base)..r.end.saturating_add(base),
            });
        }
    }
}

/// `start..end` as file offsets within `len` bytes, if non-empty.
fn clamp(start: u64, end: u64, len: usize) -> Option<Range<usize>> {
    let start = usize::try_from(start).ok()?;
    let end = usize::try_from(end).unwrap_or(usize::MAX).min(len);
    (start < end).then_some(start..end)
}
