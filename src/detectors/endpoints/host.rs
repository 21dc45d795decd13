//! When a token is a hostname or an IP literal.
//!
//! Hosts inside URLs need only be well-formed: the scheme already says they
//! are hosts. Bare tokens need much more, because code is full of dotted
//! lowercase words (`this.name`, `libfoo.so`, `com.google.android`):
//!
//! * lowercase letters, digits, `-` and `.` only, at least two labels, the
//!   last alphabetic (or punycode);
//! * a known public suffix (the maintained `psl` list, compiled in) with at
//!   least one label before it;
//! * not a Java/Kotlin package or UTI: the first label is not a package root
//!   such as `com`, `org`, `android` or `public`;
//! * a suffix that rarely doubles as a file extension or an English word
//!   (see [`is_trusted_suffix`]), or else a first label that names a service
//!   (`www`, `api`, `cdn`, …).

use super::noise::{is_localhost, is_private_name};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a URL's host is.
pub(super) enum HostName {
    Ip(IpAddr),
    Name,
}

/// Checks a URL host (`bracketed` when written as `[…]`): an IP literal,
/// or a well-formed name under a known public suffix, a private-network
/// name or `localhost` (so `http://javax.xml.XMLConstants/feature` is not
/// a host).
pub(super) fn url_host(host: &[u8], bracketed: bool) -> Option<HostName> {
    let s = std::str::from_utf8(host).ok()?;
    if bracketed {
        return s.parse::<Ipv6Addr>().ok().map(|ip| HostName::Ip(ip.into()));
    }
    if s.is_empty() || s.len() > 253 {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s.parse::<Ipv4Addr>().ok().map(|ip| HostName::Ip(ip.into()));
    }
    let labels_ok = s.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80)
    });
    let has_letter = s.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80);
    let lower = s.to_ascii_lowercase();
    let resolvable =
        is_private_name(&lower) || is_localhost(&lower) || known_suffix(lower.as_bytes()).is_some();
    (labels_ok && has_letter && resolvable).then_some(HostName::Name)
}

/// First labels of Java/Kotlin package names, bundle ids and UTIs, which
/// read like reversed hostnames (`com.example.app`, `public.movie`).
const PACKAGE_ROOTS: &[&str] = &[
    "android", "androidx", "co", "com", "dalvik", "edu", "gov", "io", "java", "javax", "jdk",
    "kotlin", "kotlinx", "me", "mil", "net", "org", "public", "scala", "sun",
];

/// One-label suffixes trusted for bare hostnames besides two-letter country
/// codes: the common generic TLDs.
const TRUSTED_TLDS: &[&str] = &[
    "biz", "com", "edu", "gov", "info", "int", "io", "mil", "net", "org",
];

/// Country-code TLDs that are also common file extensions or English words
/// (`libfoo.so`, `config.h.in`, `user.id`, `item.to`): not trusted.
const AMBIGUOUS_CCTLDS: &[&str] = &[
    "ac", "ai", "am", "as", "at", "be", "by", "cc", "do", "gd", "gs", "id", "im", "in", "is", "it",
    "la", "md", "me", "mk", "ml", "mo", "ms", "my", "no", "pl", "pm", "ps", "py", "rs", "sc", "sh",
    "so", "st", "to", "us", "ws",
];

/// First labels that name a service, making a bare token with an untrusted
/// suffix a hostname (`www.shop.app`, `api.acme.dev`).
const SERVICE_LABELS: &[&str] = &[
    "api", "apis", "app", "apps", "assets", "auth", "backend", "cdn", "dev", "edge", "files",
    "ftp", "gateway", "img", "images", "login", "m", "media", "mobile", "portal", "preprod",
    "push", "qa", "sandbox", "sso", "stage", "staging", "static", "test", "uat", "web", "ws",
    "www",
];

/// The public suffix of a lowercase name, when the list knows it.
///
/// The one call into the compiled-in list: kept out of line so the large
/// lookup is instantiated once.
#[inline(never)]
pub(super) fn known_suffix(name: &[u8]) -> Option<psl::Suffix<'_>> {
    psl::suffix(name).filter(|s| s.is_known())
}

