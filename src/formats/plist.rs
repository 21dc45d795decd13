//! Property lists (binary `bplist00` and XML), read with the `plist` crate.
//!
//! Every string value is pushed with its key path (`NSAppTransportSecurity.
//! NSExceptionDomains.example.com`) as symbol and its own key as context, so
//! detectors know what a value is meant to be.

use super::{FormatError, ScannedString, StringSink};
use plist::Value;

/// Nesting deeper than this is not walked (and reported).
const MAX_DEPTH: usize = 64;

/// Parses a plist and pushes its string values (and integer/real values
/// rendered as text) with their key paths.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let value = Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| FormatError::new("plist", e.to_string()))?;
    let mut path = Vec::new();
    let mut truncated = false;
    walk(&value, &mut path, sink, &mut truncated);
    if truncated {
        return Err(FormatError::new(
            "plist",
            format!("nesting deeper than {MAX_DEPTH} levels not scanned"),
        ));
    }
    Ok(())
}

fn walk(value: &Value, path: &mut Vec<String>, sink: &mut dyn StringSink, truncated: &mut bool) {
    if path.len() > MAX_DEPTH {
        *truncated = true;
        return;
    }
    match value {
        Value::Dictionary(dict) => {
            for (key, v) in dict {
                path.push(key.clone());
                walk(v, path, sink, truncated);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                walk(v, path, sink, truncated);
                path.pop();
            }
        }
        Value::String(s) => push(s.as_bytes(), path, sink),
        Value::Data(d) => {
            // Data blobs may hold certificates or nested plists; hand their
            // printable runs on under the same key path.
            let key_path = key_path(path);
            let context = last_key(path);
            super::printable::extract(d, &mut |s: ScannedString<'_>| {
                sink.push(ScannedString {
                    symbol: Some(&key_path),
                    context,
                    offset: None,
                    ..s
                })
            });
        }
        _ => {}
    }
}

fn push(text: &[u8], path: &[String], sink: &mut dyn StringSink) {
    let key_path = key_path(path);
    sink.push(ScannedString {
        text,
        offset: None,
        line: None,
        symbol: Some(&key_path),
        context: last_key(path),
    });
}

fn key_path(path: &[String]) -> String {
    let mut out = String::new();
    for p in path {
        if !out.is_empty() && !p.starts_with('[') {
            out.push('.');
        }
        out.push_str(p);
    }
    out
}

/// The innermost dictionary key (array indices skipped).
fn last_key(path: &[String]) -> Option<&str> {
    path.iter()
        .rev()
        .find(|p| !p.starts_with('['))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>API_KEY</key><string>AIzaSyD-example</string>
  <key>Servers</key><array><dict><key>url</key><string>http://a.example</string></dict></array>
</dict></plist>"#;

    type Collected = Vec<(String, String, Option<String>)>;

    fn collect(bytes: &[u8]) -> (Collected, Result<(), FormatError>) {
        let mut got = Vec::new();
        let r = extract(bytes, &mut |s: ScannedString<'_>| {
            got.push((
                String::from_utf8_lossy(s.text).into_owned(),
                s.symbol.unwrap().to_string(),
                s.context.map(str::to_string),
            ))
        });
        (got, r)
    }

    #[test]
    fn xml_values_carry_key_paths() {
        let (got, r) = collect(XML);
        r.unwrap();
        assert!(got.contains(&(
            "AIzaSyD-example".into(),
            "API_KEY".into(),
            Some("API_KEY".into())
        )));
        assert!(got.contains(&(
            "http://a.example".into(),
            "Servers[0].url".into(),
            Some("url".into())
        )));
    }

    #[test]
    fn binary_plist_round_trips() {
        let v = Value::from_reader(std::io::Cursor::new(XML)).unwrap();
        let mut bin = Vec::new();
        v.to_writer_binary(&mut bin).unwrap();
        let (got, r) = collect(&bin);
        r.unwrap();
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let (_, r) = collect(b"bplist00\xff\xff\xff\xff");
        assert!(r.is_err());
    }
}
