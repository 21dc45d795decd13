//! JSON documents: every string value with its key path, line and offset.
//!
//! A small lexer rather than a DOM parser, because reports need positions:
//! each string value is pushed with `symbol` = its key path
//! (`alerts.slack_webhook`, `servers[2].url`), `context` = its own key, and
//! its line and byte offset. The whole document is parsed before anything is
//! pushed, so input that turns out not to be JSON pushes nothing and the
//! caller can scan it as plain text instead.

use super::{FormatError, ScannedString, StringSink};

/// Containers nested deeper than this are refused.
const MAX_DEPTH: usize = 256;

/// Whether `bytes` starts (after whitespace and a BOM) like a JSON object
/// or array.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Parses a JSON document and pushes its string values; on a syntax error
/// nothing is pushed and the error says where.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let values = parse(bytes)?;
    for v in &values {
        sink.push(ScannedString {
            text: v.text.as_bytes(),
            offset: Some(v.offset as u64),
            line: Some(v.line),
            symbol: Some(&v.path),
            context: v.key.as_deref(),
        });
    }
    Ok(())
}

/// One string value of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StringValue {
    text: String,
    path: String,
    key: Option<String>,
    offset: usize,
    line: u32,
}

enum Frame {
    /// An object; `key` is the key of the value being read, if any.
    Object {
        key: Option<String>,
    },
    Array {
        index: usize,
    },
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Lexer<'_> {
    fn error(&self, what: &str) -> FormatError {
        FormatError::new(
            "json",
            format!("{what} at line {} (byte {})", self.line, self.pos),
        )
    }

    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line = self.line.saturating_add(1),
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.pos += 1;
        }
    }

    /// Reads a string token starting at the opening quote.
    fn string(&mut self) -> Result<String, FormatError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err(self.error("unterminated escape"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let c = self.unicode_escape()?;
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.error("bad escape")),
                    }
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("string is not UTF-8"))
    }

    fn hex4(&mut self) -> Result<u32, FormatError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("bad \\u escape"))?;
        self.pos += 4;
        Ok(digits)
    }

    /// Decodes `XXXX` after `\u`, joining a surrogate pair when one follows.
    fn unicode_escape(&mut self) -> Result<char, FormatError> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let c = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    /// Skips a number or `true`/`false`/`null`.
    fn scalar(&mut self) -> Result<(), FormatError> {
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let word = &self.bytes[start..self.pos];
        let is_number = word
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'-');
        if is_number || matches!(word, b"true" | b"false" | b"null") {
            Ok(())
        } else {
            Err(self.error("unexpected token"))
        }
    }
}

fn path_of(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(k) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

fn last_key(stack: &[Frame]) -> Option<String> {
    stack.iter().rev().find_map(|f| match f {
        Frame::Object { key } => key.clone(),
        Frame::Array { .. } => None,
    })
}

/// What the parser needs next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value; `]` may close instead right after `[`.
    Value {
        close_ok: bool,
    },
    /// An object key; `}` may close instead right after `{`.
    Key {
        close_ok: bool,
    },
    Colon,
    CommaOrClose,
}

