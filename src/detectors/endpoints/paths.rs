//! API path templates (`/api/v2/users/{id}`, `v1/orders/:id`) joined onto
//! the base URL named in the same class.
//!
//! Strings reach the scan one at a time, each with the symbol (the DEX
//! class) that uses it. [`PathJoiner::observe`] keeps, per symbol, the base
//! URLs and the relative API paths it names; [`PathJoiner::apply`] then
//! attaches the joined paths to the base URL's sighting, when the symbol
//! names exactly one base URL. A path whose class names no base URL, or
//! several, is not recorded: its host is unknown, and guessing it from
//! another class would invent endpoints the app may never call.

use super::inventory::{Sighting, MAX_PATHS};
use std::collections::HashMap;

/// Longest string read as an API path.
const MAX_PATH_LEN: usize = 200;
/// Symbols followed per entry (each with its bases and paths).
const MAX_SYMBOLS: usize = 20_000;
/// Deepest base URL path (`https://h/api/v2/` has 2 segments).
const MAX_BASE_SEGMENTS: usize = 3;

/// First segments of paths on the device or inside a package, not on a
/// server (`/system/bin/sh`, `res/drawable/x.png`).
const LOCAL_ROOTS: &[&str] = &[
    "acct",
    "android_asset",
    "apex",
    "applications",
    "assets",
    "bin",
    "cache",
    "data",
    "dev",
    "etc",
    "home",
    "lib",
    "lib64",
    "library",
    "meta-inf",
    "mnt",
    "odm",
    "opt",
    "private",
    "proc",
    "product",
    "res",
    "root",
    "sbin",
    "sdcard",
    "storage",
    "sys",
    "system",
    "system_ext",
    "tmp",
    "usr",
    "var",
    "vendor",
];

/// First segments of Java and Kotlin package paths (`com/google/gson`).
const PACKAGE_ROOTS: &[&str] = &[
    "android",
    "androidx",
    "com",
    "dagger",
    "dalvik",
    "io",
    "java",
    "javax",
    "junit",
    "kotlin",
    "kotlinx",
    "net",
    "okhttp3",
    "okio",
    "org",
    "retrofit2",
    "sun",
];

/// Top-level MIME types (`application/json` is not a path).
const MIME_TOPS: &[&str] = &[
    "application",
    "audio",
    "font",
    "image",
    "message",
    "model",
    "multipart",
    "text",
    "video",
];

/// Extensions of files rather than API resources.
const FILE_EXTENSIONS: &[&str] = &[
    "aar",
    "apk",
    "arsc",
    "bin",
    "bks",
    "bmp",
    "c",
    "car",
    "cer",
    "class",
    "conf",
    "cpp",
    "crt",
    "css",
    "dat",
    "db",
    "der",
    "dex",
    "gif",
    "gz",
    "h",
    "htm",
    "html",
    "ico",
    "ini",
    "jar",
    "java",
    "jks",
    "jpeg",
    "jpg",
    "js",
    "kt",
    "log",
    "m4a",
    "md",
    "mjs",
    "mov",
    "mp3",
    "mp4",
    "nib",
    "ogg",
    "otf",
    "p12",
    "pdf",
    "pem",
    "plist",
    "png",
    "properties",
    "proto",
    "py",
    "realm",
    "sh",
    "smali",
    "so",
    "sqlite",
    "strings",
    "svg",
    "swift",
    "tar",
    "tflite",
    "ttf",
    "txt",
    "wasm",
    "wav",
    "webm",
    "webp",
    "woff",
    "woff2",
    "xml",
    "yaml",
    "yml",
    "zip",
];

/// One path segment's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    /// `{id}` or `:id`.
    Placeholder,
    Literal,
}

/// An identifier: a letter or `_`, then letters, digits or `_`.
fn is_ident(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn segment(seg: &str) -> Option<Segment> {
    if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        return is_ident(inner).then_some(Segment::Placeholder);
    }
    if let Some(name) = seg.strip_prefix(':') {
        return is_ident(name).then_some(Segment::Placeholder);
    }
    let literal = seg
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    literal.then_some(Segment::Literal)
}