/// Whether a bare token (no scheme) is a hostname; see the module docs.
pub(super) fn bare_host(host: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(host) else {
        return false;
    };
    if s.len() > 253
        || !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return false;
    }
    let mut labels = s.split('.');
    let first = labels.next().unwrap_or("");
    let last = s.rsplit('.').next().unwrap_or("");
    let labels_ok = s
        .split('.')
        .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    if !labels_ok
        || labels.next().is_none()
        || !(last.starts_with("xn--") || last.bytes().all(|b| b.is_ascii_lowercase()))
        || PACKAGE_ROOTS.contains(&first)
    {
        return false;
    }
    let Some(suffix) = known_suffix(host) else {
        return false;
    };
    if suffix.as_bytes().len() >= host.len() {
        return false;
    }
    let suffix = std::str::from_utf8(suffix.as_bytes()).unwrap_or("");
    is_trusted_suffix(suffix) || is_service_label(first)
}

/// A public suffix that is unlikely to end a file name or an identifier:
/// multi-label (`co.uk`, `github.io`, `web.app`), a common generic TLD, or a
/// two-letter country code that is not also a word or a file extension.
fn is_trusted_suffix(suffix: &str) -> bool {
    suffix.contains('.')
        || TRUSTED_TLDS.contains(&suffix)
        || (suffix.len() == 2 && !AMBIGUOUS_CCTLDS.contains(&suffix))
}

/// Whether `label`, less a `-part` and trailing digits, names a service.
fn is_service_label(label: &str) -> bool {
    let head = label.split('-').next().unwrap_or(label);
    SERVICE_LABELS.contains(&head.trim_end_matches(|c: char| c.is_ascii_digit()))
}

/// Words that, shortly before a dotted quad, say it is an address.
const NETWORK_WORDS: &[&[u8]] = &[
    b"addr",
    b"dns",
    b"gateway",
    b"host",
    b"proxy",
    b"server",
    b"endpoint",
];

/// A standalone IPv4 literal: four decimal octets without leading zeros.
///
/// Four small numbers are just as often a version (`2.0.41.23`,
/// `1.0.0.68`), so a literal whose first octet is below 10 counts only with
/// a port or a network word (`host`, `server`, `dns`, …) in the 32 bytes
/// before it. A literal right after `version` never counts (`v1.2.3.4`
/// never reaches here: it is one token).
pub(super) fn bare_ipv4(token: &[u8], before: &[u8], has_port: bool) -> Option<Ipv4Addr> {
    if !token.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return None;
    }
    let ip = std::str::from_utf8(token).ok()?.parse::<Ipv4Addr>().ok()?;
    let window = &before[before.len().saturating_sub(32)..];
    let end = window
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b':' | b'=' | b'"' | b'\'' | b'(' | b'_'))
        .map_or(0, |i| i + 1);
    let word = &window[..end];
    let is_version = word
        .len()
        .checked_sub(7)
        .is_some_and(|i| word[i..].eq_ignore_ascii_case(b"version"));
    let lower = window.to_ascii_lowercase();
    let network_word = NETWORK_WORDS
        .iter()
        .any(|w| lower.windows(w.len()).any(|x| x == *w));
    let counts = ip.octets()[0] >= 10 || has_port || network_word;
    (counts && !is_version).then_some(ip)
}