/// Parses a whole document into its string values.
fn parse(bytes: &[u8]) -> Result<Vec<StringValue>, FormatError> {
    let start = if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut lx = Lexer {
        bytes,
        pos: start,
        line: 1,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut values = Vec::new();
    let mut expect = Expect::Value { close_ok: false };
    let mut done = false;
    loop {
        lx.skip_whitespace();
        let Some(&b) = bytes.get(lx.pos) else { break };
        if done {
            return Err(lx.error("trailing data after the document"));
        }
        match (b, expect) {
            (b'{' | b'[', Expect::Value { .. }) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(lx.error("nesting too deep"));
                }
                if b == b'{' {
                    stack.push(Frame::Object { key: None });
                    expect = Expect::Key { close_ok: true };
                } else {
                    stack.push(Frame::Array { index: 0 });
                    expect = Expect::Value { close_ok: true };
                }
                lx.pos += 1;
            }
            (b'}', Expect::CommaOrClose | Expect::Key { close_ok: true })
            | (b']', Expect::CommaOrClose | Expect::Value { close_ok: true }) => {
                let matching = match stack.pop() {
                    Some(Frame::Object { .. }) => b == b'}',
                    Some(Frame::Array { .. }) => b == b']',
                    None => false,
                };
                if !matching {
                    return Err(lx.error("mismatched bracket"));
                }
                lx.pos += 1;
                expect = Expect::CommaOrClose;
                done = stack.is_empty();
            }
            (b',', Expect::CommaOrClose) => {
                expect = match stack.last_mut() {
                    Some(Frame::Array { index }) => {
                        *index += 1;
                        Expect::Value { close_ok: false }
                    }
                    Some(Frame::Object { key }) => {
                        *key = None;
                        Expect::Key { close_ok: false }
                    }
                    None => return Err(lx.error("unexpected comma")),
                };
                lx.pos += 1;
            }
            (b':', Expect::Colon) => {
                expect = Expect::Value { close_ok: false };
                lx.pos += 1;
            }
            (b'"', Expect::Key { .. }) => {
                let key = lx.string()?;
                if let Some(Frame::Object { key: slot }) = stack.last_mut() {
                    *slot = Some(key);
                }
                expect = Expect::Colon;
            }
            (b'"', Expect::Value { .. }) => {
                let (offset, line) = (lx.pos, lx.line);
                let text = lx.string()?;
                values.push(StringValue {
                    text,
                    path: path_of(&stack),
                    key: last_key(&stack),
                    offset,
                    line,
                });
                expect = Expect::CommaOrClose;
                done = stack.is_empty();
            }
            (_, Expect::Value { .. }) => {
                lx.scalar()?;
                expect = Expect::CommaOrClose;
                done = stack.is_empty();
            }
            _ => return Err(lx.error("unexpected character")),
        }
    }
    if !done {
        return Err(lx.error("unterminated document"));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Values = Vec<(String, String, Option<String>, u32)>;

    fn values(text: &str) -> Result<Values, FormatError> {
        Ok(parse(text.as_bytes())?
            .into_iter()
            .map(|v| (v.text, v.path, v.key, v.line))
            .collect())
    }

    #[test]
    fn values_carry_paths_keys_and_lines() {
        let doc = "{\n  \"env\": \"prod\",\n  \"alerts\": {\"slack_webhook\": \"https://x\"},\n  \"servers\": [\"a\", {\"url\": \"b\"}],\n  \"n\": -1.5e3, \"ok\": true\n}";
        assert_eq!(
            values(doc).unwrap(),
            vec![
                ("prod".into(), "env".into(), Some("env".into()), 2),
                (
                    "https://x".into(),
                    "alerts.slack_webhook".into(),
                    Some("slack_webhook".into()),
                    3
                ),
                ("a".into(), "servers[0]".into(), Some("servers".into()), 4),
                ("b".into(), "servers[1].url".into(), Some("url".into()), 4),
            ]
        );
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let got = values(r#"["a\"b\\c\/\n", "\u00e9\ud83d\ude00", "\ud800x"]"#).unwrap();
        assert_eq!(got[0].0, "a\"b\\c/\n");
        assert_eq!(got[1].0, "é😀");
        assert_eq!(got[2].0, "\u{fffd}x");
    }

    #[test]
    fn offsets_point_at_the_opening_quote() {
        let v = parse(br#"{"k": "v"}"#).unwrap();
        assert_eq!(v[0].offset, 6);
    }

    #[test]
    fn rejects_what_is_not_json_and_pushes_nothing() {
        for bad in [
            "{\"a\" \"b\"}",
            "[1,]x",
            "{\"a\": }",
            "[\"unterminated]",
            "{]",
            "[1] [2]",
            "var x = [1];",
            "{\"a\":: 1}",
        ] {
            let mut pushed = 0;
            let r = extract(bad.as_bytes(), &mut |_: ScannedString<'_>| pushed += 1);
            assert!(r.is_err(), "{bad}");
            assert_eq!(pushed, 0, "{bad}");
        }
    }

    #[test]
    fn bounds_nesting_and_survives_every_prefix() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .message
            .contains("too deep"));
        let doc = br#"{"a": ["x", {"b": "\u00e9"}], "c": null}"#;
        for n in 0..doc.len() {
            let _ = parse(&doc[..n]);
        }
    }

    #[test]
    fn detects_json_like_text() {
        assert!(looks_like_json(b"\xef\xbb\xbf  {\"a\":1}"));
        assert!(looks_like_json(b"\n[1]"));
        assert!(!looks_like_json(b"key=value"));
    }
}
