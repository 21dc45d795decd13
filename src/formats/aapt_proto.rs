//! aapt2's protobuf formats, as an Android App Bundle (AAB) stores them:
//! compiled XML (`base/manifest/AndroidManifest.xml`, `base/res/xml/*.xml`)
//! is an `aapt.pb.XmlNode` message and the resource table
//! (`base/resources.pb`) an `aapt.pb.ResourceTable`.
//!
//! [`parse_xml`] reads XML into the binary-XML tree types of
//! [`crate::formats::axml`], so manifest checks read APKs and AABs alike;
//! [`parse_table`] reads the resource table into a [`ProtoTable`].
//! [`extract_xml`] and [`extract_table`] hand their strings to a sink with
//! the same symbols and contexts the binary formats use. Protobuf has no
//! magic number: these files are recognised by entry name
//! ([`crate::formats::sniff_named`]).
//!
//! Messages are decoded by `prost` from the hand-written subset of the
//! schema in [`messages`]; the decoder bounds nesting (recursion limit 100),
//! and input sizes are capped before decoding.

mod extract;
pub mod messages;
mod table;
mod xml;

pub use extract::{extract_table, extract_xml};
pub use table::{items, parse_table, qualifier, simple_item, EntryRef, ProtoTable, MAX_TABLE_LEN};
pub use xml::{parse_xml, MAX_XML_LEN};

#[cfg(test)]
mod tests;
