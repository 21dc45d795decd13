//! Base64 as `android.util.Base64.decode(text, DEFAULT)` reads pin values:
//! characters outside the alphabet are skipped, padding is optional, and a
//! misplaced `=` or a lone trailing character fails.

/// Decodes `text`; `None` where the platform throws.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut state = 0u8;
    let mut value: u32 = 0;
    for &b in text.as_bytes() {
        let d = sextet(b);
        state = match (state, d) {
            (0..=3, Digit::Value(v)) => {
                value = (value << 6) | u32::from(v);
                if state == 3 {
                    out.extend_from_slice(&[(value >> 16) as u8, (value >> 8) as u8, value as u8]);
                    value = 0;
                    0
                } else {
                    state + 1
                }
            }
            (_, Digit::Skip) => state,
            (2, Digit::Equals) => {
                out.push((value >> 4) as u8);
                4
            }
            (3, Digit::Equals) => {
                out.extend_from_slice(&[(value >> 10) as u8, (value >> 2) as u8]);
                5
            }
            (4, Digit::Equals) => 5,
            _ => return None,
        };
    }
    match state {
        0 | 5 => {}
        2 => out.push((value >> 4) as u8),
        3 => out.extend_from_slice(&[(value >> 10) as u8, (value >> 2) as u8]),
        _ => return None,
    }
    Some(out)
}

enum Digit {
    Value(u8),
    Equals,
    Skip,
}

fn sextet(b: u8) -> Digit {
    match b {
        b'A'..=b'Z' => Digit::Value(b - b'A'),
        b'a'..=b'z' => Digit::Value(b - b'a' + 26),
        b'0'..=b'9' => Digit::Value(b - b'0' + 52),
        b'+' => Digit::Value(62),
        b'/' => Digit::Value(63),
        b'=' => Digit::Equals,
        _ => Digit::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_like_android_util_base64() {
        assert_eq!(decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        // Padding is optional and foreign characters are skipped.
        assert_eq!(decode("aGVs bG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("aG\nVs-bG8*").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
        // A lone trailing character, a misplaced '=', data after padding.
        assert_eq!(decode("aGVsb"), None);
        assert_eq!(decode("a=Vs"), None);
        assert_eq!(decode("aGVsbG8=x"), None);
        // One '=' where two are required.
        assert_eq!(decode("aGVsbA="), None);
        assert_eq!(decode("aGVsbA==").as_deref(), Some(&b"hell"[..]));
    }
}
