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
/// syntax (`${VAR}`, `$(VAR)`, `{{var}}`, `{name}`, `{0}`, `<token>`, `%s`,
/// `%@`, `%1$s`, `%ld`, `%.2f`); a value made of one repeated character or
/// holding a run of 8 identical characters; a run of 6 ascending characters
/// (`123456`, `abcdef`); and a name rather than a value (see
/// `is_identifier` and `is_credential_name`): the place a secret is kept
/// is not the secret.
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
        || is_identifier(value)
        || is_credential_name(value)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Template or format syntax: `${`, `$(`, `{{`, `{name}`, `{0}`, `<…>`, and
/// printf-style conversions (see `has_format_spec`).
fn is_template(value: &[u8]) -> bool {
    if [b"${".as_slice(), b"$(", b"{{"]
        .iter()
        .any(|m| contains_ignore_case(value, m))
    {
        return true;
    }
    if let Some(open) = value.iter().position(|&b| b == b'<') {
        if value[open..].contains(&b'>') {
            return true;
        }
    }
    has_brace_field(value) || has_format_spec(value)
}

/// A `{name}` or `{0}` field, as in URI templates, MessageFormat and
/// Python or Swift format strings.
fn has_brace_field(value: &[u8]) -> bool {
    value
        .split(|&b| b == b'{')
        .skip(1)
        .any(|after| match after.iter().position(|&b| b == b'}') {
            Some(end) if end > 0 => after[..end]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_'),
            _ => false,
        })
}