/// The extension of `seg` (after its last `.`), lowercase, if it has one.
fn extension(seg: &str) -> Option<String> {
    let (_, ext) = seg.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// `text` when the whole string is a relative API path or path template:
/// at least two segments or a `{name}` / `:name` placeholder, no spaces,
/// query or scheme, and not a device path, package path, MIME type, date
/// format or file name.
pub fn api_path(text: &[u8]) -> Option<&str> {
    if text.len() > MAX_PATH_LEN * 2 || !text.contains(&b'/') {
        return None;
    }
    let t = std::str::from_utf8(text).ok()?.trim_ascii();
    if t.len() < 3 || t.len() > MAX_PATH_LEN || t.contains("//") || t.contains("..") {
        return None;
    }
    let body = t.strip_prefix('/').unwrap_or(t);
    let body = body.strip_suffix('/').unwrap_or(body);
    let segments: Vec<&str> = body.split('/').collect();
    let mut placeholders = 0usize;
    let mut worded = false;
    for seg in &segments {
        match segment(seg)? {
            Segment::Placeholder => placeholders += 1,
            Segment::Literal => {
                worded |= seg.bytes().filter(u8::is_ascii_alphabetic).count() >= 2;
            }
        }
    }
    if !worded || (segments.len() < 2 && placeholders == 0) {
        return None;
    }
    let first = segments.first()?.to_ascii_lowercase();
    let local = LOCAL_ROOTS.contains(&first.as_str()) || PACKAGE_ROOTS.contains(&first.as_str());
    let mime = segments.len() == 2 && MIME_TOPS.contains(&first.as_str());
    // `api.example.com/v1` is a host, not a relative path.
    let host_like = extension(&first)
        .is_some_and(|e| e.len() >= 2 && e.bytes().all(|b| b.is_ascii_alphabetic()));
    let file = segments
        .last()
        .and_then(|s| extension(s))
        .is_some_and(|e| FILE_EXTENSIONS.contains(&e.as_str()));
    // `dd/MM/yyyy`, `HH/mm`.
    let date = segments.iter().all(|s| {
        let mut b = s.bytes();
        b.next()
            .is_some_and(|c| c.is_ascii_alphabetic() && b.all(|d| d == c))
    });
    (!(local || mime || host_like || file || date)).then_some(t)
}

/// Whether `text`, which produced the one `sighting`, is a base URL: the
/// whole string is an `http(s)://` URL without query, fragment or template,
/// with a short path that names no file.
pub fn is_base_url(text: &[u8], sighting: &Sighting) -> bool {
    if sighting.kind != "url" || !matches!(sighting.scheme.as_deref(), Some("http" | "https")) {
        return false;
    }
    let Ok(t) = std::str::from_utf8(text) else {
        return false;
    };
    let t = t.trim_ascii();
    if t.trim_end_matches('/') != sighting.endpoint {
        return false;
    }
    let path = base_path(&sighting.endpoint);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments.len() <= MAX_BASE_SEGMENTS
        && segments
            .iter()
            .all(|s| segment(s) == Some(Segment::Literal))
        && segments.last().and_then(|s| extension(s)).is_none()
}

/// The path of a URL without query (`/v2` of `https://h/v2`), or empty.
fn base_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("", |i| &rest[i..])
}

/// The path `path` resolves to against `base` (a URL without trailing `/`),
/// read as a directory the way Retrofit base URLs are: a relative path
/// is appended to the base's path, an absolute one replaces it.
pub fn join(base: &str, path: &str) -> String {
    let path = path.trim_end_matches('/');
    if path.starts_with('/') {
        return path.to_string();
    }
    format!("{}/{path}", base_path(base).trim_end_matches('/'))
}

/// Base URLs and API paths per symbol, for one entry.
#[derive(Debug, Default)]
pub struct PathJoiner {
    /// Up to two distinct base URLs per symbol (two already make it
    /// ambiguous).
    bases: HashMap<String, Vec<String>>,
    paths: HashMap<String, Vec<String>>,
}

