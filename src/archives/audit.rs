//! An independent, bounded walk of a ZIP's central directory and local
//! headers, for what the `zip` crate does not show: it keeps only the last
//! of several entries with one name, and reads each entry where the central
//! directory says without comparing the local header. Android's installer,
//! streaming unzip tools and the `zip` crate may therefore see different
//! files in one archive; every such disagreement is reported.

use super::entry_label;
use std::collections::HashMap;

const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_FIXED: usize = 46;
const LOCAL_FIXED: usize = 30;
const FLAG_DESCRIPTOR: u16 = 1 << 3;
const ZIP64_EXTRA: u16 = 0x0001;
/// Individual problems reported per archive; the rest are counted.
const MAX_PROBLEMS: usize = 64;

/// One central directory record, with ZIP64 fields resolved.
#[derive(Debug, Clone)]
struct Record {
    name: Vec<u8>,
    method: u16,
    compressed: u64,
    /// Absolute offset of the local header in the buffer.
    header: u64,
}

/// An earlier entry with a name that a later entry also has: the `zip`
/// crate cannot reach it, so it is read from its local header instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadowed {
    /// Display label: the entry name with the copy number.
    pub label: String,
    /// Absolute offset of the local header.
    pub header: u64,
    /// Compressed size from the central directory.
    pub compressed: u64,
}

/// What the audit found: problems to report (entry label, message) and
/// shadowed copies to scan.
#[derive(Debug, Default)]
pub struct Audit {
    pub problems: Vec<(String, String)>,
    pub shadowed: Vec<Shadowed>,
}

impl Audit {
    fn problem(&mut self, label: String, message: String) {
        self.problems.push((label, message));
    }
}

/// Audits the archive in `bytes` whose central directory starts at
/// `dir_start` and whose offsets are shifted by `archive_offset` (prepended
/// data). At most `max_records` records are read.
pub fn audit(bytes: &[u8], dir_start: u64, archive_offset: u64, max_records: usize) -> Audit {
    let mut audit = Audit::default();
    let records = read_records(bytes, dir_start, archive_offset, max_records);
    let spans = check_local_headers(bytes, &records, &mut audit);
    check_overlaps(&records, spans, &mut audit);
    find_duplicates(&records, &mut audit);
    if audit.problems.len() > MAX_PROBLEMS {
        let more = audit.problems.len() - MAX_PROBLEMS;
        audit.problems.truncate(MAX_PROBLEMS);
        audit.problems.push((
            String::new(),
            format!("{more} more header problems in this archive not listed"),
        ));
    }
    audit
}

fn read_records(bytes: &[u8], dir_start: u64, archive_offset: u64, max: usize) -> Vec<Record> {
    let mut records = Vec::new();
    let Ok(mut pos) = usize::try_from(dir_start) else {
        return records;
    };
    while records.len() < max && u32_at(bytes, pos) == Some(CENTRAL_SIG) {
        let Some(fixed) = bytes.get(pos..pos.saturating_add(CENTRAL_FIXED)) else {
            break;
        };
        let field16 = |at: usize| u16::from_le_bytes([fixed[at], fixed[at + 1]]);
        let field32 = |at: usize| {
            u32::from_le_bytes([fixed[at], fixed[at + 1], fixed[at + 2], fixed[at + 3]])
        };
        let name_len = usize::from(field16(28));
        let extra_len = usize::from(field16(30));
        let comment_len = usize::from(field16(32));
        let name_start = pos + CENTRAL_FIXED;
        let extra_start = name_start + name_len;
        let (Some(name), Some(extra)) = (
            bytes.get(name_start..extra_start),
            bytes.get(extra_start..extra_start + extra_len),
        ) else {
            break;
        };
        let mut size = u64::from(field32(24));
        let mut compressed = u64::from(field32(20));
        let mut offset = u64::from(field32(42));
        apply_zip64(extra, &mut size, &mut compressed, &mut offset);
        records.push(Record {
            name: name.to_vec(),
            method: field16(10),
            compressed,
            header: offset.saturating_add(archive_offset),
        });
        pos = extra_start + extra_len + comment_len;
    }
    records
}

/// Replaces each field saturated to 0xFFFFFFFF with its ZIP64 value, in the
/// order the format lists them (size, compressed size, offset).
fn apply_zip64(extra: &[u8], size: &mut u64, compressed: &mut u64, offset: &mut u64) {
    let mut pos = 0;
    while let (Some(id), Some(len)) = (u16_at(extra, pos), u16_at(extra, pos + 2)) {
        let body = pos + 4;
        let end = body + usize::from(len);
        if id == ZIP64_EXTRA {
            let mut at = body;
            for field in [size, compressed, offset] {
                if *field != u64::from(u32::MAX) {
                    continue;
                }
                match extra.get(at..at + 8).filter(|_| at + 8 <= end) {
                    Some(v) => *field = u64::from_le_bytes(v.try_into().unwrap_or([0; 8])),
                    None => return,
                }
                at += 8;
            }
            return;
        }
        pos = end;
    }
}

