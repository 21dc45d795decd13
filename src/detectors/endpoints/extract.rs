//! Finding endpoints (URLs, bare hostnames, IP literals) in arbitrary bytes.
//!
//! One left-to-right pass: at every token start the scanner tries, in order,
//! an absolute URL, a standalone IPv6 literal, then a bare hostname or IPv4
//! literal, and always moves past the whole token, so each byte is looked at
//! a bounded number of times whatever the input. Endpoints borrow from the
//! input; only URLs written with JSON `\/` escapes are copied (unescaped).

use super::host::{bare_host, bare_ipv4, bare_ipv6, url_host, HostName};
use std::borrow::Cow;
use std::net::IpAddr;
use std::ops::Range;

/// Longest URL taken; anything after is cut off.
const MAX_URL: usize = 2048;
/// Longest scheme of a custom-scheme URL (`com.example.app://`).
const MAX_SCHEME: usize = 32;
/// Schemes that name local resources, code or documents, never a place an
/// app talks to or is reached through.
const LOCAL_SCHEMES: &[&str] = &[
    "about",
    "android-app",
    "android.resource",
    "app",
    "asset",
    "assets",
    "blob",
    "chrome",
    "chrome-extension",
    "content",
    "data",
    "file",
    "jar",
    "javascript",
    "moz-extension",
    "ms-appx",
    "res",
    "resource",
];

/// URL schemes that are extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
    Ws,
    Wss,
    Ftp,
    /// `s3://bucket/key`: the host is an S3 bucket name.
    S3,
    /// `gs://bucket/object`: the host is a Cloud Storage bucket name.
    Gs,
    /// Any other `scheme://` (an app's deep-link scheme, or a protocol not
    /// modelled); [`Endpoint::scheme_name`] tells which.
    Custom,
}

impl Scheme {
    fn parse(s: &[u8]) -> Option<Scheme> {
        let mut buf = [0u8; 5];
        let lower = buf.get_mut(..s.len())?;
        lower.copy_from_slice(s);
        lower.make_ascii_lowercase();
        Some(match &*lower {
            b"http" => Scheme::Http,
            b"https" => Scheme::Https,
            b"ws" => Scheme::Ws,
            b"wss" => Scheme::Wss,
            b"ftp" => Scheme::Ftp,
            b"s3" => Scheme::S3,
            b"gs" => Scheme::Gs,
            _ => return None,
        })
    }

    /// The scheme as written in a URL, lowercase.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
            Scheme::Ftp => "ftp",
            Scheme::S3 => "s3",
            Scheme::Gs => "gs",
            Scheme::Custom => "custom",
        }
    }

    /// Whether the host part names a storage bucket rather than a DNS host.
    pub fn is_bucket(self) -> bool {
        matches!(self, Scheme::S3 | Scheme::Gs)
    }
}

/// What form an endpoint was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointKind {
    /// An absolute URL with a scheme.
    Url,
    /// A bare hostname (no scheme), possibly with a port.
    Host,
    /// A bare IP literal (no scheme), possibly with a port.
    Ip,
    /// A `scheme://…` URL whose scheme is not a known network protocol: a
    /// deep link when the app declares the scheme, else most likely noise.
    Custom,
}

/// One endpoint found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint<'a> {
    pub kind: EndpointKind,
    /// Set for [`EndpointKind::Url`] only.
    pub scheme: Option<Scheme>,
    /// The endpoint as found (JSON `\/` escapes undone, trailing
    /// punctuation dropped).
    pub text: Cow<'a, str>,
    /// Byte offset of the endpoint in the scanned string.
    pub offset: usize,
    /// The port written after the host, if any.
    pub port: Option<u16>,
    /// Whether a URL has a `user[:password]@` part.
    pub has_userinfo: bool,
    /// The host as an address, when it is an IP literal.
    pub ip: Option<IpAddr>,
    host: Range<usize>,
    path: Range<usize>,
    query: Range<usize>,
}

