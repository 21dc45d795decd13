//! Reads the AXML chunk stream into an [`XmlDocument`] tree.
//!
//! Like Android's `ResXMLTree`, string pools and the resource map are taken
//! from the chunks before the first node (the last pool wins), and each
//! node's body is found at its chunk's header size. Unknown chunks are
//! skipped; a chunk whose size cannot be trusted ends the walk.

use std::sync::Arc;

use super::chunk::{self, u16_at, u32_at, u8_at, warn, Chunk};
use super::pool::{self, StringPool};
use super::value::Value;
use super::{Attribute, Element, Node, Text, XmlDocument, MAX_DEPTH};
use crate::formats::FormatError;

const FORMAT: &str = "axml";
const NO_INDEX: u32 = 0xffff_ffff;
/// Size of `ResXMLTree_node`.
const NODE_HEADER_LEN: usize = 16;
/// Size of `ResXMLTree_attribute`.
const ATTR_LEN: usize = 20;

/// Parses binary XML. Fails only when the buffer holds no chunk or no
/// string pool; everything else is repaired and recorded as a warning.
pub fn parse(bytes: &[u8]) -> Result<XmlDocument, FormatError> {
    let mut doc = XmlDocument::default();
    let w = &mut doc.warnings;
    let head = chunk::read(bytes, 0, bytes.len(), w)
        .ok_or_else(|| FormatError::new(FORMAT, "no chunk header"))?;
    if head.kind != chunk::RES_XML_TYPE {
        warn(w, format!("document chunk type 0x{:04x}", head.kind));
    }
    if head.end < bytes.len() {
        warn(w, "data after the document chunk ignored");
    }

    let mut builder = Builder::default();
    let mut pool: Option<StringPool> = None;
    let mut ids: Vec<u32> = Vec::new();
    let mut in_body = false;
    let mut pos = head.header_end;
    while let Some(c) = chunk::read(bytes, pos, head.end, w) {
        pos = c.end;
        match c.kind {
            chunk::RES_STRING_POOL_TYPE if !in_body => {
                if pool.is_some() {
                    warn(w, "second string pool replaces the first");
                }
                pool = Some(pool::parse(bytes, c, w));
            }
            chunk::RES_XML_RESOURCE_MAP_TYPE if !in_body => {
                let body = bytes.get(c.header_end..c.end).unwrap_or_default();
                ids = body
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
            }
            chunk::RES_XML_START_NAMESPACE_TYPE..=chunk::RES_XML_CDATA_TYPE => {
                in_body = true;
                let strings = pool.get_or_insert_with(StringPool::default);
                let ctx = Ctx {
                    bytes,
                    strings,
                    ids: &ids,
                };
                ctx.node(c, &mut builder, &mut doc.namespaces, w);
            }
            kind => warn(w, format!("chunk 0x{kind:04x} at {} skipped", c.start)),
        }
    }
    if pos < head.end {
        warn(w, format!("stopped at byte {pos} of {}", head.end));
    }
    let strings = pool.ok_or_else(|| FormatError::new(FORMAT, "no string pool"))?;
    doc.nodes = builder.finish(w);
    doc.strings = strings;
    doc.resource_ids = ids;
    Ok(doc)
}

/// What node decoding needs to look up.
struct Ctx<'a> {
    bytes: &'a [u8],
    strings: &'a StringPool,
    ids: &'a [u32],
}