/// Compares each record with its local header; returns each record's byte
/// span (header to end of data) where the local header could be read.
fn check_local_headers(
    bytes: &[u8],
    records: &[Record],
    audit: &mut Audit,
) -> Vec<Option<(u64, u64)>> {
    records
        .iter()
        .map(|r| {
            let label = entry_label(&r.name);
            let Some(pos) = usize::try_from(r.header)
                .ok()
                .filter(|&p| u32_at(bytes, p) == Some(LOCAL_SIG))
            else {
                audit.problem(
                    label,
                    format!("no local header at offset {} named by the central directory", r.header),
                );
                return None;
            };
            let local = |at: usize| u16_at(bytes, pos + at);
            let (Some(flags), Some(method), Some(name_len), Some(extra_len)) =
                (local(6), local(8), local(26), local(28))
            else {
                audit.problem(label, "local header is cut short".into());
                return None;
            };
            let name_start = pos + LOCAL_FIXED;
            let name = bytes.get(name_start..name_start + usize::from(name_len));
            if name != Some(r.name.as_slice()) {
                let local_name = name.map(entry_label).unwrap_or_else(|| "(cut short)".into());
                audit.problem(
                    label.clone(),
                    format!(
                        "local header names this entry {local_name:?}: readers that trust local headers see a different file; scanned as the central directory describes it"
                    ),
                );
            }
            if method != r.method {
                audit.problem(
                    label.clone(),
                    format!("local header says compression method {method}, the central directory {}", r.method),
                );
            }
            let local_compressed = u32_at(bytes, pos + 18).unwrap_or(0);
            if flags & FLAG_DESCRIPTOR == 0
                && local_compressed != u32::MAX
                && u64::from(local_compressed) != r.compressed
            {
                audit.problem(
                    label,
                    format!(
                        "local header says {local_compressed} compressed bytes, the central directory {}",
                        r.compressed
                    ),
                );
            }
            let data = (pos + LOCAL_FIXED + usize::from(name_len) + usize::from(extra_len)) as u64;
            Some((r.header, data.saturating_add(r.compressed)))
        })
        .collect()
}

/// Reports records whose header or data lies inside an earlier record's
/// span: the trick behind overlapping zip bombs, where many entries share
/// one compressed block.
fn check_overlaps(records: &[Record], spans: Vec<Option<(u64, u64)>>, audit: &mut Audit) {
    // Sorted by start, then directory order: of two entries at one place,
    // the later one is reported.
    let mut order: Vec<(u64, usize, u64)> = spans
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|(start, end)| (start, i, end)))
        .collect();
    order.sort_unstable();
    let mut reach: Option<(u64, usize)> = None;
    for (start, i, end) in order {
        if let Some((far, owner)) = reach {
            if start < far {
                audit.problem(
                    entry_label(&records[i].name),
                    format!(
                        "entry overlaps entry {:?} (possible overlapping zip bomb)",
                        entry_label(&records[owner].name)
                    ),
                );
            }
        }
        if reach.is_none_or(|(far, _)| end > far) {
            reach = Some((end, i));
        }
    }
}