impl Endpoint<'_> {
    /// The host as written (IPv6 without brackets).
    pub fn host(&self) -> &str {
        self.text.get(self.host.clone()).unwrap_or("")
    }

    /// The path, starting with `/`, or empty.
    pub fn path(&self) -> &str {
        self.text.get(self.path.clone()).unwrap_or("")
    }

    /// The query without its `?`, or empty.
    pub fn query(&self) -> &str {
        self.text.get(self.query.clone()).unwrap_or("")
    }

    /// The query's `key=value` pairs in order (a key without `=` has an
    /// empty value); no percent-decoding.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
    }

    /// The scheme as written, lowercase (`myapp` for `MyApp://cb`); `None`
    /// for bare hosts and IPs.
    pub fn scheme_name(&self) -> Option<String> {
        self.scheme?;
        let (scheme, _) = self.text.split_once(':')?;
        Some(scheme.to_ascii_lowercase())
    }

    /// The query's keys in order.
    pub fn query_keys(&self) -> impl Iterator<Item = &str> {
        self.query_pairs().map(|(k, _)| k)
    }
}

/// Every endpoint in `text`, left to right.
pub fn extract_endpoints(text: &[u8]) -> impl Iterator<Item = Endpoint<'_>> {
    Endpoints { text, pos: 0 }
}

/// The scanning state behind [`extract_endpoints`].
struct Endpoints<'a> {
    text: &'a [u8],
    pos: usize,
}

/// Bytes that continue a token: a token starts only after something else.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-' | b'$')
}

impl<'a> Iterator for Endpoints<'a> {
    type Item = Endpoint<'a>;

    fn next(&mut self) -> Option<Endpoint<'a>> {
        let text = self.text;
        while self.pos < text.len() {
            let start = self.pos;
            let b = text[start];
            let at_token = is_word(b) && (start == 0 || !is_word(text[start - 1]));
            if !at_token {
                self.pos += 1;
                continue;
            }
            if let Some((ep, end)) = url_at(text, start) {
                self.pos = end.max(start + 1);
                return Some(ep);
            }
            let token_end = text[start..]
                .iter()
                .position(|&c| !is_word(c))
                .map_or(text.len(), |n| start + n);
            self.pos = token_end;
            if let Some(ep) = bare_at(text, start, token_end) {
                return Some(ep);
            }
        }
        None
    }
}

/// A bare IPv6, IPv4 or hostname token `text[start..end]` (a maximal run of
/// word bytes).
fn bare_at(text: &[u8], start: usize, end: usize) -> Option<Endpoint<'_>> {
    let token = &text[start..end];
    let before = &text[..start];
    let after = &text[end..];
    if let Some(ip) = bare_ipv6(token, after) {
        return Some(bare_endpoint(text, start..end, 0..token.len(), None, ip));
    }
    // An email address, a path component, a call or a format string are
    // not endpoints.
    let prev = before.last().copied();
    if prev == Some(b'%') {
        return None;
    }
    let prev2 = before.len().checked_sub(2).map(|i| before[i]);
    let next = after.first().copied();
    if prev == Some(b'@') || next == Some(b'@') || next == Some(b'(') {
        return None;
    }
    if matches!(prev, Some(b'/' | b'\\')) && prev2 != Some(b'/') {
        return None;
    }
    // `host[:port]`, allowing one leading dot (cookie domains) and trailing
    // sentence dots.
    let lead = usize::from(token.first() == Some(&b'.'));
    let host_len = token
        .iter()
        .skip(lead)
        .position(|&c| c == b':')
        .map_or(token.len(), |n| lead + n);
    let mut host_end = host_len;
    while host_end > lead && token[host_end - 1] == b'.' {
        host_end -= 1;
    }
    let host = token.get(lead..host_end)?;
    let port = match token.get(host_len..) {
        Some([]) | None => None,
        Some([b':', digits @ ..]) => Some(parse_port(digits)?),
        Some(_) => return None,
    };
    if host_end != host_len && port.is_some() {
        return None;
    }
    let span = start + lead
        ..start
            + if port.is_some() {
                token.len()
            } else {
                host_end
            };
    let host_range = 0..host.len();
    if let Some(ip) = bare_ipv4(host, before, port.is_some()) {
        return Some(bare_endpoint(text, span, host_range, port, IpAddr::V4(ip)));
    }
    if host.eq_ignore_ascii_case(b"localhost") && port.is_none() {
        return None;
    }
    if !host.eq_ignore_ascii_case(b"localhost") && !bare_host(host) {
        return None;
    }
    let s = std::str::from_utf8(&text[span.clone()]).ok()?;
    Some(Endpoint {
        kind: EndpointKind::Host,
        scheme: None,
        text: Cow::Borrowed(s),
        offset: span.start,
        port,
        has_userinfo: false,
        ip: None,
        host: host_range,
        path: 0..0,
        query: 0..0,
    })
}

