//! Finding known names in a DEX file's sorted tables, and the class
//! hierarchy of the classes it defines.
//!
//! String ids are sorted by UTF-16 code units and type ids by their
//! descriptor's string id, so a descriptor, or every descriptor with a given
//! package prefix, is found by binary search without decoding the tables.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

use crate::formats::dex::Dex;

/// Deepest superclass / interface chain followed.
const MAX_HIERARCHY: usize = 32;

/// Compares string `idx` with `s` in the table's order; an unreadable string
/// sorts first (it cannot equal a name looked up).
fn compare(dex: &Dex<'_>, idx: u32, s: &str) -> Ordering {
    match dex.string(idx) {
        Some(found) => found.encode_utf16().cmp(s.encode_utf16()),
        None => Ordering::Less,
    }
}

/// The first string index whose string is not below `s`.
fn lower_bound(dex: &Dex<'_>, s: &str) -> u32 {
    let (mut lo, mut hi) = (0u32, dex.string_count());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if compare(dex, mid, s) == Ordering::Less {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The string index of `s`, if the table holds it.
pub(super) fn string_index(dex: &Dex<'_>, s: &str) -> Option<u32> {
    let at = lower_bound(dex, s);
    (at < dex.string_count() && compare(dex, at, s) == Ordering::Equal).then_some(at)
}

/// The first type index whose descriptor's string index is not below `string`.
fn type_lower_bound(dex: &Dex<'_>, types: u32, string: u32) -> u32 {
    let (mut lo, mut hi) = (0u32, types);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if dex.type_descriptor_idx(mid).unwrap_or(u32::MAX) < string {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The type index of descriptor `descriptor`, if the file names that type.
pub(super) fn type_index(dex: &Dex<'_>, types: u32, descriptor: &str) -> Option<u32> {
    let string = string_index(dex, descriptor)?;
    let at = type_lower_bound(dex, types, string);
    (dex.type_descriptor_idx(at) == Some(string)).then_some(at)
}

/// The type indices of every descriptor starting with `prefix` (which ends
/// in `/` or `;`).
pub(super) fn type_range(dex: &Dex<'_>, types: u32, prefix: &str) -> Range<u32> {
    let first = lower_bound(dex, prefix);
    // The next string after every one with the prefix: the prefix with its
    // last character incremented ('/' + 1 = '0', ';' + 1 = '<').
    let mut past = prefix.to_string();
    if let Some(last) = past.pop() {
        past.push(char::from(last as u8 + 1));
    }
    let end = lower_bound(dex, &past);
    type_lower_bound(dex, types, first)..type_lower_bound(dex, types, end)
}

/// The number of type ids, read from the header (the `Dex` API counts
/// strings and classes only).
pub(super) fn type_count(bytes: &[u8]) -> u32 {
    let size = bytes
        .get(0x40..0x44)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let off = bytes
        .get(0x44..0x48)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let fits = bytes.len().saturating_sub(off as usize) / 4;
    size.min(u32::try_from(fits).unwrap_or(u32::MAX))
}

/// Superclass and interfaces of every class the file defines, by type index.
pub(super) struct Hierarchy<'a> {
    bytes: &'a [u8],
    /// class type → (superclass type, interfaces_off)
    classes: HashMap<u32, (u32, u32)>,
}

impl<'a> Hierarchy<'a> {
    /// Reads every class definition's superclass and interface list offset.
    pub fn new(dex: &Dex<'_>, bytes: &'a [u8], max_classes: u32) -> Self {
        let count = dex.class_count().min(max_classes);
        let mut classes = HashMap::with_capacity(count as usize);
        for def in (0..count).filter_map(|c| dex.class_def(c)) {
            classes
                .entry(def.class_idx)
                .or_insert((def.superclass_idx, def.interfaces_off));
        }
        Hierarchy { bytes, classes }
    }

    /// The interfaces listed in the `type_list` at `off` (0: none).
    fn interfaces(&self, off: u32) -> impl Iterator<Item = u32> + '_ {
        let at = off as usize;
        let size = if off == 0 {
            0
        } else {
            self.bytes
                .get(at..at.saturating_add(4))
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        (0..size as usize).map_while(move |k| {
            let item = at.checked_add(4)?.checked_add(k.checked_mul(2)?)?;
            let b = self.bytes.get(item..item.checked_add(2)?)?;
            Some(u32::from(u16::from_le_bytes([b[0], b[1]])))
        })
    }

    /// Whether class `class` is, extends or implements one of `targets`,
    /// following superclasses and interfaces defined in this file (at most
    /// [`MAX_HIERARCHY`] types).
    pub fn is_a(&self, class: u32, targets: &[u32]) -> bool {
        let mut pending = vec![class];
        let mut seen = 0;
        while let Some(t) = pending.pop() {
            if targets.contains(&t) {
                return true;
            }
            seen += 1;
            if seen > MAX_HIERARCHY {
                return false;
            }
            if let Some(&(superclass, interfaces_off)) = self.classes.get(&t) {
                pending.extend(self.interfaces(interfaces_off).take(MAX_HIERARCHY));
                if superclass != u32::MAX {
                    pending.push(superclass);
                }
            }
        }
        false
    }
}
