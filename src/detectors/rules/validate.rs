//! Offline structural checks of matched secrets (README "Validators").

use super::rule::Validator;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD};
use base64::Engine;

/// Runs `validator` on `secret`; `rest` is the scanned string from the
/// secret's start to its end, for checks that look past the capture (PEM).
pub fn validate(validator: Validator, secret: &[u8], rest: &[u8]) -> bool {
    match validator {
        Validator::GithubChecksum => github_token(secret),
        Validator::NpmChecksum => secret.strip_prefix(b"npm_").is_some_and(checksummed_body),
        Validator::Jwt => jwt(secret),
        Validator::Pem => pem_body(rest),
        Validator::Luhn => luhn(secret),
    }
}

/// Classic GitHub tokens (`ghp_` … `ghr_` + checksummed body) and the
/// fine-grained form `github_pat_` + 22 base62 + `_` + 59 base62.
fn github_token(secret: &[u8]) -> bool {
    if let Some(rest) = secret.strip_prefix(b"github_pat_") {
        return rest.len() == 82
            && rest.get(22) == Some(&b'_')
            && rest
                .iter()
                .enumerate()
                .all(|(i, b)| i == 22 || b.is_ascii_alphanumeric());
    }
    const CLASSIC: [&[u8]; 5] = [b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"];
    CLASSIC
        .iter()
        .any(|p| secret.strip_prefix(*p).is_some_and(checksummed_body))
}

/// 30 base62 characters followed by the base62 CRC32 of those 30, in 6
/// characters (the GitHub and npm token format).
fn checksummed_body(body: &[u8]) -> bool {
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62_value(check) == Some(u64::from(crc32fast::hash(random)))
}

/// The value of a base62 number (`0-9A-Za-z`), or `None` on a bad digit or
/// overflow.
fn base62_value(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &d| {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'Z' => d - b'A' + 10,
            b'a'..=b'z' => d - b'a' + 36,
            _ => return None,
        };
        acc.checked_mul(62)?.checked_add(u64::from(v))
    })
}

/// Three base64url parts; the header decodes to a JSON object with `alg`,
/// and the payload decodes as base64url.
fn jwt(secret: &[u8]) -> bool {
    let mut parts = secret.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let b64url = |p: &[u8]| {
        p.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    };
    if header.is_empty() || payload.is_empty() || !b64url(signature) {
        return false;
    }
    let (Ok(header), Ok(_)) = (
        URL_SAFE_NO_PAD.decode(header),
        URL_SAFE_NO_PAD.decode(payload),
    ) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&header).is_ok_and(|v| v.get("alg").is_some())
}

