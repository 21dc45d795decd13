//! Protobuf XML (`aapt.pb.XmlNode`) read into the binary-XML tree types, so
//! checks written against APK manifests read AAB manifests unchanged.

use std::sync::Arc;

use prost::Message;

use super::messages::{self, xml_node};
use crate::formats::axml::{Attribute, Element, Node, Text, Value, XmlDocument, MAX_DEPTH};
use crate::formats::FormatError;

const FORMAT: &str = "proto-xml";

/// Largest protobuf XML file decoded. Compiled manifests and `res/xml`
/// files are kilobytes (the largest binary manifests seen are ~200 KB); the
/// cap bounds what a hostile file of tiny messages can make the decoder
/// allocate (about 65 bytes per input byte: ~135 MB at the cap).
pub const MAX_XML_LEN: usize = 2 << 20;

/// Decodes a protobuf XML document. Strings have no pool here: pool indices
/// in the tree (`name_index`, `Value::String::index`, `Text::index`) are 0
/// and [`XmlDocument::strings`] is empty. Fails on input over
/// [`MAX_XML_LEN`], on malformed protobuf (including nesting past the
/// decoder's recursion limit), and when the root is not an element.
pub fn parse_xml(bytes: &[u8]) -> Result<XmlDocument, FormatError> {
    if bytes.len() > MAX_XML_LEN {
        return Err(FormatError::new(
            FORMAT,
            format!("{} bytes exceed the {MAX_XML_LEN}-byte limit", bytes.len()),
        ));
    }
    let root =
        messages::XmlNode::decode(bytes).map_err(|e| FormatError::new(FORMAT, e.to_string()))?;
    let mut doc = XmlDocument::default();
    match convert(root, 0, &mut doc) {
        Some(node @ Node::Element(_)) => doc.nodes.push(node),
        _ => return Err(FormatError::new(FORMAT, "root node is not an element")),
    }
    Ok(doc)
}

/// Converts `node` found at nesting `depth`; children past [`MAX_DEPTH`]
/// are dropped with a warning (the decoder's own recursion limit normally
/// stops such input first).
pub(super) fn convert(
    node: messages::XmlNode,
    depth: usize,
    doc: &mut XmlDocument,
) -> Option<Node> {
    let line = node.source.map_or(0, |s| s.line_number);
    match node.node? {
        xml_node::Node::Text(text) => Some(Node::Text(Text {
            text: Arc::from(text),
            index: 0,
        })),
        xml_node::Node::Element(e) => {
            let e = *e;
            doc.namespaces.extend(
                e.namespace_declaration
                    .into_iter()
                    .map(|ns| (Arc::from(ns.prefix), Arc::from(ns.uri))),
            );
            let children = if depth >= MAX_DEPTH && !e.child.is_empty() {
                doc.warnings
                    .push(format!("nesting deeper than {MAX_DEPTH} dropped"));
                Vec::new()
            } else {
                e.child
                    .into_iter()
                    .filter_map(|c| convert(c, depth + 1, doc))
                    .collect()
            };
            Some(Node::Element(Element {
                namespace: Arc::from(e.namespace_uri),
                name: Arc::from(e.name),
                line,
                attributes: e.attribute.into_iter().map(attribute).collect(),
                children,
            }))
        }
    }
}

/// An attribute's typed value is its compiled item, else its source text as
/// a string (what aapt2 writes for attributes it does not compile).
fn attribute(a: messages::XmlAttribute) -> Attribute {
    let value = a
        .compiled_item
        .as_deref()
        .and_then(messages::Item::to_value)
        .unwrap_or_else(|| Value::String {
            index: 0,
            text: Arc::from(a.value.as_str()),
        });
    Attribute {
        namespace: Arc::from(a.namespace_uri),
        raw_name: Arc::from(a.name),
        name_index: 0,
        resource_id: (a.resource_id != 0).then_some(a.resource_id),
        raw_value: (!a.value.is_empty()).then(|| Arc::from(a.value)),
        raw_index: None,
        value,
    }
}
