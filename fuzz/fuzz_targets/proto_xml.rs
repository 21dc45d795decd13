//! AAB protobuf formats: XML (`XmlNode`) and resource table
//! (`ResourceTable`), parsed and extracted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{aapt_proto, ScannedString};

fuzz_target!(|data: &[u8]| {
    let mut n = 0usize;
    if let Ok(doc) = aapt_proto::parse_xml(data) {
        let _ = doc.root().map(|r| r.attr_str("", "package"));
    }
    let _ = aapt_proto::extract_xml(data, &mut |_: ScannedString<'_>| n += 1);
    if let Ok(table) = aapt_proto::parse_table(data) {
        for e in table.entries().take(64) {
            if let Some(id) = e.id {
                let _ = table.resolve_string(id);
            }
        }
    }
    let _ = aapt_proto::extract_table(data, &mut |_: ScannedString<'_>| n += 1);
});