fn bare_endpoint(
    text: &[u8],
    span: Range<usize>,
    host: Range<usize>,
    port: Option<u16>,
    ip: IpAddr,
) -> Endpoint<'_> {
    let s = std::str::from_utf8(&text[span.clone()]).unwrap_or("");
    Endpoint {
        kind: EndpointKind::Ip,
        scheme: None,
        text: Cow::Borrowed(s),
        offset: span.start,
        port,
        has_userinfo: false,
        ip: Some(ip),
        host,
        path: 0..0,
        query: 0..0,
    }
}

/// A port number: 1 to 5 digits, at most 65535.
fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// An absolute URL whose scheme starts at `start`: the endpoint and the
/// offset just past it. A URL with an invalid host is `None`, and its
/// bytes are then scanned as bare tokens.
fn url_at(text: &[u8], start: usize) -> Option<(Endpoint<'_>, usize)> {
    let rest = &text[start..];
    let scheme_len = rest
        .iter()
        .take(MAX_SCHEME + 1)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let scheme = match Scheme::parse(&rest[..scheme_len]) {
        Some(s) => s,
        None if is_custom_scheme(&rest[..scheme_len]) => Scheme::Custom,
        None => return None,
    };
    let after = &rest[scheme_len..];
    let (escaped, sep_len) = if after.starts_with(b"://") {
        (false, 3)
    } else if after.starts_with(br":\/\/") {
        (true, 5)
    } else {
        return None;
    };
    let body_start = start + scheme_len + sep_len;
    let body_end = body_end(text, body_start, escaped);
    let raw = &text[start..body_end];
    let url: Cow<'_, [u8]> = if escaped {
        Cow::Owned(unescape(raw))
    } else {
        Cow::Borrowed(raw)
    };
    let len = trim_trailing(&url);
    let url = match url {
        Cow::Borrowed(b) => Cow::Borrowed(&b[..len]),
        Cow::Owned(mut v) => {
            v.truncate(len);
            Cow::Owned(v)
        }
    };
    let parts = if scheme == Scheme::Custom {
        parse_custom(&url, scheme_len + 3)?
    } else {
        parse_url(&url, scheme_len + 3)?
    };
    let kind = if scheme == Scheme::Custom {
        EndpointKind::Custom
    } else {
        EndpointKind::Url
    };
    let text = match url {
        Cow::Borrowed(b) => Cow::Borrowed(std::str::from_utf8(b).ok()?),
        Cow::Owned(v) => Cow::Owned(String::from_utf8(v).ok()?),
    };
    let ep = Endpoint {
        kind,
        scheme: Some(scheme),
        text,
        offset: start,
        port: parts.port,
        has_userinfo: parts.userinfo,
        ip: parts.ip,
        host: parts.host,
        path: parts.path,
        query: parts.query,
    };
    Some((ep, body_end))
}

/// Whether `s` is a scheme worth keeping as a custom-scheme URL: RFC 3986
/// syntax (a letter, then letters, digits, `+`, `.`, `-`), 2 to
/// [`MAX_SCHEME`] bytes, not a local-resource scheme.
fn is_custom_scheme(s: &[u8]) -> bool {
    let Some(first) = s.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || s.len() < 2 || s.len() > MAX_SCHEME {
        return false;
    }
    // A dotted scheme is a reversed domain (`com.example.app`): each label
    // starts with a letter, so version strings and numbers do not pass.
    if s.last() == Some(&b'.') || s.split(|&b| b == b'.').any(|l| l.is_empty()) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !LOCAL_SCHEMES
        .iter()
        .any(|l| l.as_bytes() == lower.as_slice())
}

