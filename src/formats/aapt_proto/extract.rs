//! Hands the strings of protobuf XML and resource tables to a
//! [`StringSink`], named as the binary formats name them. Protobuf strings
//! are copied out by the decoder, so they carry no byte offset.

use super::table::{items, parse_table, qualifier};
use super::xml::parse_xml;
use crate::formats::axml::{Attribute, Element, Node, ANDROID_NS};
use crate::formats::{FormatError, ScannedString, StringSink};

/// Pushes every attribute string and text node of a protobuf XML document,
/// with the element path (`manifest/application/meta-data`) as symbol and,
/// as context, the name of an app-defined attribute, the element name of a
/// text node, or for `<meta-data>` the `android:name` it declares, exactly
/// as [`crate::formats::axml::extract`] does for binary XML.
pub fn extract_xml(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let doc = parse_xml(bytes)?;
    for node in &doc.nodes {
        if let Node::Element(e) = node {
            element(e, "", sink);
        }
    }
    Ok(())
}

/// Whether an attribute belongs to the Android framework.
fn is_framework(a: &Attribute) -> bool {
    &*a.namespace == ANDROID_NS || a.resource_id.is_some_and(|id| id >> 24 == 0x01)
}

/// Pushes `e`'s strings and its subtree's (depth is bounded by the parser).
fn element(e: &Element, parent: &str, sink: &mut dyn StringSink) {
    let path = if parent.is_empty() {
        e.name.to_string()
    } else {
        format!("{parent}/{}", e.name)
    };
    let meta_name = if &*e.name == "meta-data" {
        e.attr_str(ANDROID_NS, "name").filter(|n| !n.is_empty())
    } else {
        None
    };
    for a in &e.attributes {
        let Some(text) = a.value.as_str() else {
            continue;
        };
        let name = a.name();
        let context = match meta_name {
            Some(meta) if name != "name" => meta,
            // A framework attribute's name says what role the value plays
            // in the schema, not what it is.
            _ if is_framework(a) => "",
            _ => name,
        };
        push(sink, text, &path, context);
    }
    for child in &e.children {
        match child {
            Node::Element(c) => element(c, &path, sink),
            Node::Text(t) => push(sink, &t.text, &path, &e.name),
        }
    }
}

fn push(sink: &mut dyn StringSink, text: &str, symbol: &str, context: &str) {
    if text.is_empty() {
        return;
    }
    sink.push(ScannedString {
        text: text.as_bytes(),
        offset: None,
        line: None,
        symbol: Some(symbol),
        context: (!context.is_empty()).then_some(context),
    });
}

/// Pushes every string value of a resource table (simple values and the
/// items of styles, arrays and plurals) with symbol `@type/key`, followed by
/// ` (qualifier)` outside the default configuration, and the key as context
/// unless the value is a file path (`res/xml/config.xml`), whose key names
/// the file rather than the value.
pub fn extract_table(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let table = parse_table(bytes)?;
    for e in table.entries() {
        let key = e.entry.name.as_str();
        for cv in &e.entry.config_value {
            let q = qualifier(cv.config.as_deref());
            let symbol = if q.is_empty() {
                format!("@{}/{key}", e.type_name)
            } else {
                format!("@{}/{key} ({q})", e.type_name)
            };
            for item in items(cv) {
                let (text, context) = match (item.as_text(), item.as_file()) {
                    (Some(t), _) if !t.starts_with("res/") => (t, key),
                    (Some(t), _) | (None, Some(t)) => (t, ""),
                    (None, None) => continue,
                };
                push(sink, text, &symbol, context);
            }
        }
    }
    Ok(())
}