/// Reports names held by more than one record and lists every copy but the
/// last (the one the `zip` crate reads) for separate scanning.
fn find_duplicates(records: &[Record], audit: &mut Audit) {
    let mut by_name: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        by_name.entry(r.name.as_slice()).or_default().push(i);
    }
    let mut dups: Vec<&Vec<usize>> = by_name.values().filter(|v| v.len() > 1).collect();
    dups.sort_unstable();
    for copies in dups {
        let label = entry_label(&records[copies[0]].name);
        let n = copies.len();
        audit.problem(
            label.clone(),
            format!(
                "{n} entries share this name; readers may each pick a different copy (Android refuses such APKs); every copy scanned, earlier ones as \"{label} (copy i of {n})\""
            ),
        );
        for (k, &i) in copies[..n - 1].iter().enumerate() {
            audit.shadowed.push(Shadowed {
                label: format!("{label} (copy {} of {n})", k + 1),
                header: records[i].header,
                compressed: records[i].compressed,
            });
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::zipfile::{hostile, ZipBuilder};

    fn run(bytes: &[u8]) -> Audit {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        audit(
            bytes,
            archive.central_directory_start(),
            archive.offset(),
            1000,
        )
    }

    #[test]
    fn clean_archive_has_no_problems() {
        let bytes = ZipBuilder::new()
            .stored("a.txt", b"alpha")
            .deflated("b.txt", b"beta beta beta")
            .build();
        let a = run(&bytes);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert!(a.shadowed.is_empty());
    }

    #[test]
    fn prepended_data_shifts_offsets() {
        let mut bytes = vec![0u8; 100];
        bytes.extend(ZipBuilder::new().stored("a.txt", b"alpha").build());
        let a = run(&bytes);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
    }

    #[test]
    fn duplicates_are_reported_and_earlier_copies_listed() {
        let a = run(&hostile::duplicate_names());
        assert_eq!(a.problems.len(), 1);
        assert_eq!(a.problems[0].0, "config.json");
        assert!(a.problems[0].1.contains("2 entries share this name"));
        assert_eq!(a.shadowed.len(), 1);
        assert_eq!(a.shadowed[0].label, "config.json (copy 1 of 2)");
        assert_eq!(a.shadowed[0].header, 0);
        assert_eq!(a.shadowed[0].compressed, 5);
    }

    #[test]
    fn local_header_disagreements_are_reported() {
        let a = run(&hostile::local_name_mismatch());
        assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
        assert!(a.problems[0].1.contains("../../payload.sh"));
        let a = run(&hostile::local_size_mismatch());
        assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
        assert!(a.problems[0].1.contains("says 3 compressed bytes"));
        // A data descriptor legitimately zeroes the local sizes.
        assert!(run(&hostile::data_descriptor()).problems.is_empty());
    }

    #[test]
    fn overlapping_entries_are_reported() {
        // Two central records pointing at the same local header.
        let mut bytes = ZipBuilder::new()
            .stored("a.txt", b"alpha")
            .stored("b.txt", b"bravo")
            .build();
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        let second = archive.central_directory_start() as usize + 46 + 5;
        drop(archive);
        assert_eq!(u32_at(&bytes, second), Some(CENTRAL_SIG));
        bytes[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
        let a = run(&bytes);
        let overlap: Vec<_> = a
            .problems
            .iter()
            .filter(|(_, m)| m.contains("overlaps"))
            .collect();
        assert_eq!(overlap.len(), 1, "{:?}", a.problems);
        assert_eq!(overlap[0].0, "b.txt");
        assert!(a.problems.iter().any(|(_, m)| m.contains("\"a.txt\"")));
    }

    #[test]
    fn problems_are_capped() {
        let names: Vec<Vec<u8>> = (0..100).map(|_| b"same".to_vec()).collect();
        let a = run(&hostile::with_names(&names));
        assert_eq!(a.problems.len(), 1, "one report per duplicated name");
        assert_eq!(a.shadowed.len(), 99);

        let mut builder = ZipBuilder::new();
        for i in 0..100 {
            builder = builder.stored(&format!("{i}.txt"), b"x");
        }
        let mut bytes = builder.build();
        for i in 0..bytes.len() - 4 {
            if bytes[i..i + 4] == LOCAL_SIG.to_le_bytes() {
                bytes[i] = b'X';
            }
        }
        let a = run(&bytes);
        assert_eq!(a.problems.len(), MAX_PROBLEMS + 1);
        assert!(a.problems[0].1.starts_with("no local header"));
        assert_eq!(
            a.problems[MAX_PROBLEMS].1,
            "36 more header problems in this archive not listed"
        );
    }

    #[test]
    fn zip64_extra_fields_resolve() {
        let mut extra = Vec::new();
        extra.extend_from_slice(&ZIP64_EXTRA.to_le_bytes());
        extra.extend_from_slice(&16u16.to_le_bytes());
        extra.extend_from_slice(&(5u64 << 32).to_le_bytes());
        extra.extend_from_slice(&77u64.to_le_bytes());
        let (mut size, mut compressed, mut offset) = (u64::from(u32::MAX), 9, u64::from(u32::MAX));
        apply_zip64(&extra, &mut size, &mut compressed, &mut offset);
        assert_eq!((size, compressed, offset), (5 << 32, 9, 77));
        // A short extra field leaves what it cannot fill.
        let (mut s, mut c, mut o) = (u64::from(u32::MAX), 1, 2);
        apply_zip64(&extra[..8], &mut s, &mut c, &mut o);
        assert_eq!((s, c, o), (u64::from(u32::MAX), 1, 2));
    }
}
