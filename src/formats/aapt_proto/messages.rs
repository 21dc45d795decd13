//! The subset of aapt2's protobuf schema (`Resources.proto`,
//! `Configuration.proto`, package `aapt.pb`) that mastiff reads, declared by
//! hand. Field numbers follow the schema; fields not declared here are
//! skipped by the decoder. Sub-messages that are large or that repeat are
//! boxed, so that a hostile file of many tiny (2-byte) messages cannot make
//! the decoder allocate much more than a few dozen bytes per input byte.

use std::sync::Arc;

use crate::formats::axml::Value as ResValue;

/// `XmlNode`: an element or a text node.
#[derive(Clone, PartialEq, prost::Message)]
pub struct XmlNode {
    #[prost(oneof = "xml_node::Node", tags = "1, 2")]
    pub node: Option<xml_node::Node>,
    #[prost(message, optional, boxed, tag = "3")]
    pub source: Option<Box<SourcePosition>>,
}

/// The `node` oneof of [`XmlNode`].
pub mod xml_node {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Node {
        #[prost(message, boxed, tag = "1")]
        Element(Box<super::XmlElement>),
        #[prost(string, tag = "2")]
        Text(String),
    }
}

/// `XmlElement`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct XmlElement {
    #[prost(message, repeated, tag = "1")]
    pub namespace_declaration: Vec<XmlNamespace>,
    #[prost(string, tag = "2")]
    pub namespace_uri: String,
    #[prost(string, tag = "3")]
    pub name: String,
    #[prost(message, repeated, tag = "4")]
    pub attribute: Vec<XmlAttribute>,
    #[prost(message, repeated, tag = "5")]
    pub child: Vec<XmlNode>,
}

/// `XmlNamespace`: an `xmlns:prefix="uri"` declaration.
#[derive(Clone, PartialEq, prost::Message)]
pub struct XmlNamespace {
    #[prost(string, tag = "1")]
    pub prefix: String,
    #[prost(string, tag = "2")]
    pub uri: String,
}

/// `XmlAttribute`: the source text and, when aapt2 compiled it, the typed
/// value.
#[derive(Clone, PartialEq, prost::Message)]
pub struct XmlAttribute {
    #[prost(string, tag = "1")]
    pub namespace_uri: String,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(string, tag = "3")]
    pub value: String,
    #[prost(uint32, tag = "5")]
    pub resource_id: u32,
    #[prost(message, optional, boxed, tag = "6")]
    pub compiled_item: Option<Box<Item>>,
}

/// `SourcePosition`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SourcePosition {
    #[prost(uint32, tag = "1")]
    pub line_number: u32,
}

/// `Item`: a simple value.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Item {
    #[prost(oneof = "item::Value", tags = "1, 2, 3, 4, 5, 6, 7")]
    pub value: Option<item::Value>,
}

/// The `value` oneof of [`Item`].
pub mod item {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Value {
        #[prost(message, tag = "1")]
        Ref(super::Reference),
        #[prost(message, tag = "2")]
        Str(super::Text),
        #[prost(message, tag = "3")]
        RawStr(super::Text),
        #[prost(message, tag = "4")]
        StyledStr(super::Text),
        #[prost(message, tag = "5")]
        File(super::FileReference),
        #[prost(message, tag = "6")]
        Id(super::Empty),
        #[prost(message, boxed, tag = "7")]
        Prim(Box<super::Primitive>),
    }
}

/// `Reference`: `@type/name` (type 0) or `?attr` (type 1).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Reference {
    #[prost(int32, tag = "1")]
    pub r#type: i32,
    #[prost(uint32, tag = "2")]
    pub id: u32,
    #[prost(string, tag = "3")]
    pub name: String,
}

/// `Reference.Type.ATTRIBUTE`.
pub const REFERENCE_ATTRIBUTE: i32 = 1;

/// `String`, `RawString` and `StyledString` (whose spans are not read):
/// each holds its text in field 1.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Text {
    #[prost(string, tag = "1")]
    pub value: String,
}

/// A message whose content is not read (`Id`, `Primitive.NullType`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

/// `FileReference`: a file in the module (`res/xml/config.xml`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct FileReference {
    #[prost(string, tag = "1")]
    pub path: String,
    #[prost(int32, tag = "2")]
    pub r#type: i32,
}