/// The parts of a custom-scheme URL (its authority starting at `auth`):
/// the authority may be empty (`myapp:///open`) or a single label
/// (`myapp://callback`), but holds only host characters; the URL must
/// have something after `://`.
fn parse_custom(url: &[u8], auth: usize) -> Option<UrlParts> {
    let rest = url.get(auth..)?;
    if rest.is_empty() {
        return None;
    }
    let auth_len = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..auth_len];
    let at = authority.iter().rposition(|&b| b == b'@');
    let host_start = at.map_or(0, |i| i + 1);
    let hostport = &authority[host_start..];
    let (host, port) = match hostport.iter().rposition(|&b| b == b':') {
        Some(c) => (&hostport[..c], Some(parse_port(&hostport[c + 1..])?)),
        None => (hostport, None),
    };
    let host_ok = host
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if !host_ok || (host.is_empty() && auth_len == rest.len()) {
        return None;
    }
    let host_off = auth + host_start;
    let (path, query) = path_and_query(url, auth + auth_len);
    Some(UrlParts {
        host: host_off..host_off + host.len(),
        port,
        userinfo: at.is_some(),
        ip: None,
        path,
        query,
    })
}

/// Where the URL starting its body at `from` ends.
fn body_end(text: &[u8], from: usize, escaped: bool) -> usize {
    let limit = text.len().min(from.saturating_add(MAX_URL));
    let mut i = from;
    while i < limit {
        let b = text[i];
        let stop = match b {
            0..=0x20 | 0x7f => true,
            b'"' | b'\'' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'^' => true,
            b'\\' => !(escaped && text.get(i + 1) == Some(&b'/')),
            _ => false,
        };
        if stop {
            break;
        }
        i += match b {
            b'\\' => 2,
            0x80.. => match utf8_char_len(&text[i..]) {
                Some(n) => n,
                None => break,
            },
            _ => 1,
        };
    }
    i.min(limit)
}

