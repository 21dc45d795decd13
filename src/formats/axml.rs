//! Android binary XML (AXML): the compiled `AndroidManifest.xml` and
//! `res/xml/*.xml` files of an APK.
//!
//! [`parse`] reads the chunk stream into an [`XmlDocument`] tree: elements
//! with namespace and name, attributes with namespace, name, resource id and
//! typed [`Value`], and text nodes. It follows what Android itself reads
//! (header sizes locate each node's body, attributes are matched by resource
//! id) and tolerates what packers do to break other tools: wrong chunk and
//! header sizes, unknown chunks, bad string offsets, absurd counts, deep
//! nesting. Each repair is recorded in [`XmlDocument::warnings`].
//!
//! [`extract`] hands every attribute string and text node to a sink, named
//! by element path and attribute (or `<meta-data android:name>`), then every
//! other pool string.

mod attrs;
pub(crate) mod chunk;
mod extract;
pub mod pool;
mod tree;
pub mod value;

use std::sync::Arc;

pub use attrs::{android_attr_id, android_attr_name};
pub use extract::extract;
pub use pool::StringPool;
pub use tree::parse;
pub use value::Value;

/// The `android:` namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// Deepest element nesting kept as a tree; deeper elements are attached to
/// the element at this depth.
pub const MAX_DEPTH: usize = 256;

/// A parsed binary XML document.
#[derive(Debug, Clone, Default)]
pub struct XmlDocument {
    /// Top-level nodes: normally one element.
    pub nodes: Vec<Node>,
    /// Every `xmlns:prefix="uri"` declaration, in document order.
    pub namespaces: Vec<(Arc<str>, Arc<str>)>,
    /// The string pool.
    pub strings: StringPool,
    /// The resource map: resource id of each leading pool string.
    pub resource_ids: Vec<u32>,
    /// What was malformed and how it was read anyway.
    pub warnings: Vec<String>,
}

impl XmlDocument {
    /// The first top-level element.
    pub fn root(&self) -> Option<&Element> {
        self.nodes.iter().find_map(Node::as_element)
    }
}

/// An element or a text node.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(Text),
}

impl Node {
    /// The element, if this node is one.
    pub fn as_element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }
}

/// A text node (CDATA chunk).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: Arc<str>,
    /// Pool index of the text.
    pub index: u32,
}

/// An element with its attributes and children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Namespace URI; empty for none.
    pub namespace: Arc<str>,
    pub name: Arc<str>,
    /// Line number in the source XML that was compiled.
    pub line: u32,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

impl Element {
    /// The attribute `ns:name`. For [`ANDROID_NS`] names in the id table the
    /// attribute is found by resource id, as Android does, whatever its name
    /// and namespace strings say; otherwise by namespace and name.
    pub fn attr(&self, ns: &str, name: &str) -> Option<&Attribute> {
        let id = if ns == ANDROID_NS {
            android_attr_id(name)
        } else {
            None
        };
        id.and_then(|id| self.attributes.iter().find(|a| a.resource_id == Some(id)))
            .or_else(|| {
                self.attributes
                    .iter()
                    .find(|a| &*a.namespace == ns && &*a.raw_name == name)
            })
    }

    /// The string value of attribute `ns:name`: its typed string, else its
    /// raw string.
    pub fn attr_str(&self, ns: &str, name: &str) -> Option<&str> {
        let a = self.attr(ns, name)?;
        a.value.as_str().or(a.raw_value.as_deref())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(Node::as_element)
    }

    /// Child elements named `name`.
    pub fn elements_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| &*e.name == name)
    }

    /// The concatenated text of the direct text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(&*t.text),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// One attribute of an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Namespace URI string; empty for none.
    pub namespace: Arc<str>,
    /// The name string as stored (packers empty or scramble it).
    pub raw_name: Arc<str>,
    /// Pool index of the name string.
    pub name_index: u32,
    /// Resource id from the resource map, if the name string has one.
    pub resource_id: Option<u32>,
    /// The raw (source) string value, if stored.
    pub raw_value: Option<Arc<str>>,
    /// Pool index of the raw value.
    pub raw_index: Option<u32>,
    /// The typed value.
    pub value: Value,
}

impl Attribute {
    /// The attribute's name: the framework name for a known resource id
    /// (what Android goes by), else the stored name.
    pub fn name(&self) -> &str {
        self.resource_id
            .and_then(android_attr_name)
            .unwrap_or(&self.raw_name)
    }
}

#[cfg(test)]
pub(crate) mod tests;
