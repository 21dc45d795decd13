//! A type chunk (`ResTable_type`): configuration, offset table and entries.

use super::{Config, Entry, EntryValue, TypeChunk};
use crate::formats::axml::chunk::{u16_at, u32_at, u8_at, warn, Chunk};
use crate::formats::axml::{StringPool, Value};

const FLAG_SPARSE: u8 = 0x01;
const FLAG_OFFSET16: u8 = 0x02;
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
const NO_ENTRY32: u32 = 0xffff_ffff;
const NO_ENTRY16: u16 = 0xffff;
/// Offset of the configuration in the type chunk header.
const CONFIG_OFFSET: usize = 20;
/// Size of a full `ResTable_entry`.
const ENTRY_LEN: usize = 8;
/// Size of `ResTable_map_entry` (an entry plus parent and count).
const MAP_ENTRY_LEN: usize = 16;
/// Size of `ResTable_map`: a name and a `Res_value`.
const MAP_LEN: usize = 12;
/// Entry indices are 16 bits wide.
const MAX_ENTRIES: usize = 0x1_0000;
/// Bag items read per type chunk, per map-sized slot of the chunk. Entries
/// may share one bag; this bounds what a hostile table can make many
/// entries point at.
const ITEM_BUDGET_FACTOR: usize = 4;

/// Reads the type chunk `c`; string values resolve against `global`.
pub(super) fn parse(bytes: &[u8], c: Chunk, global: &StringPool, w: &mut Vec<String>) -> TypeChunk {
    let b = bytes.get(..c.end).unwrap_or_default();
    let id = u8_at(b, c.start + 8).unwrap_or(0);
    let flags = u8_at(b, c.start + 9).unwrap_or(0);
    let declared = u32_at(b, c.start + 12).unwrap_or(0) as usize;
    let entries_start = u32_at(b, c.start + 16).unwrap_or(0) as usize;
    let config = Config::read(
        b.get(c.start + CONFIG_OFFSET..c.header_end)
            .unwrap_or_default(),
    );

    let base = match c.start.checked_add(entries_start) {
        Some(base) if base >= c.header_end && base <= c.end => base,
        _ => {
            warn(
                w,
                format!(
                    "type chunk at {}: entries start {entries_start} out of range",
                    c.start
                ),
            );
            return TypeChunk {
                id,
                config,
                entries: Vec::new(),
            };
        }
    };
    let offsets = offset_table(b, c.header_end, base, flags, declared, w);
    let mut budget = (c.end - c.start) / MAP_LEN * ITEM_BUDGET_FACTOR + 1024;
    let mut entries: Vec<Entry> = offsets
        .into_iter()
        .filter_map(|(index, off)| entry(b, base.checked_add(off)?, index, global, &mut budget))
        .collect();
    if budget == 0 {
        warn(
            w,
            format!(
                "type chunk at {}: bag items past the budget dropped",
                c.start
            ),
        );
    }
    entries.sort_by_key(|e| e.index);
    TypeChunk {
        id,
        config,
        entries,
    }
}

/// `(entry index, offset from the entries start)` of each present entry.
fn offset_table(
    b: &[u8],
    from: usize,
    to: usize,
    flags: u8,
    declared: usize,
    w: &mut Vec<String>,
) -> Vec<(u16, usize)> {
    let width = if flags & FLAG_OFFSET16 != 0 && flags & FLAG_SPARSE == 0 {
        2
    } else {
        4
    };
    let room = (to - from) / width;
    let count = declared.min(room).min(MAX_ENTRIES);
    if count < declared {
        warn(
            w,
            format!("type chunk: {declared} entries declared, {count} read"),
        );
    }
    let slot = |i: usize| from + width * i;
    (0..count)
        .filter_map(|i| {
            if flags & FLAG_SPARSE != 0 {
                let index = u16_at(b, slot(i))?;
                let off = usize::from(u16_at(b, slot(i) + 2)?) * 4;
                Some((index, off))
            } else if width == 2 {
                let off = u16_at(b, slot(i))?;
                (off != NO_ENTRY16).then(|| (i as u16, usize::from(off) * 4))
            } else {
                let off = u32_at(b, slot(i))?;
                (off != NO_ENTRY32).then_some((i as u16, off as usize))
            }
        })
        .collect()
}

/// Reads the entry at `at`, or `None` if it does not fit the chunk.
/// Bag items read are taken from `budget`.
fn entry(
    b: &[u8],
    at: usize,
    index: u16,
    global: &StringPool,
    budget: &mut usize,
) -> Option<Entry> {
    let first = u16_at(b, at)?;
    let flags = u16_at(b, at + 2)?;
    let word = u32_at(b, at + 4)?;
    if flags & ENTRY_FLAG_COMPACT != 0 {
        // Compact: key index, flags with the data type in the high byte, data.
        let value = Value::decode((flags >> 8) as u8, word, global);
        return Some(Entry {
            index,
            key: u32::from(first),
            flags,
            value: EntryValue::Simple(value),
        });
    }
    let size = usize::from(first).max(ENTRY_LEN);
    let value = if flags & ENTRY_FLAG_COMPLEX != 0 {
        let parent = u32_at(b, at + ENTRY_LEN)?;
        let declared = u32_at(b, at + ENTRY_LEN + 4)? as usize;
        let maps = at.checked_add(size.max(MAP_ENTRY_LEN))?;
        let room = b.len().saturating_sub(maps) / MAP_LEN;
        let count = declared.min(room).min(*budget);
        *budget -= count;
        let items = (0..count)
            .filter_map(|i| {
                let m = maps + MAP_LEN * i;
                let name = u32_at(b, m)?;
                Some((name, res_value(b, m + 4, global)?))
            })
            .collect();
        EntryValue::Complex { parent, items }
    } else {
        EntryValue::Simple(res_value(b, at.checked_add(size)?, global)?)
    };
    Some(Entry {
        index,
        key: word,
        flags,
        value,
    })
}

/// A `Res_value` at `at`: size, reserved byte, type, data.
fn res_value(b: &[u8], at: usize, global: &StringPool) -> Option<Value> {
    let data_type = u8_at(b, at.checked_add(3)?)?;
    let data = u32_at(b, at + 4)?;
    Some(Value::decode(data_type, data, global))
}
