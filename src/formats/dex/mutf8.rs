//! Modified UTF-8 (MUTF-8), the string encoding of DEX files, to UTF-8.
//!
//! MUTF-8 differs from UTF-8 in two ways: U+0000 is written as the two bytes
//! `C0 80`, and a supplementary character is written as its UTF-16 surrogate
//! pair, each half a three-byte sequence. Everything else is plain UTF-8.

use std::borrow::Cow;

/// Decodes MUTF-8 bytes. Borrows when they are already valid UTF-8 (the
/// common case); otherwise decodes, replacing every invalid sequence or
/// unpaired surrogate with U+FFFD.
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(decode_slow(bytes)),
    }
}

fn is_cont(b: u8) -> bool {
    b & 0xc0 == 0x80
}

/// The three-byte sequence at `i` as a UTF-16 code unit.
fn unit3(bytes: &[u8], i: usize) -> Option<u32> {
    match bytes.get(i..i.checked_add(3)?)? {
        &[a, b, c] if a & 0xf0 == 0xe0 && is_cont(b) && is_cont(c) => {
            Some((u32::from(a & 0x0f) << 12) | (u32::from(b & 0x3f) << 6) | u32::from(c & 0x3f))
        }
        _ => None,
    }
}

fn decode_slow(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (ch, used) = match b {
            0x00..=0x7f => (char::from(b), 1),
            0xc0..=0xdf => match bytes.get(i + 1) {
                Some(&c) if is_cont(c) => {
                    let cp = (u32::from(b & 0x1f) << 6) | u32::from(c & 0x3f);
                    (char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER), 2)
                }
                _ => (char::REPLACEMENT_CHARACTER, 1),
            },
            0xe0..=0xef => match unit3(bytes, i) {
                Some(hi @ 0xd800..=0xdbff) => match unit3(bytes, i + 3) {
                    Some(lo @ 0xdc00..=0xdfff) => {
                        let cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                        (char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER), 6)
                    }
                    _ => (char::REPLACEMENT_CHARACTER, 3),
                },
                Some(unit) => (
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
                    3,
                ),
                None => (char::REPLACEMENT_CHARACTER, 1),
            },
            // Standard four-byte UTF-8 is not MUTF-8, but is read as written.
            0xf0..=0xf7 => match bytes.get(i..i + 4) {
                Some(&[_, c1, c2, c3]) if is_cont(c1) && is_cont(c2) && is_cont(c3) => {
                    let cp = (u32::from(b & 0x07) << 18)
                        | (u32::from(c1 & 0x3f) << 12)
                        | (u32::from(c2 & 0x3f) << 6)
                        | u32::from(c3 & 0x3f);
                    (char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER), 4)
                }
                _ => (char::REPLACEMENT_CHARACTER, 1),
            },
            _ => (char::REPLACEMENT_CHARACTER, 1),
        };
        out.push(ch);
        i += used;
    }
    out
}

/// Encodes a string as MUTF-8 (used by the fixture writer and tests).
pub fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for unit in s.encode_utf16() {
        match unit {
            0x0001..=0x007f => out.push(unit as u8),
            0x0000 | 0x0080..=0x07ff => {
                out.push(0xc0 | (unit >> 6) as u8);
                out.push(0x80 | (unit & 0x3f) as u8);
            }
            _ => {
                out.push(0xe0 | (unit >> 12) as u8);
                out.push(0x80 | ((unit >> 6) & 0x3f) as u8);
                out.push(0x80 | (unit & 0x3f) as u8);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_borrowed() {
        assert!(matches!(
            decode("héllo €".as_bytes()),
            Cow::Borrowed("héllo €")
        ));
    }

    #[test]
    fn embedded_nul_and_supplementary_round_trip() {
        let s = "a\0b😀c";
        let m = encode(s);
        assert_eq!(&m[1..3], &[0xc0, 0x80]);
        assert_eq!(m.len(), 1 + 2 + 1 + 6 + 1);
        assert_eq!(decode(&m), s);
    }

    #[test]
    fn invalid_sequences_become_replacement() {
        // Lone high surrogate, lone low surrogate, stray continuation, truncated lead.
        assert_eq!(decode(&[0xed, 0xa0, 0x80, b'x']), "\u{fffd}x");
        assert_eq!(decode(&[0xed, 0xb0, 0x80]), "\u{fffd}");
        assert_eq!(
            decode(&[0x80, b'y', 0xe2, 0x82]),
            "\u{fffd}y\u{fffd}\u{fffd}"
        );
        assert_eq!(decode(&[0xc0, 0x80, 0xff]), "\0\u{fffd}");
    }

    #[test]
    fn never_panics_on_any_two_byte_input() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let _ = decode(&[a, b, 0xed, a, b]);
            }
        }
    }
}