impl PathJoiner {
    /// Looks at one string: `sightings` are the endpoints found in it.
    /// Only strings with a symbol take part.
    pub fn observe(&mut self, text: &[u8], symbol: Option<&str>, sightings: &[Sighting]) {
        let Some(symbol) = symbol else {
            return;
        };
        let room = self.bases.len() + self.paths.len() < MAX_SYMBOLS;
        match sightings {
            [] => {
                let Some(path) = api_path(text) else {
                    return;
                };
                if !room && !self.paths.contains_key(symbol) {
                    return;
                }
                let paths = self.paths.entry(symbol.to_string()).or_default();
                if paths.len() < MAX_PATHS && !paths.iter().any(|p| p == path) {
                    paths.push(path.to_string());
                }
            }
            [one] if is_base_url(text, one) => {
                if !room && !self.bases.contains_key(symbol) {
                    return;
                }
                let bases = self.bases.entry(symbol.to_string()).or_default();
                if bases.len() < 2 && !bases.contains(&one.endpoint) {
                    bases.push(one.endpoint.clone());
                }
            }
            _ => {}
        }
    }

    /// Attaches the joined paths of each symbol that names exactly one base
    /// URL to that base's sighting, when the base or the path reads like an
    /// API (a placeholder, or an `api`/`v2`/`graphql`… segment): a class
    /// joining folder names to a download URL is not calling an API.
    /// (sighting, symbol).
    pub fn apply(self, endpoints: &mut [(Sighting, Option<String>)]) {
        for (sighting, symbol) in endpoints {
            let Some(symbol) = symbol.as_deref() else {
                continue;
            };
            let (Some([base]), Some(paths)) = (
                self.bases.get(symbol).map(Vec::as_slice),
                self.paths.get(symbol),
            ) else {
                continue;
            };
            if sighting.kind != "url" || *base != sighting.endpoint {
                continue;
            }
            let mut joined: Vec<String> = paths
                .iter()
                .filter(|p| api_like(base, p))
                .map(|p| join(base, p))
                .collect();
            joined.sort();
            joined.dedup();
            sighting.paths = joined;
        }
    }
}

/// Segments that mark an API path.
const API_SEGMENTS: &[&str] = &[
    "api", "apis", "rest", "graphql", "rpc", "oauth", "oauth2", "auth", "services", "ws",
];

