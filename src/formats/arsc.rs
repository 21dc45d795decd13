//! Android compiled resource table (`resources.arsc`).
//!
//! [`parse`] reads the global string pool and every package: its type and
//! key name pools, type specs, and type chunks per configuration with their
//! entries (dense 32-bit, 16-bit and sparse offset tables; full, complex and
//! compact entries). Library, overlayable and staged-alias chunks are
//! skipped. Like the binary XML parser it repairs what it can and records
//! each repair in [`ResourceTable::warnings`].
//!
//! [`extract`] hands every string value to a sink named `@type/key`, with
//! the key as context, so rules that look at a resource's name fire on its
//! value.

mod config;
pub(crate) use config::density_qualifier;
mod entries;
mod extract;
mod package;

use super::axml::chunk::{self, warn};
use super::axml::{pool, StringPool, Value};
use super::FormatError;

pub use config::Config;
pub use extract::extract;

const FORMAT: &str = "arsc";

/// A parsed resource table.
#[derive(Debug, Clone, Default)]
pub struct ResourceTable {
    /// The global string pool: string values of every package.
    pub strings: StringPool,
    pub packages: Vec<Package>,
    /// What was malformed and how it was read anyway.
    pub warnings: Vec<String>,
}

/// One package (`0x7f` for an app's own resources).
#[derive(Debug, Clone, Default)]
pub struct Package {
    pub id: u32,
    pub name: String,
    /// Type names (`string`, `xml`), indexed by type id - 1.
    pub type_names: StringPool,
    /// Entry names (`app_name`).
    pub key_names: StringPool,
    pub specs: Vec<TypeSpec>,
    pub types: Vec<TypeChunk>,
}

impl Package {
    /// The name of type `id`.
    pub fn type_name(&self, id: u8) -> Option<&str> {
        let idx = u32::from(id).checked_sub(1)?;
        self.type_names.get(idx).map(|s| &**s)
    }
}

/// A type spec chunk: configuration-change flags of each entry of a type.
#[derive(Debug, Clone, Default)]
pub struct TypeSpec {
    pub id: u8,
    pub flags: Vec<u32>,
}

/// The entries of one type under one configuration.
#[derive(Debug, Clone, Default)]
pub struct TypeChunk {
    pub id: u8,
    pub config: Config,
    /// Present entries, sorted by index.
    pub entries: Vec<Entry>,
}

/// One resource value under one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Entry index: the low 16 bits of the resource id.
    pub index: u16,
    /// Index of the entry's name in the package's key pool.
    pub key: u32,
    /// `ResTable_entry` flags.
    pub flags: u16,
    pub value: EntryValue,
}

/// A simple value or a bag (style, array, plurals, attribute).
#[derive(Debug, Clone, PartialEq)]
pub enum EntryValue {
    Simple(Value),
    Complex {
        /// Parent bag's resource id, 0 for none.
        parent: u32,
        /// `(name, value)` items: for arrays the names are indices, for
        /// plurals the quantity ids, for styles attribute ids.
        items: Vec<(u32, Value)>,
    },
}

impl EntryValue {
    /// Every value held: the one of a simple entry, the items of a bag.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        let (simple, items) = match self {
            EntryValue::Simple(v) => (Some(v), &[][..]),
            EntryValue::Complex { items, .. } => (None, &items[..]),
        };
        simple.into_iter().chain(items.iter().map(|(_, v)| v))
    }
}

/// Splits a resource id into package, type and entry.
fn split_id(res_id: u32) -> (u32, u8, u16) {
    (res_id >> 24, (res_id >> 16) as u8, res_id as u16)
}

impl ResourceTable {
    /// Every configuration's entry for `res_id`.
    pub fn resolve(&self, res_id: u32) -> Vec<(&Config, &Entry)> {
        let (pkg, ty, idx) = split_id(res_id);
        let mut out = Vec::new();
        for p in self.packages.iter().filter(|p| p.id == pkg) {
            for t in p.types.iter().filter(|t| t.id == ty) {
                if let Ok(i) = t.entries.binary_search_by_key(&idx, |e| e.index) {
                    out.extend(t.entries.get(i).map(|e| (&t.config, e)));
                }
            }
        }
        out
    }

    /// The default-configuration string of `res_id` (else the first
    /// configuration's).
    pub fn resolve_string(&self, res_id: u32) -> Option<&str> {
        let found = self.resolve(res_id);
        found
            .iter()
            .filter(|(c, _)| c.is_default())
            .chain(found.iter())
            .find_map(|&(_, e)| match &e.value {
                EntryValue::Simple(v) => v.as_str(),
                EntryValue::Complex { .. } => None,
            })
    }

    /// The type and key names of `res_id`, e.g. `("xml", "network_security_config")`.
    pub fn name(&self, res_id: u32) -> Option<(&str, &str)> {
        let (pkg, ty, _) = split_id(res_id);
        let (_, entry) = *self.resolve(res_id).first()?;
        let p = self.packages.iter().find(|p| {
            p.id == pkg
                && p.types
                    .iter()
                    .any(|t| t.id == ty && t.entries.contains(entry))
        })?;
        Some((p.type_name(ty)?, p.key_names.get(entry.key)?))
    }

    /// The resource id of `@type/key` in any package.
    pub fn id_of(&self, type_name: &str, key: &str) -> Option<u32> {
        self.packages.iter().find_map(|p| {
            let ty = (0..p.type_names.len()).find(|&i| {
                p.type_names
                    .get(i as u32)
                    .is_some_and(|s| &**s == type_name)
            })?;
            let ty = u8::try_from(ty + 1).ok()?;
            p.types.iter().filter(|t| t.id == ty).find_map(|t| {
                let e = t
                    .entries
                    .iter()
                    .find(|e| p.key_names.get(e.key).is_some_and(|k| &**k == key))?;
                Some((p.id << 24) | (u32::from(ty) << 16) | u32::from(e.index))
            })
        })
    }
}

/// Parses a resource table. Fails only when the buffer holds no chunk.
pub fn parse(bytes: &[u8]) -> Result<ResourceTable, FormatError> {
    let mut table = ResourceTable::default();
    let w = &mut table.warnings;
    let head = chunk::read(bytes, 0, bytes.len(), w)
        .ok_or_else(|| FormatError::new(FORMAT, "no chunk header"))?;
    if head.kind != chunk::RES_TABLE_TYPE {
        warn(w, format!("table chunk type 0x{:04x}", head.kind));
    }
    let mut strings = None;
    let mut pos = head.header_end;
    while let Some(c) = chunk::read(bytes, pos, head.end, w) {
        pos = c.end;
        match c.kind {
            chunk::RES_STRING_POOL_TYPE if strings.is_none() => {
                strings = Some(pool::parse(bytes, c, w));
            }
            chunk::RES_TABLE_PACKAGE_TYPE => {
                let global = strings.get_or_insert_with(StringPool::default);
                let p = package::parse(bytes, c, global, w);
                table.packages.push(p);
            }
            kind => warn(w, format!("chunk 0x{kind:04x} at {} skipped", c.start)),
        }
    }
    if pos < head.end {
        warn(w, format!("stopped at byte {pos} of {}", head.end));
    }
    table.strings = strings.unwrap_or_default();
    Ok(table)
}

#[cfg(test)]
mod tests;
