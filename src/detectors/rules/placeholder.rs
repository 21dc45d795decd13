//! Recognising values that stand in for a secret rather than being one.

/// Provider-documented sample credentials (always placeholders).
const DOCUMENTED_KEYS: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
];

/// Words that mark a value as an example when they occur anywhere in it
/// (compared ASCII case-insensitively).
const MARKER_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "changeme",
    "change_me",
    "replace_me",
    "replaceme",
    "redacted",
    "your_",
    "your-",
    "yourapi",
    "yourkey",
    "yoursecret",
    "yourtoken",
    "yourpassword",
    "xxxx",
    "****",
];

/// Values that are placeholders when they are the whole secret.
const WHOLE_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "apikey",
    "api_key",
    "username",
    "user",
    "null",
    "none",
    "undefined",
    "true",
    "false",
    "test",
    "guest",
];

/// Whether a matched secret looks like a placeholder or documented example
/// rather than a live credential.
///
/// True for: a provider's documented sample key; a value containing a marker
/// word (`example`, `sample`, `dummy`, `placeholder`, `changeme`, `YOUR_…`,
/// `xxxx`, `****`); a bare word such as `password` or `token`; template
/// syntax (`${VAR}`, `{{var}}`, `<token>`, `%s`, `%@`, `%1$s`); a value made
/// of one repeated character or holding a run of 8 identical characters;
/// and a run of 6 ascending characters (`123456`, `abcdef`).
pub fn is_placeholder(value: &[u8]) -> bool {
    DOCUMENTED_KEYS.iter().any(|k| value == k.as_bytes())
        || MARKER_WORDS
            .iter()
            .any(|w| contains_ignore_case(value, w.as_bytes()))
        || WHOLE_WORDS
            .iter()
            .any(|w| value.eq_ignore_ascii_case(w.as_bytes()))
        || is_template(value)
        || is_repetitive(value)
        || has_ascending_run(value, 6)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Template or format syntax: `${`, `{{`, `<…>`, `%s`, `%@`, `%d`, `%1$s`.
fn is_template(value: &[u8]) -> bool {
    if contains_ignore_case(value, b"${") || contains_ignore_case(value, b"{{") {
        return true;
    }
    if let Some(open) = value.iter().position(|&b| b == b'<') {
        if value[open..].contains(&b'>') {
            return true;
        }
    }
    value.windows(3).any(|w| {
        w[0] == b'%'
            && (matches!(w[1], b's' | b'@' | b'd') || (w[1].is_ascii_digit() && w[2] == b'$'))
    }) || value.ends_with(b"%s")
        || value.ends_with(b"%@")
}

/// One repeated character, or a run of at least 8 identical characters that
/// makes up at least half of the value. (Real formats may hold long runs —
/// X bearer tokens start with ~21 `A`s, Dropbox tokens hold ten — but then
/// the rest of the value is random.)
fn is_repetitive(value: &[u8]) -> bool {
    let Some(&first) = value.first() else {
        return true;
    };
    if value.len() >= 2 && value.iter().all(|&b| b == first) {
        return true;
    }
    let mut run = 1usize;
    let mut longest = 1usize;
    for w in value.windows(2) {
        run = if w[0] == w[1] { run + 1 } else { 1 };
        longest = longest.max(run);
    }
    longest >= 8 && longest * 2 >= value.len()
}

/// A run of at least `len` alphanumeric characters, each one more than the
/// previous (`123456`, `abcdef`, `ABCDEF`).
fn has_ascending_run(value: &[u8], len: usize) -> bool {
    let mut run = 1usize;
    for w in value.windows(2) {
        let step = w[0].is_ascii_alphanumeric()
            && w[1].is_ascii_alphanumeric()
            && w[0].checked_add(1) == Some(w[1]);
        run = if step { run + 1 } else { 1 };
        if run >= len {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_keys_and_marker_words() {
        assert!(is_placeholder(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(is_placeholder(b"sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(is_placeholder(b"YOUR_API_KEY"));
        assert!(is_placeholder(b"my-Sample-token-Q8z"));
        assert!(is_placeholder(b"DummyKey42"));
        assert!(is_placeholder(b"<placeholder>"));
        assert!(is_placeholder(b"changeme!"));
        assert!(is_placeholder(b"AKIAXXXXXXXXXXXXXXXX"));
        assert!(is_placeholder(b"sk_live_****************"));
    }

    #[test]
    fn bare_words() {
        assert!(is_placeholder(b"Password"));
        assert!(is_placeholder(b"token"));
        assert!(is_placeholder(b"guest"));
        assert!(!is_placeholder(b"Password7!kq"));
    }

    #[test]
    fn templates() {
        assert!(is_placeholder(b"${API_KEY}"));
        assert!(is_placeholder(b"{{ secret }}"));
        assert!(is_placeholder(b"<token>"));
        assert!(is_placeholder(b"Bearer %s"));
        assert!(is_placeholder(b"key=%1$s&x=1"));
        assert!(is_placeholder(b"%@"));
        assert!(!is_placeholder(b"p%40ssw0rd-Qz"));
    }

    #[test]
    fn runs_and_sequences() {
        assert!(is_placeholder(b"aaaaaaaa"));
        assert!(is_placeholder(b"zz"));
        assert!(is_placeholder(b"sk_live_000000000000000000000000"));
        assert!(is_placeholder(b"123456789"));
        assert!(is_placeholder(b"ghp_abcdefghijklmnop"));
        assert!(is_placeholder(b"KEY-ABCDEF-1"));
        assert!(!is_placeholder(b"12345"));
        // A long run inside an otherwise random value is the format, not a stand-in.
        assert!(!is_placeholder(b"AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"));
    }

    #[test]
    fn random_values_pass() {
        for v in [
            "AKIAZ4X5Y6W7V8U9T0S1",
            "k7Qz2Lr9Vx4Mn8Bc1Hd6Rt3Yw5Pf0Gs8Jq2Lz7Nv",
            "Zx9Qw2Er7Ty4Ui1Op3As",
            "S3cr3tP@ss!word-not",
        ] {
            assert!(!is_placeholder(v.as_bytes()), "{v}");
        }
    }
}
