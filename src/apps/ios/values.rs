//! Reading property-list values the way iOS does: a Boolean key takes
//! effect only when its value is a real plist Boolean.

use plist::{Dictionary, Value};

/// Parses a binary or XML property list whose root is a dictionary.
pub fn parse_dict(bytes: &[u8]) -> Result<Dictionary, String> {
    match Value::from_reader(std::io::Cursor::new(bytes)) {
        Ok(Value::Dictionary(d)) => Ok(d),
        Ok(_) => Err("property list root is not a dictionary".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The value of a Boolean key as the system reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// A plist Boolean.
    Bool(bool),
    /// Present but not a Boolean (the string `"YES"`, an integer…): the key
    /// has no effect; carries a rendering of the value.
    NotBoolean(String),
}

/// Reads `key` of `dict` as a Boolean key.
pub fn flag(dict: &Dictionary, key: &str) -> Option<Flag> {
    dict.get(key).map(|v| match v {
        Value::Boolean(b) => Flag::Bool(*b),
        other => Flag::NotBoolean(render(other)),
    })
}

/// A short rendering of a value for messages.
pub fn render(v: &Value) -> String {
    match v {
        Value::String(s) => format!("string \"{}\"", truncate(s, 64)),
        Value::Integer(i) => format!("integer {i}"),
        Value::Real(r) => format!("real {r}"),
        Value::Boolean(b) => format!("boolean {b}"),
        Value::Data(d) => format!("data ({} bytes)", d.len()),
        Value::Date(_) => "date".into(),
        Value::Array(a) => format!("array ({} items)", a.len()),
        Value::Dictionary(d) => format!("dictionary ({} keys)", d.len()),
        _ => "value".into(),
    }
}

/// A string value of `key`.
pub fn string<'a>(dict: &'a Dictionary, key: &str) -> Option<&'a str> {
    dict.get(key).and_then(Value::as_string)
}

/// `s` cut to at most `max` characters.
pub fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_only_count_when_real() {
        let mut d = Dictionary::new();
        d.insert("A".into(), Value::Boolean(true));
        d.insert("B".into(), Value::String("YES".into()));
        d.insert("C".into(), Value::Integer(1.into()));
        assert_eq!(flag(&d, "A"), Some(Flag::Bool(true)));
        assert_eq!(
            flag(&d, "B"),
            Some(Flag::NotBoolean("string \"YES\"".into()))
        );
        assert_eq!(flag(&d, "C"), Some(Flag::NotBoolean("integer 1".into())));
        assert_eq!(flag(&d, "D"), None);
    }

    #[test]
    fn parses_binary_and_xml_roots() {
        let mut d = Dictionary::new();
        d.insert("K".into(), Value::String("v".into()));
        let v = Value::Dictionary(d);
        let mut xml = Vec::new();
        v.to_writer_xml(&mut xml).unwrap();
        let mut bin = Vec::new();
        v.to_writer_binary(&mut bin).unwrap();
        for bytes in [xml, bin] {
            assert_eq!(string(&parse_dict(&bytes).unwrap(), "K"), Some("v"));
        }
        let mut arr = Vec::new();
        Value::Array(vec![]).to_writer_xml(&mut arr).unwrap();
        assert!(parse_dict(&arr).is_err());
        assert!(parse_dict(b"junk").is_err());
    }
}
