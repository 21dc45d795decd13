//! A package chunk (`ResTable_package`) and the chunks inside it.

use super::entries;
use super::{Package, TypeSpec};
use crate::formats::axml::chunk::{self, u16_at, u32_at, u8_at, warn, Chunk};
use crate::formats::axml::{pool, StringPool};

const RES_TABLE_LIBRARY_TYPE: u16 = 0x0203;
const RES_TABLE_OVERLAYABLE_TYPE: u16 = 0x0204;
const RES_TABLE_OVERLAYABLE_POLICY_TYPE: u16 = 0x0205;
const RES_TABLE_STAGED_ALIAS_TYPE: u16 = 0x0206;
/// UTF-16 units of the package name field.
const NAME_UNITS: usize = 128;

/// Reads the package in `c`; string values resolve against `global`.
pub(super) fn parse(bytes: &[u8], c: Chunk, global: &StringPool, w: &mut Vec<String>) -> Package {
    let header = bytes.get(c.start..c.header_end).unwrap_or_default();
    let mut p = Package {
        id: u32_at(header, 8).unwrap_or(0),
        name: name(header),
        ..Package::default()
    };
    let type_strings = u32_at(header, 268).map(|o| o as usize);
    let key_strings = u32_at(header, 276).map(|o| o as usize);
    let (mut have_types, mut have_keys) = (false, false);

    let mut pos = c.header_end;
    while let Some(child) = chunk::read(bytes, pos, c.end, w) {
        pos = child.end;
        let rel = Some(child.start - c.start);
        match child.kind {
            chunk::RES_STRING_POOL_TYPE => {
                let is_types = rel == type_strings || (!have_types && rel != key_strings);
                if is_types && !have_types {
                    p.type_names = pool::parse(bytes, child, w);
                    have_types = true;
                } else if !have_keys {
                    p.key_names = pool::parse(bytes, child, w);
                    have_keys = true;
                } else {
                    warn(w, format!("extra string pool at {} skipped", child.start));
                }
            }
            chunk::RES_TABLE_TYPE_SPEC_TYPE => p.specs.push(spec(bytes, child, w)),
            chunk::RES_TABLE_TYPE_TYPE => p.types.push(entries::parse(bytes, child, global, w)),
            RES_TABLE_LIBRARY_TYPE
            | RES_TABLE_OVERLAYABLE_TYPE
            | RES_TABLE_OVERLAYABLE_POLICY_TYPE
            | RES_TABLE_STAGED_ALIAS_TYPE => {}
            kind => warn(
                w,
                format!("package chunk 0x{kind:04x} at {} skipped", child.start),
            ),
        }
    }
    if pos < c.end {
        warn(w, format!("package {:#x}: stopped at byte {pos}", p.id));
    }
    p
}

/// The NUL-terminated UTF-16 package name at offset 12 of the header.
fn name(header: &[u8]) -> String {
    let units = (0..NAME_UNITS)
        .map_while(|i| u16_at(header, 12 + 2 * i))
        .take_while(|&u| u != 0);
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A `ResTable_typeSpec`: id, entry count, then one flags word per entry.
fn spec(bytes: &[u8], c: Chunk, w: &mut Vec<String>) -> TypeSpec {
    let declared = u32_at(bytes, c.start + 12).unwrap_or(0) as usize;
    let room = (c.end - c.header_end) / 4;
    if declared > room {
        warn(
            w,
            format!(
                "type spec at {}: {declared} entries, room for {room}",
                c.start
            ),
        );
    }
    TypeSpec {
        id: u8_at(bytes, c.start + 8).unwrap_or(0),
        flags: (0..declared.min(room))
            .filter_map(|i| u32_at(bytes, c.header_end + 4 * i))
            .collect(),
    }
}