/// `Primitive`: numbers, booleans, colours, null.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Primitive {
    #[prost(
        oneof = "primitive::Value",
        tags = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14"
    )]
    pub value: Option<primitive::Value>,
}

/// The `oneof_value` of [`Primitive`].
pub mod primitive {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Value {
        #[prost(message, tag = "1")]
        Null(super::Empty),
        #[prost(message, tag = "2")]
        Empty(super::Empty),
        #[prost(float, tag = "3")]
        Float(f32),
        #[prost(float, tag = "4")]
        DimensionDeprecated(f32),
        #[prost(float, tag = "5")]
        FractionDeprecated(f32),
        #[prost(int32, tag = "6")]
        IntDecimal(i32),
        #[prost(uint32, tag = "7")]
        IntHexadecimal(u32),
        #[prost(bool, tag = "8")]
        Boolean(bool),
        #[prost(uint32, tag = "9")]
        ColorArgb8(u32),
        #[prost(uint32, tag = "10")]
        ColorRgb8(u32),
        #[prost(uint32, tag = "11")]
        ColorArgb4(u32),
        #[prost(uint32, tag = "12")]
        ColorRgb4(u32),
        #[prost(uint32, tag = "13")]
        Dimension(u32),
        #[prost(uint32, tag = "14")]
        Fraction(u32),
    }
}

/// `ResourceTable` (the source-path pool and overlayables are not read).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceTable {
    #[prost(message, repeated, tag = "2")]
    pub package: Vec<Package>,
}

/// `Package`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Package {
    #[prost(message, optional, tag = "1")]
    pub package_id: Option<Id>,
    #[prost(string, tag = "2")]
    pub package_name: String,
    #[prost(message, repeated, tag = "3")]
    pub r#type: Vec<Type>,
}

/// `PackageId`, `TypeId` and `EntryId`: each holds its id in field 1.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Id {
    #[prost(uint32, tag = "1")]
    pub id: u32,
}

/// `Type`: the entries of one resource type (`string`, `xml`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Type {
    #[prost(message, optional, tag = "1")]
    pub type_id: Option<Id>,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(message, repeated, tag = "3")]
    pub entry: Vec<Entry>,
}

/// `Entry`: one resource and its value per configuration.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Entry {
    #[prost(message, optional, tag = "1")]
    pub entry_id: Option<Id>,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(message, repeated, tag = "6")]
    pub config_value: Vec<ConfigValue>,
}

/// `ConfigValue`: a value under one configuration.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ConfigValue {
    #[prost(message, optional, boxed, tag = "1")]
    pub config: Option<Box<Configuration>>,
    #[prost(message, optional, boxed, tag = "2")]
    pub value: Option<Box<Value>>,
}

/// `Value`: an item or a compound value (source and comment not read).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    #[prost(oneof = "value::Kind", tags = "4, 5")]
    pub kind: Option<value::Kind>,
}

/// The `value` oneof of [`Value`].
pub mod value {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Kind {
        #[prost(message, boxed, tag = "4")]
        Item(Box<super::Item>),
        #[prost(message, boxed, tag = "5")]
        Compound(Box<super::CompoundValue>),
    }
}

/// `CompoundValue`: the bags whose items can hold strings (attribute and
/// styleable definitions are not read).
#[derive(Clone, PartialEq, prost::Message)]
pub struct CompoundValue {
    #[prost(oneof = "compound_value::Kind", tags = "2, 4, 5")]
    pub kind: Option<compound_value::Kind>,
}

/// The `value` oneof of [`CompoundValue`].
pub mod compound_value {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Kind {
        #[prost(message, tag = "2")]
        Style(super::Style),
        #[prost(message, tag = "4")]
        Array(super::Array),
        #[prost(message, tag = "5")]
        Plural(super::Plural),
    }
}

/// `Style` (the parent reference is not read).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Style {
    #[prost(message, repeated, tag = "3")]
    pub entry: Vec<BagItem>,
}

/// `Plural`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Plural {
    #[prost(message, repeated, tag = "1")]
    pub entry: Vec<BagItem>,
}

/// `Style.Entry` and `Plural.Entry`: both hold their item in field 4 (the
/// attribute key and the arity are not read).
#[derive(Clone, PartialEq, prost::Message)]
pub struct BagItem {
    #[prost(message, optional, boxed, tag = "4")]
    pub item: Option<Box<Item>>,
}

