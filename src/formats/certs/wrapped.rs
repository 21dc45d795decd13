//! Certificates, keys and keystores wrapped in base64 inside a string (a
//! JSON value, a plist string, a DEX constant, a resource) without PEM
//! armour.

use super::sniff;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
use base64::Engine;

/// Longest string considered.
const MAX_INPUT: usize = 1 << 20;
/// Fewest decoded bytes worth a look (a SEC1 P-256 key is 121).
const MIN_DECODED: usize = 64;
/// Base64 starts of what [`sniff`] recognises: DER SEQUENCE (`MI…`, and
/// `MH…` for short-form small keys), JKS, JCEKS, BKS (version 1 or 2) and
/// base64 of PEM text. URL-safe spellings included.
const PREFIXES: &[&str] = &[
    "MI",
    "MH",
    "/u3+7Q",
    "_u3-7Q",
    "zs7Ozg",
    "AAAAAQ",
    "AAAAAg",
    "LS0tLS1CRUdJTi",
];

/// The decoded bytes of `s` when it is standard or URL-safe base64
/// (padding optional; line breaks, whitespace and `\n`/`\r` escapes
/// allowed) of a certificate, private key or keystore that [`sniff`]
/// recognises; `None` otherwise. Strings over 1 MB are not considered.
pub fn decode_wrapped(s: &str) -> Option<Vec<u8>> {
    if s.len() > MAX_INPUT {
        return None;
    }
    let s = s.trim();
    if !PREFIXES.iter().any(|p| s.starts_with(p)) {
        return None;
    }
    let compact = compact(s)?;
    // Four characters carry three bytes.
    if compact.len() / 4 * 3 < MIN_DECODED {
        return None;
    }
    let url_safe = compact.iter().any(|b| matches!(b, b'-' | b'_'));
    let engine = if url_safe {
        &URL_SAFE_PAD_INDIFFERENT
    } else {
        &STANDARD_PAD_INDIFFERENT
    };
    let bytes = engine.decode(&compact).ok()?;
    (bytes.len() >= MIN_DECODED && sniff(&bytes).is_some()).then_some(bytes)
}

/// `s` without whitespace and `\n`, `\r` escapes; `None` at the first
/// character no base64 alphabet has, or when both alphabets are mixed.
fn compact(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let (mut standard, mut url) = (false, false);
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'=' => out.push(b),
            b'+' | b'/' => {
                standard = true;
                out.push(b);
            }
            b'-' | b'_' => {
                url = true;
                out.push(b);
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'\\' => match bytes.next() {
                Some(b'n' | b'r') => {}
                Some(b'/') => {
                    standard = true;
                    out.push(b'/');
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    (!(standard && url)).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{identity, jks, Spec};
    use super::super::ContainerKind;
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    #[test]
    fn decodes_certificates_keys_and_keystores() {
        let id = identity("Wrapped", Spec::default());
        for der in [&id.cert_der, &id.key_der] {
            let text = STANDARD.encode(der);
            assert_eq!(decode_wrapped(&text).as_deref(), Some(der.as_slice()));
        }
        let store = jks(&id, "changeit");
        let text = STANDARD.encode(&store);
        assert!(text.starts_with("/u3+7Q"));
        let decoded = decode_wrapped(&text).unwrap();
        assert_eq!(sniff(&decoded), Some(ContainerKind::Jks));
    }

    #[test]
    fn accepts_url_safe_line_breaks_and_escapes() {
        let id = identity("Wrapped", Spec::default());
        let url = URL_SAFE_NO_PAD.encode(&id.cert_der);
        assert_eq!(decode_wrapped(&url), Some(id.cert_der.clone()));
        let text = STANDARD.encode(&id.cert_der);
        let wrapped: Vec<String> = text
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        assert_eq!(
            decode_wrapped(&format!("  {}\n", wrapped.join("\r\n"))),
            Some(id.cert_der.clone())
        );
        let escaped = wrapped.join("\\n").replace('/', "\\/");
        assert_eq!(decode_wrapped(&escaped), Some(id.cert_der.clone()));
        let pem = STANDARD.encode(id.cert_pem.as_bytes());
        assert_eq!(decode_wrapped(&pem), Some(id.cert_pem.into_bytes()));
    }

    #[test]
    fn rejects_other_strings() {
        let id = identity("Wrapped", Spec::default());
        let text = STANDARD.encode(&id.cert_der);
        // Cut short: the SEQUENCE no longer spans the bytes.
        assert_eq!(decode_wrapped(&text[..text.len() / 2]), None);
        // Both alphabets at once, a stray character, no known start.
        let mixed = format!("{}-_", &text[..text.len() - 4]);
        assert_eq!(decode_wrapped(&mixed), None);
        assert_eq!(decode_wrapped(&format!("{text}!")), None);
        assert_eq!(decode_wrapped(&STANDARD.encode([0x42u8; 300])), None);
        // Base64 of something else that starts with `MI`.
        let mut other = vec![0x30, 0x82, 0x01, 0x00];
        other.extend([0x05u8; 256]);
        assert_eq!(decode_wrapped(&STANDARD.encode(&other)), None);
        // Too short to be a key.
        assert_eq!(decode_wrapped("MIIBCgKCAQEA"), None);
        assert_eq!(decode_wrapped(""), None);
        assert_eq!(decode_wrapped(&"M".repeat(MAX_INPUT + 1)), None);
    }
}