impl Ctx<'_> {
    fn string(&self, idx: u32) -> Arc<str> {
        self.strings
            .get(idx)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    fn optional_string(&self, idx: u32) -> Option<Arc<str>> {
        (idx != NO_INDEX).then(|| self.string(idx))
    }

    fn node(
        &self,
        c: Chunk,
        builder: &mut Builder,
        namespaces: &mut Vec<(Arc<str>, Arc<str>)>,
        w: &mut Vec<String>,
    ) {
        let b = self.bytes;
        // Android reads line and comment from a 16-byte node header and the
        // body at headerSize; a shorter header cannot hold the line.
        if c.header_size() < NODE_HEADER_LEN {
            warn(
                w,
                format!("node at {}: header size {}", c.start, c.header_size()),
            );
        }
        let line = u32_at(b, c.start + 8).unwrap_or(0);
        let ext = c.header_end.max(c.start + NODE_HEADER_LEN);
        let field = |off: usize| {
            if ext + off + 4 <= c.end {
                u32_at(b, ext + off)
            } else {
                None
            }
        };
        match c.kind {
            chunk::RES_XML_START_NAMESPACE_TYPE => {
                if let (Some(prefix), Some(uri)) = (field(0), field(4)) {
                    namespaces.push((self.string(prefix), self.string(uri)));
                }
            }
            chunk::RES_XML_END_NAMESPACE_TYPE => {}
            chunk::RES_XML_START_ELEMENT_TYPE => match self.element(c, ext, line, w) {
                Some(e) => builder.start(e),
                None => warn(w, format!("element at {} too short; skipped", c.start)),
            },
            chunk::RES_XML_END_ELEMENT_TYPE => builder.end(w),
            _ => match field(0) {
                Some(idx) => builder.text(Text {
                    text: self.string(idx),
                    index: idx,
                }),
                None => warn(w, format!("text at {} too short; skipped", c.start)),
            },
        }
    }

    /// Reads a start-element node whose `ResXMLTree_attrExt` begins at `ext`.
    fn element(&self, c: Chunk, ext: usize, line: u32, w: &mut Vec<String>) -> Option<Element> {
        let b = self.bytes.get(..c.end)?;
        let ns = u32_at(b, ext)?;
        let name = u32_at(b, ext + 4)?;
        let attr_start = usize::from(u16_at(b, ext + 8)?);
        let declared_stride = usize::from(u16_at(b, ext + 10)?);
        let declared = usize::from(u16_at(b, ext + 12)?);
        let stride = if declared_stride < ATTR_LEN {
            warn(
                w,
                format!("element at {}: attribute size {declared_stride}", c.start),
            );
            ATTR_LEN
        } else {
            declared_stride
        };
        let first = ext + attr_start;
        let room = c.end.saturating_sub(first);
        // The last attribute needs ATTR_LEN bytes, not a whole stride.
        let fit = if room < ATTR_LEN {
            0
        } else {
            (room - ATTR_LEN) / stride + 1
        };
        let count = declared.min(fit);
        if count < declared {
            warn(
                w,
                format!(
                    "element at {}: {declared} attributes declared, {count} fit",
                    c.start
                ),
            );
        }
        let attributes = (0..count)
            .filter_map(|i| self.attribute(b, first + i * stride))
            .collect();
        Some(Element {
            namespace: self.optional_string(ns).unwrap_or_else(|| Arc::from("")),
            name: self.string(name),
            line,
            attributes,
            children: Vec::new(),
        })
    }

    fn attribute(&self, b: &[u8], at: usize) -> Option<Attribute> {
        let ns = u32_at(b, at)?;
        let name = u32_at(b, at + 4)?;
        let raw = u32_at(b, at + 8)?;
        let data_type = u8_at(b, at + 15)?;
        let data = u32_at(b, at + 16)?;
        Some(Attribute {
            namespace: self.optional_string(ns).unwrap_or_else(|| Arc::from("")),
            raw_name: self.string(name),
            name_index: name,
            resource_id: usize::try_from(name)
                .ok()
                .and_then(|i| self.ids.get(i).copied()),
            raw_value: self.optional_string(raw),
            raw_index: (raw != NO_INDEX).then_some(raw),
            value: Value::decode(data_type, data, self.strings),
        })
    }
}

/// Builds the tree from start/end/text events with an explicit stack, so
/// neither hostile nesting nor unbalanced tags can recurse or panic.
#[derive(Default)]
struct Builder {
    top: Vec<Node>,
    stack: Vec<Element>,
    /// Open elements past [`MAX_DEPTH`], flattened into the deepest one.
    overflow: usize,
    flattened: bool,
}

impl Builder {
    fn start(&mut self, e: Element) {
        if self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            self.flattened = true;
            self.attach(Node::Element(e));
        } else {
            self.stack.push(e);
        }
    }

    fn end(&mut self, w: &mut Vec<String>) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else if let Some(e) = self.stack.pop() {
            self.attach(Node::Element(e));
        } else {
            warn(w, "end tag without a start tag");
        }
    }

    fn text(&mut self, t: Text) {
        self.attach(Node::Text(t));
    }

    fn attach(&mut self, n: Node) {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(n),
            None => self.top.push(n),
        }
    }

    fn finish(mut self, w: &mut Vec<String>) -> Vec<Node> {
        if !self.stack.is_empty() {
            warn(w, format!("{} elements left open", self.stack.len()));
        }
        while let Some(e) = self.stack.pop() {
            self.attach(Node::Element(e));
        }
        if self.flattened {
            warn(w, format!("nesting deeper than {MAX_DEPTH} flattened"));
        }
        self.top
    }
}
