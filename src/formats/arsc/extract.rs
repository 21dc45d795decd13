//! Hands the string values of a resource table to a [`StringSink`].

use super::{parse, ResourceTable};
use crate::formats::axml::Value;
use crate::formats::{printable, FormatError, ScannedString, StringSink};

/// Symbol of global pool strings that no entry uses.
const POOL_SYMBOL: &str = "string-pool";

/// Pushes every string value (simple entries and bag items) with symbol
/// `@type/key`, followed by ` (qualifier)` outside the default
/// configuration, and the key as context; then every global pool string no
/// entry used; and when that pool could not be decoded in full, the
/// printable runs of the whole buffer.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let table = parse(bytes)?;
    let mut used = vec![false; table.strings.len()];
    push_values(&table, &mut used, sink);
    for (i, s) in table.strings.iter().enumerate() {
        if !used[i] && !s.is_empty() {
            sink.push(ScannedString {
                text: s.as_bytes(),
                offset: table.strings.offset(i as u32),
                line: None,
                symbol: Some(POOL_SYMBOL),
                context: None,
            });
        }
    }
    if table.strings.is_lossy() {
        printable::extract(bytes, sink);
    }
    Ok(())
}

/// Resource types whose entries name a file in the APK (`res/drawable/x.xml`)
/// rather than hold a value.
const FILE_TYPES: &[&str] = &[
    "anim",
    "animator",
    "drawable",
    "font",
    "interpolator",
    "layout",
    "menu",
    "mipmap",
    "navigation",
    "raw",
    "transition",
    "xml",
];

/// Whether a string entry is the path of a file resource: its key then names
/// the file (`avd_hide_password`), not what the string is, so it is no
/// context for detectors.
fn is_file_reference(type_name: &str, text: &str) -> bool {
    FILE_TYPES.contains(&type_name) || text.starts_with("res/")
}

fn push_values(table: &ResourceTable, used: &mut [bool], sink: &mut dyn StringSink) {
    for p in &table.packages {
        for t in &p.types {
            let type_name = p
                .type_name(t.id)
                .map_or_else(|| format!("0x{:02x}", t.id), str::to_string);
            let qualifier = t.config.qualifier();
            for e in &t.entries {
                let key = p.key_names.get(e.key).map_or("", |k| &**k);
                let mut symbol = None;
                for v in e.value.values() {
                    let Value::String { index, text } = v else {
                        continue;
                    };
                    if let Some(u) = used.get_mut(*index as usize) {
                        *u = true;
                    }
                    if text.is_empty() {
                        continue;
                    }
                    let symbol = symbol.get_or_insert_with(|| {
                        if qualifier.is_empty() {
                            format!("@{type_name}/{key}")
                        } else {
                            format!("@{type_name}/{key} ({qualifier})")
                        }
                    });
                    sink.push(ScannedString {
                        text: text.as_bytes(),
                        offset: table.strings.offset(*index),
                        line: None,
                        symbol: Some(symbol),
                        context: (!key.is_empty() && !is_file_reference(&type_name, text))
                            .then_some(key),
                    });
                }
            }
        }
    }
}