/// A printf-style conversion: `%s`, `%@`, `%d` anywhere; `%1$s`; a length
/// modifier (`%ld`, `%lu`, `%lld`, `%zu`, `%hhx`, `%qd`); a flag or
/// precision (`%-8s`, `%.2f`, `%+d`); and `%i %u %f %x %X %c %p` when not
/// followed by a hex digit. (`%4` + hex digit is URL encoding: `p%40ss`.)
fn has_format_spec(value: &[u8]) -> bool {
    let at = |i: usize| value.get(i).copied();
    value.iter().enumerate().any(|(i, &b)| {
        if b != b'%' {
            return false;
        }
        let Some(c) = at(i + 1) else {
            return false;
        };
        match c {
            b's' | b'@' | b'd' => true,
            b'0'..=b'9' => at(i + 2) == Some(b'$'),
            b'l' | b'z' | b'h' | b'q' | b'j' | b't' => {
                let mut j = i + 2;
                while matches!(at(j), Some(b'l' | b'h')) {
                    j += 1;
                }
                matches!(
                    at(j),
                    Some(b'd' | b'i' | b'u' | b'x' | b'X' | b's' | b'@' | b'f')
                )
            }
            b'-' | b'+' | b'.' | b'#' => {
                let mut j = i + 2;
                while at(j).is_some_and(|d| d.is_ascii_digit() || d == b'.') {
                    j += 1;
                }
                at(j).is_some_and(|d| b"sdifuxXc@".contains(&d))
            }
            b'i' | b'u' | b'f' | b'x' | b'X' | b'c' | b'p' => {
                !at(i + 2).is_some_and(|d| d.is_ascii_hexdigit())
            }
            _ => false,
        }
    })
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

/// Characters that join the words of a dotted, snake, kebab, path or
/// namespaced name.
const NAME_SEPARATORS: &[u8] = b"._-:/";

/// Longest value examined as a possible name; longer values are not names.
const MAX_NAME_LEN: usize = 256;

/// A name rather than a value: a dotted, snake_case, kebab-case, path or
/// namespaced name whose parts are all words (`java.net.socks.password`,
/// `KEY_ACCESS_TOKEN`, `x-api-key`, `/etc/passwd`,
/// `_androidx_security_master_key_`), a camelCase or PascalCase compound of
/// at least two words (`newPassword`, `popupWindowToken2`, `DefaultKey`), or
/// an Android resource reference (`@string/api_key`, `?attr/colorAccent`).
///
/// A word is letters in one casing style (`token`, `TOKEN`, `Token`,
/// `accessToken`) followed by at most three digits, so random strings, which
/// mix digits and cases freely, are not names; and at least half the parts of
/// a separated name hold a vowel, so groups of random letters (`wrb-mvm`,
/// `HSD-YOF-KKYW`, as some providers issue) are not names either. A single lowercase or
/// uppercase word (`hunter`, `pizzapizza`) is not a name either: it may well
/// be a weak password or key. URLs are left to the rules that read them.
pub(super) fn is_identifier(value: &[u8]) -> bool {
    if value.len() > MAX_NAME_LEN || contains_ignore_case(value, b"://") {
        return false;
    }
    let body = match value {
        [b'@' | b'?', rest @ ..] => rest,
        v => v,
    };
    if body.iter().any(|b| NAME_SEPARATORS.contains(b)) {
        let mut words = 0usize;
        let mut voiced = 0usize;
        for part in body.split(|b| NAME_SEPARATORS.contains(b)) {
            if part.is_empty() {
                continue;
            }
            if !is_word(part) {
                return false;
            }
            words += 1;
            voiced += usize::from(part.iter().any(|b| b"aeiouAEIOU".contains(b)));
        }
        words >= 2 && voiced * 2 >= words
    } else {
        is_word(body) && word_count(trim_digits(body)) >= 2
    }
}

/// Letters in one casing style followed by at most three digits.
fn is_word(part: &[u8]) -> bool {
    let letters = trim_digits(part);
    part.len() - letters.len() <= 3 && !letters.is_empty() && is_cased_letters(letters)
}

/// `part` without its trailing digits.
fn trim_digits(part: &[u8]) -> &[u8] {
    let end = part
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    &part[..end]
}

/// All lowercase, all uppercase, or camel/Pascal case in which every capital
/// starts a word of at least three letters (`getAccessToken`, `iPhone`).
fn is_cased_letters(letters: &[u8]) -> bool {
    if !letters.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    if letters.iter().all(u8::is_ascii_lowercase) || letters.iter().all(u8::is_ascii_uppercase) {
        return true;
    }
    let mut hump = 0usize;
    for (i, &b) in letters.iter().enumerate() {
        if b.is_ascii_uppercase() {
            if i > 0 && hump > 0 && hump < 3 {
                return false;
            }
            hump = 1;
        } else if hump > 0 {
            hump += 1;
        }
    }
    hump == 0 || hump >= 3
}

/// Number of words in camel/Pascal-case letters (capitals start words).
fn word_count(letters: &[u8]) -> usize {
    let capitals = letters.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower_start = letters.first().is_some_and(u8::is_ascii_lowercase);
    if letters.iter().all(u8::is_ascii_uppercase) {
        1
    } else {
        capitals + usize::from(lower_start)
    }
}

/// Words that name credentials. A value spelled only from them names a
/// secret (often the very field it is stored in) instead of being one.
const CREDENTIAL_WORDS: &[&str] = &[
    "access",
    "aes",
    "api",
    "app",
    "auth",
    "bearer",
    "cipher",
    "client",
    "consumer",
    "crypt",
    "crypto",
    "db",
    "default",
    "des",
    "enc",
    "encrypt",
    "encryption",
    "hmac",
    "id",
    "iv",
    "key",
    "keys",
    "license",
    "master",
    "my",
    "nonce",
    "pass",
    "passwd",
    "password",
    "private",
    "pwd",
    "refresh",
    "salt",
    "sdk",
    "secret",
    "session",
    "sign",
    "signing",
    "the",
    "token",
    "user",
    "username",
    "xor",
    "your",
];

/// Longest value checked against `CREDENTIAL_WORDS`.
const MAX_CREDENTIAL_NAME_LEN: usize = 64;

/// A value made only of credential words, in any case, joined directly or by
/// name separators and followed by at most three digits: `secretkey`,
/// `ApiKey`, `AES_KEY`, `client-secret2`, `mySecretKey`. (`vendorsecretkey`
/// is not: `vendor` is not such a word.)
pub(super) fn is_credential_name(value: &[u8]) -> bool {
    let name = trim_digits(value);
    if value.len() > MAX_CREDENTIAL_NAME_LEN || value.len() - name.len() > 3 {
        return false;
    }
    let letters: Vec<u8> = name
        .iter()
        .filter(|b| !NAME_SEPARATORS.contains(b))
        .map(u8::to_ascii_lowercase)
        .collect();
    if letters.is_empty() || !letters.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    // reachable[i]: letters[..i] splits into credential words.
    let mut reachable = vec![false; letters.len() + 1];
    reachable[0] = true;
    for start in 0..letters.len() {
        if !reachable[start] {
            continue;
        }
        for word in CREDENTIAL_WORDS {
            let end = start + word.len();
            if letters.get(start..end) == Some(word.as_bytes()) {
                reachable[end] = true;
            }
        }
    }
    reachable[letters.len()]
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
    fn more_format_syntax() {
        for v in [
            "$(API_KEY)",
            "https://api.acme.net/users/{id}/token",
            "Token {0} expired",
            "pwd=%ld",
            "key=%llu&x",
            "%zu bytes",
            "%-12s",
            "%.2f",
            "secret %x",
            "pin=%i",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        // URL-encoded bytes and literal braces are not format syntax.
        for v in [
            "p%40ssw0rd-Qz",
            "k%2Fz9%3DQw",
            "%fa%c3Zq81",
            "{}x7Qz",
            "a{b-c}9",
        ] {
            assert!(!is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn names_are_not_values() {
        for v in [
            "java.net.socks.password",
            "com.myapp.prefs.ACCESS_TOKEN",
            "KEY_ACCESS_TOKEN",
            "next_page_token2",
            "x-api-key",
            "/etc/passwd",
            "android:menu:presenters",
            "_androidx_security_master_key_",
            "newPassword",
            "popupWindowToken2",
            "DefaultKey",
            "iPhoneSecret",
            "@string/google_api_key",
            "?attr/colorAccent",
            "androidx.core.view.accessibility.AccessibilityNodeInfoCompat.HINT_TEXT_KEY",
        ] {
            assert!(is_identifier(v.as_bytes()), "{v}");
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn credential_names_are_not_credentials() {
        for v in [
            "secretkey",
            "ApiKey",
            "AES_KEY",
            "client-secret2",
            "mySecretKey",
            "accesstoken",
            "YOUR_API_TOKEN",
        ] {
            assert!(is_credential_name(v.as_bytes()), "{v}");
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        for v in [
            "vendorsecretkey",
            "123secretapikey123",
            "secretkey1234",
            "s3cretkey",
            "pizzapizza",
            "",
        ] {
            assert!(!is_credential_name(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn values_are_not_names() {
        for v in [
            // One word in one case may be a weak password or key.
            "pizzapizzapizza",
            "HUNTER",
            "Password7",
            // Random strings mix digits and cases.
            "Kl90rY79tSJ9VvqapTaRE3DylQtPMjGA",
            "w0bVCTvmiaX-caAK9G0Wuiw6rWIj0LEiRlwYjqzertEmtWSg",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "mSPBpWwSolAlPAjuz",
            "TwL_iGABfDHoTf",
            "f47ac10b-58cc-4372-a567-0e02b2c3d479",
            "2024-01-01",
            "wrb-mvm",
            "HSD-YOF-KKYW",
            // Passwords and passphrases with symbols or spaces.
            "p@ssword",
            "Lt5$HlrM",
            "This is the super secret key 123",
            "wifi-Guest.2019",
            // URLs are read by their own rules.
            "https://acme-prod.firebaseio.com",
        ] {
            assert!(!is_identifier(v.as_bytes()), "{v}");
        }
        assert!(!is_identifier(b""));
        assert!(!is_identifier("a.".repeat(200).as_bytes()));
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
