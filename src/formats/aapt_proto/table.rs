//! The protobuf resource table (`resources.pb`, an `aapt.pb.ResourceTable`)
//! of an AAB module, and lookups by resource id.

use prost::Message;

use super::messages::{self, compound_value, value, ConfigValue, Configuration, Item};
use crate::formats::FormatError;

const FORMAT: &str = "proto-table";

/// Largest `resources.pb` decoded. Apps' tables are a few megabytes; the
/// cap bounds what a hostile file of tiny messages can make the decoder
/// allocate (about 30 bytes per input byte: ~500 MB at the cap).
pub const MAX_TABLE_LEN: usize = 16 << 20;

/// A decoded protobuf resource table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProtoTable {
    /// The decoded message.
    pub table: messages::ResourceTable,
}

/// One entry of the table with the names around it.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'t> {
    /// `0xPPTTEEEE`, when the package, type and entry ids are all present
    /// and in range.
    pub id: Option<u32>,
    /// Type name (`string`, `xml`).
    pub type_name: &'t str,
    pub entry: &'t messages::Entry,
}

/// Decodes a resource table. Fails on input over [`MAX_TABLE_LEN`] and on
/// malformed protobuf.
pub fn parse_table(bytes: &[u8]) -> Result<ProtoTable, FormatError> {
    if bytes.len() > MAX_TABLE_LEN {
        return Err(FormatError::new(
            FORMAT,
            format!(
                "{} bytes exceed the {MAX_TABLE_LEN}-byte limit",
                bytes.len()
            ),
        ));
    }
    let table = messages::ResourceTable::decode(bytes)
        .map_err(|e| FormatError::new(FORMAT, e.to_string()))?;
    Ok(ProtoTable { table })
}

/// `0xPPTTEEEE` from its parts, if each is in range.
fn resource_id(
    pkg: Option<&messages::Id>,
    ty: Option<&messages::Id>,
    entry: Option<&messages::Id>,
) -> Option<u32> {
    let (p, t, e) = (pkg?.id, ty?.id, entry?.id);
    (p <= 0xff && (1..=0xff).contains(&t) && e <= 0xffff).then_some((p << 24) | (t << 16) | e)
}

impl ProtoTable {
    /// Every entry in table order.
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> {
        self.table.package.iter().flat_map(|p| {
            p.r#type.iter().flat_map(move |t| {
                t.entry.iter().map(move |e| EntryRef {
                    id: resource_id(
                        p.package_id.as_ref(),
                        t.type_id.as_ref(),
                        e.entry_id.as_ref(),
                    ),
                    type_name: &t.name,
                    entry: e,
                })
            })
        })
    }

    /// The entry with resource id `res_id`.
    pub fn entry(&self, res_id: u32) -> Option<EntryRef<'_>> {
        self.entries().find(|e| e.id == Some(res_id))
    }

    /// The default-configuration string of `res_id` (else the first
    /// configuration's).
    pub fn resolve_string(&self, res_id: u32) -> Option<&str> {
        let entry = self.entry(res_id)?.entry;
        let values = &entry.config_value;
        values
            .iter()
            .filter(|cv| qualifier(cv.config.as_deref()).is_empty())
            .chain(values.iter())
            .find_map(|cv| simple_item(cv).and_then(Item::as_text))
    }

    /// The id of `@type_name/key` in any package.
    pub fn id_of(&self, type_name: &str, key: &str) -> Option<u32> {
        self.entries()
            .find(|e| e.type_name == type_name && e.entry.name == key)?
            .id
    }
}

/// The item of a simple (non-bag) value.
pub fn simple_item(cv: &ConfigValue) -> Option<&Item> {
    match cv.value.as_ref()?.kind.as_ref()? {
        value::Kind::Item(item) => Some(item),
        value::Kind::Compound(_) => None,
    }
}

/// Every item of a value: the one of a simple value, the items of a style,
/// array or plural.
pub fn items(cv: &ConfigValue) -> Vec<&Item> {
    let Some(kind) = cv.value.as_ref().and_then(|v| v.kind.as_ref()) else {
        return Vec::new();
    };
    match kind {
        value::Kind::Item(item) => vec![&**item],
        value::Kind::Compound(c) => match c.kind.as_ref() {
            Some(compound_value::Kind::Style(s)) => {
                s.entry.iter().filter_map(|e| e.item.as_deref()).collect()
            }
            Some(compound_value::Kind::Plural(p)) => {
                p.entry.iter().filter_map(|e| e.item.as_deref()).collect()
            }
            Some(compound_value::Kind::Array(a)) => {
                a.element.iter().filter_map(|e| e.item.as_deref()).collect()
            }
            None => Vec::new(),
        },
    }
}

/// The resource-directory qualifier of a configuration (`fr-night-v21`);
/// empty for the default configuration. Only the qualifiers
/// [`Configuration`] declares are named.
pub fn qualifier(config: Option<&Configuration>) -> String {
    let Some(c) = config else {
        return String::new();
    };
    let mut parts: Vec<String> = Vec::new();
    if c.mcc != 0 {
        parts.push(format!("mcc{}", c.mcc));
    }
    if c.mnc != 0 {
        parts.push(format!("mnc{}", c.mnc));
    }
    if !c.locale.is_empty() {
        parts.push(c.locale.clone());
    }
    if c.smallest_screen_width_dp != 0 {
        parts.push(format!("sw{}dp", c.smallest_screen_width_dp));
    }
    let named = |v: i32, names: &[&str]| {
        usize::try_from(v)
            .ok()
            .and_then(|i| names.get(i))
            .map(|s| s.to_string())
    };
    parts.extend(named(c.orientation, &["", "port", "land", "square"]));
    parts.extend(named(c.ui_mode_night, &["", "night", "notnight"]));
    parts.extend(crate::formats::arsc::density_qualifier(c.density));
    if c.sdk_version != 0 {
        parts.push(format!("v{}", c.sdk_version));
    }
    parts.retain(|p| !p.is_empty());
    parts.join("-")
}