/// `Array`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Array {
    #[prost(message, repeated, tag = "1")]
    pub element: Vec<ArrayElement>,
}

/// `Array.Element`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ArrayElement {
    #[prost(message, optional, boxed, tag = "3")]
    pub item: Option<Box<Item>>,
}

/// `Configuration`: the qualifiers mastiff names (the others are skipped).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Configuration {
    #[prost(uint32, tag = "1")]
    pub mcc: u32,
    #[prost(uint32, tag = "2")]
    pub mnc: u32,
    #[prost(string, tag = "3")]
    pub locale: String,
    #[prost(uint32, tag = "9")]
    pub smallest_screen_width_dp: u32,
    #[prost(int32, tag = "15")]
    pub orientation: i32,
    #[prost(int32, tag = "17")]
    pub ui_mode_night: i32,
    #[prost(uint32, tag = "18")]
    pub density: u32,
    #[prost(uint32, tag = "24")]
    pub sdk_version: u32,
}

/// `Res_value` data types of the values that have no variant of their own.
const TYPE_DIMENSION: u8 = 0x05;
const TYPE_FRACTION: u8 = 0x06;
const TYPE_INT_COLOR_ARGB8: u8 = 0x1c;
const TYPE_INT_COLOR_RGB8: u8 = 0x1d;
const TYPE_INT_COLOR_ARGB4: u8 = 0x1e;
const TYPE_INT_COLOR_RGB4: u8 = 0x1f;

impl Item {
    /// The item as the binary formats' typed value: strings and file paths
    /// become strings (with pool index 0: protobuf has no pool), an `Id`
    /// becomes `false` as aapt2 flattens it. `None` for an empty item.
    pub fn to_value(&self) -> Option<ResValue> {
        let string = |s: &str| ResValue::String {
            index: 0,
            text: Arc::from(s),
        };
        let other = |data_type: u8, data: u32| ResValue::Other { data_type, data };
        Some(match self.value.as_ref()? {
            item::Value::Ref(r) if r.r#type == REFERENCE_ATTRIBUTE => ResValue::Attribute(r.id),
            item::Value::Ref(r) => ResValue::Reference(r.id),
            item::Value::Str(t) | item::Value::RawStr(t) | item::Value::StyledStr(t) => {
                string(&t.value)
            }
            item::Value::File(f) => string(&f.path),
            item::Value::Id(_) => ResValue::Bool(false),
            item::Value::Prim(p) => match p.value.as_ref()? {
                primitive::Value::Null(_) => ResValue::Null(0),
                primitive::Value::Empty(_) => ResValue::Null(1),
                primitive::Value::Float(f) => ResValue::Float(*f),
                primitive::Value::DimensionDeprecated(f) => other(TYPE_DIMENSION, f.to_bits()),
                primitive::Value::FractionDeprecated(f) => other(TYPE_FRACTION, f.to_bits()),
                primitive::Value::IntDecimal(i) => ResValue::Int(*i),
                primitive::Value::IntHexadecimal(h) => ResValue::Hex(*h),
                primitive::Value::Boolean(b) => ResValue::Bool(*b),
                primitive::Value::ColorArgb8(c) => other(TYPE_INT_COLOR_ARGB8, *c),
                primitive::Value::ColorRgb8(c) => other(TYPE_INT_COLOR_RGB8, *c),
                primitive::Value::ColorArgb4(c) => other(TYPE_INT_COLOR_ARGB4, *c),
                primitive::Value::ColorRgb4(c) => other(TYPE_INT_COLOR_RGB4, *c),
                primitive::Value::Dimension(d) => other(TYPE_DIMENSION, *d),
                primitive::Value::Fraction(f) => other(TYPE_FRACTION, *f),
            },
        })
    }

    /// The text of a string item (plain, raw or styled).
    pub fn as_text(&self) -> Option<&str> {
        match self.value.as_ref()? {
            item::Value::Str(t) | item::Value::RawStr(t) | item::Value::StyledStr(t) => {
                Some(&t.value)
            }
            _ => None,
        }
    }

    /// The path of a file reference.
    pub fn as_file(&self) -> Option<&str> {
        match self.value.as_ref()? {
            item::Value::File(f) => Some(&f.path),
            _ => None,
        }
    }
}