/// When `text` (starting at a `-----BEGIN …-----` line) also holds the
/// matching `-----END`, the body between them must be non-empty base64.
/// Literal `\n`/`\r` escapes count as line breaks and RFC 1421 header lines
/// (`Proc-Type: …`) are skipped. Without an END line there is nothing to check.
fn pem_body(text: &[u8]) -> bool {
    const DASHES: &[u8] = b"-----";
    let Some(begin) = find(text, b"-----BEGIN") else {
        return true;
    };
    let after_begin = begin.saturating_add(10);
    let Some(header_end) = text.get(after_begin..).and_then(|t| find(t, DASHES)) else {
        return true;
    };
    let body_start = after_begin
        .saturating_add(header_end)
        .saturating_add(DASHES.len());
    let Some(body) = text.get(body_start..) else {
        return true;
    };
    let Some(end) = find(body, b"-----END") else {
        return true;
    };
    let body = &body[..end];
    let mut clean = Vec::with_capacity(body.len());
    let mut i = 0;
    let mut line_start = 0;
    while i < body.len() {
        let b = body[i];
        let escape = b == b'\\' && matches!(body.get(i + 1), Some(b'n' | b'r'));
        if b == b'\n' || b == b'\r' || escape {
            if body[line_start..i].contains(&b':') {
                // A header line: drop what it contributed.
                let kept = body[line_start..i]
                    .iter()
                    .filter(|c| !c.is_ascii_whitespace())
                    .count();
                clean.truncate(clean.len().saturating_sub(kept));
            }
            i += if escape { 2 } else { 1 };
            line_start = i;
            continue;
        }
        if !b.is_ascii_whitespace() {
            clean.push(b);
        }
        i += 1;
    }
    !clean.is_empty() && STANDARD_PAD_INDIFFERENT.decode(&clean).is_ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A digit string (spaces and dashes allowed between digits) of at least
/// two digits that passes the Luhn check.
fn luhn(secret: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut count = 0u32;
    for &b in secret.iter().rev() {
        match b {
            b'0'..=b'9' => {
                let mut d = u32::from(b - b'0');
                if count % 2 == 1 {
                    d *= 2;
                    if d > 9 {
                        d -= 9;
                    }
                }
                sum += d;
                count += 1;
            }
            b' ' | b'-' => {}
            _ => return false,
        }
        if count > 64 {
            return false;
        }
    }
    count >= 2 && sum.is_multiple_of(10)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// Builds a checksummed token: `prefix` + 30 chars + base62 CRC32.
    pub(crate) fn checksummed(prefix: &str, random30: &str) -> String {
        assert_eq!(random30.len(), 30);
        let mut n = crc32fast::hash(random30.as_bytes());
        let mut check = [b'0'; 6];
        for slot in check.iter_mut().rev() {
            *slot = BASE62[(n % 62) as usize];
            n /= 62;
        }
        format!("{prefix}{random30}{}", std::str::from_utf8(&check).unwrap())
    }

    fn flip_last(token: &str) -> String {
        let mut t = token.to_string();
        let last = t.pop().unwrap();
        t.push(if last == 'A' { 'B' } else { 'A' });
        t
    }

    #[test]
    fn github_classic_checksum() {
        let token = checksummed("ghp_", "Zq3Lk9Vx2Mn8Bc4Hd7Rt1Yw6Pf5Gs0");
        assert!(validate(Validator::GithubChecksum, token.as_bytes(), b""));
        assert!(!validate(
            Validator::GithubChecksum,
            flip_last(&token).as_bytes(),
            b""
        ));
        let wrong_prefix = token.replacen("ghp_", "ghx_", 1);
        assert!(!validate(
            Validator::GithubChecksum,
            wrong_prefix.as_bytes(),
            b""
        ));
        assert!(!validate(
            Validator::GithubChecksum,
            &token.as_bytes()[..39],
            b""
        ));
    }

    #[test]
    fn github_fine_grained_form() {
        let token = format!("github_pat_{}_{}", "A".repeat(22), "b".repeat(59));
        assert!(validate(Validator::GithubChecksum, token.as_bytes(), b""));
        let misplaced = format!("github_pat_{}_{}", "A".repeat(21), "b".repeat(60));
        assert!(!validate(
            Validator::GithubChecksum,
            misplaced.as_bytes(),
            b""
        ));
        assert!(!validate(
            Validator::GithubChecksum,
            &token.as_bytes()[..92],
            b""
        ));
    }

    #[test]
    fn npm_checksum() {
        let token = checksummed("npm_", "Hk2Jd8Lq4Wz7Nv1Xc5Bm9Rp3Ts6Yf0");
        assert!(validate(Validator::NpmChecksum, token.as_bytes(), b""));
        assert!(!validate(
            Validator::NpmChecksum,
            flip_last(&token).as_bytes(),
            b""
        ));
        let gh = checksummed("ghp_", "Hk2Jd8Lq4Wz7Nv1Xc5Bm9Rp3Ts6Yf0");
        assert!(!validate(Validator::NpmChecksum, gh.as_bytes(), b""));
    }

    #[test]
    fn base62_overflow_is_rejected() {
        assert_eq!(base62_value(b"10"), Some(62));
        assert_eq!(base62_value(&[b'z'; 20]), None);
        assert_eq!(base62_value(b"a-"), None);
    }

    #[test]
    fn jwt_structure() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"42"}"#);
        let good = format!("{header}.{payload}.c2lnbmF0dXJl");
        assert!(validate(Validator::Jwt, good.as_bytes(), b""));
        let no_alg = format!(
            "{}.{payload}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT"}"#)
        );
        assert!(!validate(Validator::Jwt, no_alg.as_bytes(), b""));
        assert!(!validate(
            Validator::Jwt,
            format!("{header}.{payload}").as_bytes(),
            b""
        ));
        assert!(!validate(
            Validator::Jwt,
            format!("{header}.{payload}.s.t").as_bytes(),
            b""
        ));
        assert!(!validate(
            Validator::Jwt,
            b"eyJub3QganNvbg.eyJ4IjoxfQ.sig",
            b""
        ));
    }

    #[test]
    fn pem_body_must_decode() {
        let good = b"-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTJ4\nZm9v\n-----END RSA PRIVATE KEY-----";
        assert!(validate(Validator::Pem, b"", good));
        let escaped =
            br"-----BEGIN PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTJ4\n-----END PRIVATE KEY-----\n";
        assert!(validate(Validator::Pem, b"", escaped));
        let legacy = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\nTUlJRXBB\n-----END RSA PRIVATE KEY-----";
        assert!(validate(Validator::Pem, b"", legacy));
        assert!(validate(
            Validator::Pem,
            b"",
            b"-----BEGIN RSA PRIVATE KEY-----"
        ));
        assert!(!validate(
            Validator::Pem,
            b"",
            b"-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(!validate(
            Validator::Pem,
            b"",
            b"-----BEGIN RSA PRIVATE KEY----------END RSA PRIVATE KEY-----"
        ));
    }

    #[test]
    fn luhn_check() {
        assert!(validate(Validator::Luhn, b"4539 1488 0343 6467", b""));
        assert!(validate(Validator::Luhn, b"79927398713", b""));
        assert!(!validate(Validator::Luhn, b"79927398710", b""));
        assert!(!validate(Validator::Luhn, b"7992739871a", b""));
        assert!(!validate(Validator::Luhn, b"0", b""));
    }
}