/// Length of the valid UTF-8 character at the start of `s`.
fn utf8_char_len(s: &[u8]) -> Option<usize> {
    let n = match s.first()? {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    std::str::from_utf8(s.get(..n)?).ok().map(str::len)
}

/// Removes JSON `\/` escapes.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' && raw.get(i + 1) == Some(&b'/') {
            i += 1;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// Length of `url` without trailing sentence punctuation and unbalanced
/// closing brackets.
fn trim_trailing(url: &[u8]) -> usize {
    let mut n = url.len();
    while let Some(&b) = n.checked_sub(1).and_then(|i| url.get(i)) {
        let strip = match b {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*' => true,
            b')' => count(&url[..n], b'(') < count(&url[..n], b')'),
            b']' => count(&url[..n], b'[') < count(&url[..n], b']'),
            _ => false,
        };
        if !strip {
            break;
        }
        n -= 1;
    }
    n
}

fn count(s: &[u8], b: u8) -> usize {
    s.iter().filter(|&&c| c == b).count()
}

/// The parts of a URL, as ranges into it.
struct UrlParts {
    host: Range<usize>,
    port: Option<u16>,
    userinfo: bool,
    ip: Option<IpAddr>,
    path: Range<usize>,
    query: Range<usize>,
}

/// The path and query ranges of `url`, whose authority ends at `after_auth`.
fn path_and_query(url: &[u8], after_auth: usize) -> (Range<usize>, Range<usize>) {
    let tail = url.get(after_auth..).unwrap_or_default();
    let path_len = tail
        .iter()
        .position(|&b| matches!(b, b'?' | b'#'))
        .unwrap_or(tail.len());
    let path = after_auth..after_auth + path_len;
    let query = match tail.get(path_len + 1..) {
        Some(q) if tail.get(path_len) == Some(&b'?') => {
            let q_len = q.iter().position(|&b| b == b'#').unwrap_or(q.len());
            path.end + 1..path.end + 1 + q_len
        }
        _ => path.end..path.end,
    };
    (path, query)
}

/// Splits `url` (its authority starting at `auth`) into parts; `None` when
/// the host is not a valid host name or IP literal.
fn parse_url(url: &[u8], auth: usize) -> Option<UrlParts> {
    let rest = url.get(auth..)?;
    let auth_len = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..auth_len];
    let at = authority.iter().rposition(|&b| b == b'@');
    let host_start = at.map_or(0, |i| i + 1);
    let hostport = &authority[host_start..];
    let (host, port_part, bracketed) = if hostport.first() == Some(&b'[') {
        let close = hostport.iter().position(|&b| b == b']')?;
        (&hostport[1..close], &hostport[close + 1..], true)
    } else {
        match hostport.iter().rposition(|&b| b == b':') {
            Some(c) => (&hostport[..c], &hostport[c..], false),
            None => (hostport, &hostport[hostport.len()..], false),
        }
    };
    let port = match port_part {
        [] => None,
        [b':', digits @ ..] => Some(parse_port(digits)?),
        _ => return None,
    };
    let ip = match url_host(host, bracketed)? {
        HostName::Ip(ip) => Some(ip),
        HostName::Name => None,
    };
    let host_off = auth + host_start + usize::from(bracketed);
    let (path, query) = path_and_query(url, auth + auth_len);
    Some(UrlParts {
        host: host_off..host_off + host.len(),
        port,
        userinfo: at.is_some(),
        ip,
        path,
        query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Endpoint<'_>> {
        extract_endpoints(text.as_bytes()).collect()
    }

    fn texts(text: &str) -> Vec<String> {
        all(text).iter().map(|e| e.text.to_string()).collect()
    }

    #[test]
    fn url_parts() {
        let eps = all("GET https://user@api.acme.com:8443/v1/items?id=7&api_key=k#frag now");
        assert_eq!(eps.len(), 1);
        let e = &eps[0];
        assert_eq!(e.kind, EndpointKind::Url);
        assert_eq!(e.scheme, Some(Scheme::Https));
        assert_eq!(e.host(), "api.acme.com");
        assert_eq!(e.port, Some(8443));
        assert_eq!(e.path(), "/v1/items");
        assert_eq!(e.query(), "id=7&api_key=k");
        assert_eq!(e.query_keys().collect::<Vec<_>>(), ["id", "api_key"]);
        assert!(e.has_userinfo);
        assert_eq!(e.offset, 4);
        assert_eq!(
            e.text,
            "https://user@api.acme.com:8443/v1/items?id=7&api_key=k#frag"
        );
    }

    #[test]
    fn urls_inside_longer_strings_and_punctuation() {
        assert_eq!(
            texts("see (https://acme.com/a_(b)), or \"http://x.acme.io/p?q=1\"; done."),
            ["https://acme.com/a_(b)", "http://x.acme.io/p?q=1"]
        );
        assert_eq!(
            texts("at https://acme.com/docs."),
            ["https://acme.com/docs"]
        );
        assert_eq!(texts("'wss://rt.acme.com:443'"), ["wss://rt.acme.com:443"]);
        assert_eq!(texts("<a href=https://acme.com/x>"), ["https://acme.com/x"]);
        assert_eq!(texts("HTTPS://ACME.COM/"), ["HTTPS://ACME.COM/"]);
        assert_eq!(
            texts("ftp://files.acme.com/pub"),
            ["ftp://files.acme.com/pub"]
        );
    }

    #[test]
    fn other_schemes_and_bad_hosts_are_ignored() {
        assert!(all("file:///etc/hosts").is_empty());
        assert!(all("mailto:someone@acme.com").is_empty());
        assert!(all("content://com.acme.provider/items").is_empty());
        assert!(all("sftp://").is_empty());
        assert!(all("https://%s/path").is_empty());
        assert!(all("http://:80/").is_empty());
        assert!(all("https://acme.com:99999/").is_empty());
    }

    #[test]
    fn custom_scheme_urls_are_their_own_kind() {
        let e = &all("open myapp://callback?token=abc123&x=1 now")[0];
        assert_eq!(
            (e.kind, e.scheme),
            (EndpointKind::Custom, Some(Scheme::Custom))
        );
        assert_eq!(e.text, "myapp://callback?token=abc123&x=1");
        assert_eq!(e.scheme_name().as_deref(), Some("myapp"));
        assert_eq!(
            (e.host(), e.path(), e.query()),
            ("callback", "", "token=abc123&x=1")
        );
        let e = &all("\"com.Example.App:///oauth/done\"")[0];
        assert_eq!(e.scheme_name().as_deref(), Some("com.example.app"));
        assert_eq!((e.host(), e.path()), ("", "/oauth/done"));
        assert_eq!(
            all("https://acme.com/x")[0].scheme_name().as_deref(),
            Some("https")
        );
        assert_eq!(all("api.acme.com")[0].scheme_name(), None);
        for no in [
            "myapp://",
            "x://a",
            "1app://a",
            "a..b://c",
            "javascript://x",
            "android.resource://com.acme/raw/x",
            "myapp://%s/x",
            "thisschemeiswaytoolongtobeanyrealscheme://x",
        ] {
            assert!(
                all(no).iter().all(|e| e.kind != EndpointKind::Custom),
                "{no}: {:?}",
                texts(no)
            );
        }
    }

    #[test]
    fn json_escaped_urls_are_unescaped() {
        let eps = all(r#"{"url":"https:\/\/api.acme.com\/v1\/x?a=b"}"#);
        assert_eq!(eps.len(), 1);
        assert_eq!(eps[0].text, "https://api.acme.com/v1/x?a=b");
        assert_eq!(eps[0].host(), "api.acme.com");
        assert_eq!(eps[0].path(), "/v1/x");
        assert!(matches!(eps[0].text, Cow::Owned(_)));
        assert!(matches!(all("https://a.com/x")[0].text, Cow::Borrowed(_)));
    }

    #[test]
    fn idn_and_punycode_hosts() {
        assert_eq!(all("https://bücher.de/x")[0].host(), "bücher.de");
        assert_eq!(
            all("https://xn--bcher-kva.de/x")[0].host(),
            "xn--bcher-kva.de"
        );
        assert_eq!(texts("xn--bcher-kva.ch"), ["xn--bcher-kva.ch"]);
    }

    #[test]
    fn ip_literals() {
        let e = &all("http://[2001:4860::8888]:8080/dns")[0];
        assert_eq!(e.host(), "2001:4860::8888");
        assert_eq!(e.port, Some(8080));
        assert_eq!(e.ip, Some("2001:4860::8888".parse().unwrap()));
        let e = &all("http://10.0.0.1/")[0];
        assert_eq!(e.ip, Some("10.0.0.1".parse().unwrap()));
        let e = &all("server=52.14.200.7:443;")[0];
        assert_eq!(
            (e.kind, e.port, e.host()),
            (EndpointKind::Ip, Some(443), "52.14.200.7")
        );
        assert_eq!(
            all("fe80::1ff:fe23:4567:890a%eth0")[0].kind,
            EndpointKind::Ip
        );
        for no in [
            "v1.2.3.4",
            "version: 1.2.3.4",
            "1.2.3.4.5",
            "12:30:00",
            "std::map",
            "a.1.2.3.4",
        ] {
            assert!(all(no).iter().all(|e| e.kind != EndpointKind::Ip), "{no}");
        }
    }

    #[test]
    fn bare_hosts() {
        assert_eq!(
            texts("connect to api.acme.com:443 now"),
            ["api.acme.com:443"]
        );
        assert_eq!(all("api.acme.com:443")[0].port, Some(443));
        assert_eq!(texts("cookie domain .acme.com."), ["acme.com"]);
        assert_eq!(texts("//cdn.acme.com/lib.js"), ["cdn.acme.com"]);
        assert_eq!(texts("localhost:8080"), ["localhost:8080"]);
        for no in [
            "support@acme.com",
            "/sdcard/acme.com",
            "user.name@x",
            "acme.com(x)",
            "localhost",
            "com.acme.app.MainActivity",
            "res/layout/main.xml",
            "libfoo.so",
            "acme.com:abc",
            "foo.bar",
            "this.state.name",
            "%s.acme.com",
        ] {
            assert!(all(no).is_empty(), "{no}: {:?}", texts(no));
        }
    }

    #[test]
    fn garbage_is_scanned_in_bounded_work() {
        // Long runs of every token kind: each byte is visited a bounded
        // number of times, so this finishes quickly.
        let mut junk = Vec::new();
        for i in 0..(64 * 1024) {
            junk.push(b"ah:/.1:f-9%\\x"[i % 13]);
        }
        let _ = extract_endpoints(&junk).count();
        let dots = vec![b'.'; 64 * 1024];
        assert_eq!(extract_endpoints(&dots).count(), 0);
        let mut urls = b"https://".repeat(8 * 1024);
        urls.extend(vec![b'a'; 64 * 1024]);
        let _ = extract_endpoints(&urls).count();
        let long = format!("https://acme.com/{}", "a".repeat(10_000));
        assert_eq!(all(&long)[0].text.len(), MAX_URL + "https://".len());
    }
}
