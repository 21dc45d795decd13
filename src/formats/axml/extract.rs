//! Hands the strings of a binary XML document to a [`StringSink`].

use super::{parse, Element, Node, XmlDocument, ANDROID_NS};
use crate::formats::{printable, FormatError, ScannedString, StringSink};

/// Symbol of pool strings that no attribute or text node uses.
const POOL_SYMBOL: &str = "string-pool";

/// Pushes every attribute string value and text node, with the element path
/// (`manifest/application/meta-data`) as symbol and, as context, the name of
/// an app-defined attribute (`app:apiKey`), the element name of a text
/// node, or for `<meta-data>` the `android:name` it declares (so
/// `com.google.android.geo.API_KEY` names its value). Framework attributes
/// give no context. Then pushes every
/// pool string not pushed yet, and when the pool could not be decoded in
/// full, the printable runs of the whole buffer.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let doc = parse(bytes)?;
    let mut walker = Walker {
        doc: &doc,
        used: vec![false; doc.strings.len()],
        sink,
    };
    for node in &doc.nodes {
        if let Node::Element(e) = node {
            walker.element(e, "");
        }
    }
    let Walker { used, sink, .. } = walker;
    for (i, s) in doc.strings.iter().enumerate() {
        if !used[i] && !s.is_empty() {
            let idx = i as u32;
            sink.push(ScannedString {
                symbol: Some(POOL_SYMBOL),
                ..at(s.as_bytes(), doc.strings.offset(idx))
            });
        }
    }
    if doc.strings.is_lossy() {
        printable::extract(bytes, sink);
    }
    Ok(())
}

/// Whether an attribute belongs to the Android framework: in its namespace,
/// or mapped to a framework resource id (`0x01xxxxxx`).
fn is_framework(a: &super::Attribute) -> bool {
    &*a.namespace == ANDROID_NS || a.resource_id.is_some_and(|id| id >> 24 == 0x01)
}

fn at(text: &[u8], offset: Option<u64>) -> ScannedString<'_> {
    ScannedString {
        text,
        offset,
        line: None,
        symbol: None,
        context: None,
    }
}

struct Walker<'d, 's> {
    doc: &'d XmlDocument,
    used: Vec<bool>,
    sink: &'s mut dyn StringSink,
}

impl Walker<'_, '_> {
    /// Pushes `e`'s strings and its subtree's (depth is bounded by the
    /// parser's nesting cap).
    fn element(&mut self, e: &Element, parent: &str) {
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
            let name = a.name();
            let context = match meta_name {
                Some(meta) if name != "name" => meta,
                // A framework attribute's name (`android:key`, `android:name`)
                // says what role the value plays in the schema, not what it
                // is: it names no secret.
                _ if is_framework(a) => "",
                _ => name,
            };
            let string = a.value.as_str().zip(string_index(&a.value));
            if let Some((text, idx)) = string {
                self.push(text, idx, &path, context);
            }
            if let (Some(raw), Some(idx)) = (&a.raw_value, a.raw_index) {
                if string.map(|(_, i)| i) != Some(idx) {
                    self.push(raw, idx, &path, context);
                }
            }
        }
        for child in &e.children {
            match child {
                Node::Element(c) => self.element(c, &path),
                Node::Text(t) => self.push(&t.text, t.index, &path, &e.name),
            }
        }
    }

    fn push(&mut self, text: &str, idx: u32, symbol: &str, context: &str) {
        if let Some(u) = self.used.get_mut(idx as usize) {
            *u = true;
        }
        if text.is_empty() {
            return;
        }
        self.sink.push(ScannedString {
            symbol: Some(symbol),
            context: (!context.is_empty()).then_some(context),
            ..at(text.as_bytes(), self.doc.strings.offset(idx))
        });
    }
}

fn string_index(v: &super::Value) -> Option<u32> {
    match v {
        super::Value::String { index, .. } => Some(*index),
        _ => None,
    }
}
