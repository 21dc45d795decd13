//! Cordova `config.xml` and Capacitor `capacitor.config.json` checks.

use crate::apps::{AppFiles, Issue};
use crate::formats::axml;
use crate::formats::{sniff, Kind};

/// Longest config file read.
const MAX_CONFIG: usize = 1 << 20;

/// Transport issues in the app's Cordova and Capacitor configuration:
/// rules `cordova-access-any-origin`, `cordova-allow-navigation-any`,
/// `capacitor-server-url`, `capacitor-cleartext` and
/// `capacitor-allow-navigation-wildcard`.
pub fn config_issues(files: &dyn AppFiles) -> Vec<Issue> {
    let mut out = Vec::new();
    for name in files.names() {
        let base = name.rsplit('/').next().unwrap_or(name);
        let wanted = match base {
            "config.xml" => name.ends_with("res/xml/config.xml") || is_app_root(name),
            "capacitor.config.json" => true,
            _ => false,
        };
        if !wanted {
            continue;
        }
        let Some(bytes) = files.read(name).filter(|b| b.len() <= MAX_CONFIG) else {
            continue;
        };
        if base == "config.xml" {
            cordova(name, &bytes, &mut out);
        } else {
            capacitor(name, &bytes, &mut out);
        }
    }
    out
}

/// `Payload/X.app/config.xml` (the root of an iOS app bundle).
fn is_app_root(name: &str) -> bool {
    name.strip_prefix("Payload/")
        .and_then(|rest| rest.split_once(".app/"))
        .is_some_and(|(_, file)| file == "config.xml")
}

/// One element of a config file: name, attributes, 1-based line.
type Tag = (String, Vec<(String, String)>, Option<u32>);

fn cordova(entry: &str, bytes: &[u8], out: &mut Vec<Issue>) {
    for (name, attrs, line) in elements(bytes) {
        let attr = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let issue = match (name.as_str(), attr("origin"), attr("href")) {
            ("access", Some(origin), _) if any_host(origin) => Issue::new(
                "cordova-access-any-origin",
                entry,
                origin,
                "The Cordova allow-list lets the app's web view request any origin, so \
                 injected or third-party content can reach any server.",
            ),
            ("allow-navigation", _, Some(href)) if any_host(href) => Issue::new(
                "cordova-allow-navigation-any",
                entry,
                href,
                "The web view may navigate to any URL, so a redirect or link can load \
                 attacker pages with access to the Cordova bridge.",
            ),
            _ => continue,
        };
        out.push(Issue {
            line,
            ..issue.with_symbol(format!("<{name}>"))
        });
    }
}

/// True for `*` and for URL patterns whose host is `*` (`http://*/*`).
fn any_host(pattern: &str) -> bool {
    let rest = pattern.split_once("://").map_or(pattern, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    pattern == "*" || host == "*"
}

fn elements(bytes: &[u8]) -> Vec<Tag> {
    if sniff(bytes) == Kind::Axml {
        let Ok(doc) = axml::parse(bytes) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stack: Vec<&axml::Element> =
            doc.nodes.iter().filter_map(|n| n.as_element()).collect();
        while let Some(e) = stack.pop() {
            let attrs = e
                .attributes
                .iter()
                .filter_map(|a| {
                    let v = a.value.as_str().or(a.raw_value.as_deref())?;
                    Some((a.name().to_string(), v.to_string()))
                })
                .collect();
            out.push((e.name.to_string(), attrs, None));
            stack.extend(e.elements());
        }
        return out;
    }
    std::str::from_utf8(bytes)
        .map(text_elements)
        .unwrap_or_default()
}

/// The start tags of a text XML document (comments, declarations and
/// processing instructions skipped).
fn text_elements(xml: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let line = Some(xml[..xml.len() - rest.len() + lt].matches('\n').count() as u32 + 1);
        rest = &rest[lt + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = r.split_once("-->").map_or("", |(_, r)| r);
            continue;
        }
        if rest.starts_with(['!', '?', '/']) {
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_string();
        out.push((name, attributes(&tag[name_end..]), line));
    }
    out
}

/// Byte length of a tag's body up to its `>` (quotes respected).
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    s.len()
}

/// `name="value"` pairs of a tag body.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Some(eq) = s.find('=') {
        let name = s[..eq]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let after = s[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some((value, r)) = after[1..].split_once(q) else {
            break;
        };
        out.push((name.to_string(), value.to_string()));
        s = r;
    }
    out
}

fn capacitor(entry: &str, bytes: &[u8], out: &mut Vec<Issue>) {
    let Ok(config) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return;
    };
    let server = &config["server"];
    if let Some(url) = server["url"].as_str().filter(|u| !u.is_empty()) {
        out.push(
            Issue::new(
                "capacitor-server-url",
                entry,
                url,
                "The app loads its web content from a server URL (a live-reload setting) \
                 instead of the bundled files; whoever controls that server controls the app.",
            )
            .with_symbol("server.url"),
        );
    }
    if server["cleartext"].as_bool() == Some(true) {
        out.push(
            Issue::new(
                "capacitor-cleartext",
                entry,
                "server.cleartext: true",
                "Capacitor allows cleartext HTTP in the web view, so its traffic can be \
                 read and altered on the network.",
            )
            .with_symbol("server.cleartext"),
        );
    }
    let navigation = server["allowNavigation"].as_array().into_iter().flatten();
    for host in navigation
        .filter_map(|v| v.as_str())
        .filter(|h| broad_wildcard(h))
    {
        out.push(
            Issue::new(
                "capacitor-allow-navigation-wildcard",
                entry,
                host,
                "The web view may navigate to any host the wildcard matches, with access \
                 to the native bridge.",
            )
            .with_symbol("server.allowNavigation"),
        );
    }
}

/// A wildcard that covers every host or a whole top-level domain (`*`,
/// `*.com`), unlike `*.example.com`.
fn broad_wildcard(host: &str) -> bool {
    host.strip_prefix('*')
        .is_some_and(|rest| !rest.trim_start_matches('.').contains('.'))
}