/// A standalone IPv6 literal: only hex digits and colons, with one `::`,
/// at least three groups (one of at least three digits, one with a decimal
/// digit), letters in one case, and
/// not followed by `(` (a C++ call such as `fb::ace2(`).
pub(super) fn bare_ipv6(token: &[u8], after: &[u8]) -> Option<IpAddr> {
    if !token.iter().all(|b| b.is_ascii_hexdigit() || *b == b':')
        || after.first() == Some(&b'(')
        || !token.windows(2).any(|w| w == b"::")
    {
        return None;
    }
    let groups = || token.split(|&b| b == b':').filter(|g| !g.is_empty());
    let has_lower = token.iter().any(u8::is_ascii_lowercase);
    let has_upper = token.iter().any(u8::is_ascii_uppercase);
    if groups().count() < 3
        || !groups().any(|g| g.len() >= 3)
        || !groups().any(|g| g.iter().any(u8::is_ascii_digit))
        || (has_lower && has_upper)
    {
        return None;
    }
    let ip = std::str::from_utf8(token).ok()?.parse::<Ipv6Addr>().ok()?;
    Some(IpAddr::V6(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(s: &str) -> bool {
        bare_host(s.as_bytes())
    }

    #[test]
    fn bare_hosts_need_a_known_trusted_suffix() {
        for yes in [
            "api.acme.com",
            "acme.com",
            "cdn.acme.co.uk",
            "acme.de",
            "my-app.web.app",
            "xn--bcher-kva.ch",
            "www.acme.app",
            "api.acme.dev",
            "www.acme.pl",
            "foo.github.io",
        ] {
            assert!(host(yes), "{yes}");
        }
        for no in [
            "index.html",
            "libfoo.so",
            "Info.plist",
            "app.json",
            "config.h.in",
            "jquery.min.js",
            "main.rs",
            "setup.py",
            "archive.zip",
            "clip.mov",
            "install.sh",
            "readme.md",
            "foo.cc",
            "MyApp.app",
            "acme.dev",
            "user.id",
            "this.name",
            "item.to",
            "com.example.app",
            "com.google.android.gms",
            "com.google",
            "java.net",
            "android.app",
            "public.movie",
            "org.apache.http",
            "foo.notatld",
            "com",
            "a..b.com",
            "-a.com",
            "acme.com1",
            "Acme.com",
            "acme_api.com",
        ] {
            assert!(!host(no), "{no}");
        }
    }

    #[test]
    fn ambiguous_suffixes_are_real_public_suffixes() {
        for s in AMBIGUOUS_CCTLDS.iter().chain(TRUSTED_TLDS) {
            let name = format!("x.{s}");
            let suffix = psl::suffix(name.as_bytes()).expect(s);
            assert!(
                suffix.is_known() && suffix.as_bytes() == s.as_bytes(),
                "{s}"
            );
        }
    }

    #[test]
    fn url_hosts_need_only_be_well_formed() {
        assert!(matches!(url_host(b"intranet", false), Some(HostName::Name)));
        assert!(matches!(
            url_host("bücher.de".as_bytes(), false),
            Some(HostName::Name)
        ));
        assert!(matches!(
            url_host(b"10.0.0.1", false),
            Some(HostName::Ip(_))
        ));
        assert!(matches!(url_host(b"::1", true), Some(HostName::Ip(_))));
        for bad in [
            "",
            "1.2.3",
            "01.2.3.4",
            "%s",
            "a..b",
            "-a.com",
            "a b",
            "javax.xml.XMLConstants",
        ] {
            assert!(url_host(bad.as_bytes(), false).is_none(), "{bad}");
        }
        assert!(url_host(b"not-ipv6", true).is_none());
    }

    #[test]
    fn ipv4_literals_exclude_versions() {
        assert!(bare_ipv4(b"52.14.200.7", b"", false).is_some());
        assert!(bare_ipv4(b"10.0.0.12", b"", false).is_some());
        assert!(bare_ipv4(b"8.8.4.4", b"dns=", false).is_some());
        assert!(bare_ipv4(b"8.8.4.4", b"fallback host ", false).is_some());
        assert!(bare_ipv4(b"3.5.7.9", b"", true).is_some());
        assert!(bare_ipv4(b"2.0.41.23", b"", false).is_none());
        assert!(bare_ipv4(b"1.0.0.68", b"", false).is_none());
        assert!(bare_ipv4(b"52.1.2.3", b"Version: ", false).is_none());
        assert!(bare_ipv4(b"52.1.2.3", b"app_version=\"", true).is_none());
        assert!(bare_ipv4(b"1.2.3", b"", false).is_none());
        assert!(bare_ipv4(b"1.2.3.4.5", b"", false).is_none());
        assert!(bare_ipv4(b"256.1.1.1", b"", false).is_none());
        assert!(bare_ipv4(b"01.02.03.04", b"", false).is_none());
    }

    #[test]
    fn ipv6_literals_must_be_unambiguous() {
        for yes in [
            "2001:4860:4860::8888",
            "fe80::1ff:fe23:4567:890a",
            "FD00::1:2",
        ] {
            assert!(bare_ipv6(yes.as_bytes(), b"").is_some(), "{yes}");
        }
        for no in [
            "::1",
            "12:30:00",
            "aa:bb:cc:dd:ee:ff",
            "std::string",
            "Db::Add1",
            "dead::beef",
            "4::737",
            "6:2a::",
            "fe80::1",
        ] {
            assert!(bare_ipv6(no.as_bytes(), b"").is_none(), "{no}");
        }
        assert!(bare_ipv6(b"fb::ace2", b"(x)").is_none());
    }
}