/// Whether `path` joined to `base` reads like an API call.
fn api_like(base: &str, path: &str) -> bool {
    if path.contains('{') || path.starts_with(':') || path.contains("/:") {
        return true;
    }
    let base_path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or("", |(_, p)| p);
    let host = base
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    let marked = |segment: &str| {
        let s = segment.to_ascii_lowercase();
        API_SEGMENTS.contains(&s.as_str())
            || s.strip_prefix('v').is_some_and(|n| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            })
    };
    host.split('.')
        .next()
        .is_some_and(|l| l.eq_ignore_ascii_case("api"))
        || base_path.split('/').chain(path.split('/')).any(marked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::endpoints::extract_endpoints;

    #[test]
    fn only_api_like_joins_are_kept() {
        assert!(api_like("https://example.com", "/users/{id}"));
        assert!(api_like("https://example.com/api", "users/list"));
        assert!(api_like("https://api.example.com", "users/list"));
        assert!(api_like("https://example.com", "/v2/users"));
        assert!(!api_like(
            "https://raw.githubusercontent.com/radare/radare2-bin",
            "/radare2/bin"
        ));
        assert!(!api_like("https://example.com/files", "docs/readme"));
    }

    fn sighting(url: &str) -> Sighting {
        extract_endpoints(url.as_bytes())
            .find_map(|e| Sighting::of(&e))
            .unwrap()
    }

    #[test]
    fn api_paths_are_recognised_strictly() {
        for yes in [
            "/api/v2/users/{id}",
            "v1/orders/:id",
            "users/{userId}/posts",
            "/api/v2/users/",
            "{id}/comments",
            "auth/login",
            "/1.1/statuses/home_timeline.json",
            " api/v3/search ",
        ] {
            assert!(api_path(yes.as_bytes()).is_some(), "{yes}");
        }
        for no in [
            "/login",
            "users",
            "/system/bin/sh",
            "res/drawable/x.png",
            "application/json",
            "text/plain",
            "com/google/gson/internal",
            "Lcom/acme/Api;",
            "dd/MM/yyyy",
            "a/b",
            "api/v1 users",
            "search?q=1",
            "https://api.acme.com/v1",
            "//cdn.acme.com/lib",
            "api.acme.com/v1/x",
            "../etc/passwd",
            "users/{}",
            "users/{id",
            "images/icons/logo.svg",
            "%s/%s",
            "/",
        ] {
            assert!(api_path(no.as_bytes()).is_none(), "{no}");
        }
        assert!(api_path(&[b'a'; 300]).is_none());
    }

    #[test]
    fn base_urls_are_whole_short_urls() {
        let s = sighting("https://api.acme.com/v2/");
        assert!(is_base_url(b"https://api.acme.com/v2/", &s));
        assert!(is_base_url(b"https://api.acme.com/v2", &s));
        let root = sighting("https://api.acme.com");
        assert!(is_base_url(b"https://api.acme.com/", &root));
        // A URL inside a sentence, a file, a query, a template, other schemes.
        assert!(!is_base_url(b"see https://api.acme.com/v2", &s));
        let file = sighting("https://cdn.acme.com/img/logo.png");
        assert!(!is_base_url(b"https://cdn.acme.com/img/logo.png", &file));
        let query = sighting("https://api.acme.com/v2?key=1");
        assert!(!is_base_url(b"https://api.acme.com/v2?key=1", &query));
        let deep = sighting("https://api.acme.com/a/b/c/d");
        assert!(!is_base_url(b"https://api.acme.com/a/b/c/d", &deep));
        let ws = sighting("wss://rt.acme.com");
        assert!(!is_base_url(b"wss://rt.acme.com", &ws));
    }

    #[test]
    fn joins_like_retrofit() {
        assert_eq!(join("https://h.com/v2", "users/{id}"), "/v2/users/{id}");
        assert_eq!(join("https://h.com", "users/{id}/"), "/users/{id}");
        assert_eq!(join("https://h.com/v2", "/auth/login"), "/auth/login");
    }

    fn observe(j: &mut PathJoiner, text: &str, symbol: Option<&str>) {
        let found: Vec<Sighting> = extract_endpoints(text.as_bytes())
            .filter_map(|e| Sighting::of(&e))
            .collect();
        j.observe(text.as_bytes(), symbol, &found);
    }

    #[test]
    fn paths_join_the_one_base_url_of_their_class() {
        let mut j = PathJoiner::default();
        observe(&mut j, "https://api.acme.com/v2/", Some("com.acme.Api"));
        observe(&mut j, "users/{id}", Some("com.acme.Api"));
        observe(&mut j, "/auth/login/", Some("com.acme.Api"));
        observe(&mut j, "users/{id}", Some("com.acme.Api"));
        // Another class's path, a path without symbol, and a class with two
        // base URLs are not joined.
        observe(&mut j, "orders/{id}", Some("com.acme.Other"));
        observe(&mut j, "carts/{id}", None);
        observe(&mut j, "https://a.acme.com", Some("com.acme.Two"));
        observe(&mut j, "https://b.acme.com", Some("com.acme.Two"));
        observe(&mut j, "items/{id}", Some("com.acme.Two"));
        let mut endpoints = vec![
            (
                sighting("https://api.acme.com/v2"),
                Some("com.acme.Api".into()),
            ),
            (
                sighting("https://api.acme.com/v2"),
                Some("com.acme.Other".into()),
            ),
            (sighting("https://a.acme.com"), Some("com.acme.Two".into())),
        ];
        j.apply(&mut endpoints);
        assert_eq!(endpoints[0].0.paths, ["/auth/login", "/v2/users/{id}"]);
        assert!(endpoints[1].0.paths.is_empty());
        assert!(endpoints[2].0.paths.is_empty());
    }

    #[test]
    fn paths_per_symbol_are_bounded() {
        let mut j = PathJoiner::default();
        observe(&mut j, "https://api.acme.com", Some("A"));
        for i in 0..(MAX_PATHS * 2) {
            observe(&mut j, &format!("v1/items{i}/{{id}}"), Some("A"));
        }
        let mut endpoints = vec![(sighting("https://api.acme.com"), Some("A".into()))];
        j.apply(&mut endpoints);
        assert_eq!(endpoints[0].0.paths.len(), MAX_PATHS);
    }
}
