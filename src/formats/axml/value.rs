//! Typed values (`Res_value`) as attributes and resources store them.

use std::fmt;
use std::sync::Arc;

use super::pool::StringPool;

const TYPE_NULL: u8 = 0x00;
const TYPE_REFERENCE: u8 = 0x01;
const TYPE_ATTRIBUTE: u8 = 0x02;
const TYPE_STRING: u8 = 0x03;
const TYPE_FLOAT: u8 = 0x04;
const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
const TYPE_INT_DEC: u8 = 0x10;
const TYPE_INT_HEX: u8 = 0x11;
const TYPE_INT_BOOLEAN: u8 = 0x12;

/// A decoded `Res_value`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `TYPE_NULL`: undefined (data 0) or explicitly empty (data 1).
    Null(u32),
    /// `@0x7f0f0001`: a resource reference (also a dynamic reference).
    Reference(u32),
    /// `?0x01010036`: a theme attribute reference (also dynamic).
    Attribute(u32),
    /// A string from the pool, with its index.
    String { index: u32, text: Arc<str> },
    /// `TYPE_FLOAT`.
    Float(f32),
    /// `TYPE_INT_DEC`.
    Int(i32),
    /// `TYPE_INT_HEX`.
    Hex(u32),
    /// `TYPE_INT_BOOLEAN`: any non-zero data is true.
    Bool(bool),
    /// Anything else (dimension, fraction, colour, unknown): the raw type
    /// and data.
    Other { data_type: u8, data: u32 },
}

impl Value {
    /// Decodes `data_type`/`data`; a string index outside `pool` reads as
    /// the empty string.
    pub(crate) fn decode(data_type: u8, data: u32, pool: &StringPool) -> Value {
        match data_type {
            TYPE_NULL => Value::Null(data),
            TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => Value::Reference(data),
            TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => Value::Attribute(data),
            TYPE_STRING => Value::String {
                index: data,
                text: pool.get(data).cloned().unwrap_or_else(|| Arc::from("")),
            },
            TYPE_FLOAT => Value::Float(f32::from_bits(data)),
            TYPE_INT_DEC => Value::Int(data as i32),
            TYPE_INT_HEX => Value::Hex(data),
            TYPE_INT_BOOLEAN => Value::Bool(data != 0),
            _ => Value::Other { data_type, data },
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The resource id of a reference.
    pub fn as_reference(&self) -> Option<u32> {
        match self {
            Value::Reference(id) => Some(*id),
            _ => None,
        }
    }

    /// The value of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a decimal or hexadecimal integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(i64::from(*i)),
            Value::Hex(h) => Some(i64::from(*h)),
            _ => None,
        }
    }
}

/// Renders as aapt2 would print the value: `@0x7f0f0001`, `true`, `0x1f`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null(_) => f.write_str("@null"),
            Value::Reference(id) => write!(f, "@0x{id:08x}"),
            Value::Attribute(id) => write!(f, "?0x{id:08x}"),
            Value::String { text, .. } => f.write_str(text),
            Value::Float(x) => write!(f, "{x}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Hex(h) => write!(f, "0x{h:08x}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Other { data_type, data } => write!(f, "(0x{data_type:02x}) 0x{data:08x}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_kind() {
        let pool = StringPool::default();
        assert_eq!(Value::decode(0x12, 0xffff_ffff, &pool), Value::Bool(true));
        assert_eq!(Value::decode(0x12, 0, &pool).as_bool(), Some(false));
        assert_eq!(
            Value::decode(0x10, (-5i32) as u32, &pool).as_int(),
            Some(-5)
        );
        assert_eq!(Value::decode(0x11, 0x1f, &pool).to_string(), "0x0000001f");
        assert_eq!(
            Value::decode(0x01, 0x7f0f_0001, &pool).to_string(),
            "@0x7f0f0001"
        );
        assert_eq!(Value::decode(0x07, 7, &pool).as_reference(), Some(7));
        assert_eq!(Value::decode(0x02, 9, &pool), Value::Attribute(9));
        assert_eq!(
            Value::decode(0x04, 1.5f32.to_bits(), &pool),
            Value::Float(1.5)
        );
        assert_eq!(
            Value::decode(0x05, 3, &pool),
            Value::Other {
                data_type: 5,
                data: 3
            }
        );
        // A string index past the pool reads as empty.
        assert_eq!(Value::decode(0x03, 42, &pool).as_str(), Some(""));
    }
}
