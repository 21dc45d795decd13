//! The endpoint inventory: every backend an app names, not only the risky
//! ones. Sightings are collected per string during the scan and grouped per
//! scanned file by [`Inventory`].

use super::extract::{Endpoint, EndpointKind};
use super::host::known_suffix;
use super::noise::is_noise;
use super::SDK_PREFIXES;
use crate::findings::mask;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Locations kept per inventory record.
const MAX_LOCATIONS: usize = 5;
/// API paths kept per inventory record.
pub const MAX_PATHS: usize = 50;

/// One endpoint seen in one string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sighting {
    /// The endpoint without query or fragment (`https://api.example.com/v2/users`,
    /// `api.example.com:8443`, `10.0.0.7`): queries may carry credentials and
    /// vary per call.
    pub endpoint: String,
    /// `url`, `host`, `ip`, or `custom` (a `scheme://` URL of a scheme not
    /// known as a network protocol: kept only when the app declares it).
    pub kind: String,
    /// The URL scheme, for URLs.
    pub scheme: Option<String>,
    /// The host, lowercase.
    pub host: String,
    /// The registrable domain (`example.co.uk`), when the host is a name with
    /// a known public suffix.
    pub domain: Option<String>,
    /// API paths (`/v2/users/{id}`) named next to this base URL in the same
    /// class, joined onto its path; sorted, at most [`MAX_PATHS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
}

impl Sighting {
    /// The inventory form of `ep`, or `None` for noise (schema URIs,
    /// documentation links, reserved example names).
    pub(super) fn of(ep: &Endpoint<'_>) -> Option<Sighting> {
        let host = ep.host().trim_end_matches('.').to_ascii_lowercase();
        let custom = ep.kind == EndpointKind::Custom;
        if !custom && (host.is_empty() || is_noise(&host, ep.path(), ep.ip)) {
            return None;
        }
        let text = ep.text.as_ref();
        let end = text.find(['?', '#']).unwrap_or(text.len());
        let mut endpoint = text[..end].trim_end_matches('/').to_string();
        if ep.has_userinfo {
            // `scheme://user:password@host`: credentials are findings, not
            // inventory.
            if let (Some(start), Some(at)) = (endpoint.find("://"), endpoint.find('@')) {
                if at > start {
                    endpoint.replace_range(start + 3..=at, "");
                }
            }
        }
        let kind = match ep.kind {
            EndpointKind::Url => "url",
            EndpointKind::Host => "host",
            EndpointKind::Ip => "ip",
            EndpointKind::Custom => "custom",
        };
        // A deep link's host names a screen of the app, not a server.
        let domain = match ep.ip {
            Some(_) => None,
            None if custom => None,
            None => registrable_domain(&host),
        };
        Some(Sighting {
            endpoint,
            kind: kind.to_string(),
            scheme: ep.scheme_name(),
            host,
            domain,
            paths: Vec::new(),
        })
    }
}

/// The registrable domain of a lowercase host name: its public suffix plus
/// one label.
pub fn registrable_domain(host: &str) -> Option<String> {
    let suffix = known_suffix(host.as_bytes())?;
    let suffix = std::str::from_utf8(suffix.as_bytes()).ok()?;
    let head = host.strip_suffix(suffix)?.strip_suffix('.')?;
    let owner = head.rsplit('.').next().filter(|l| !l.is_empty())?;
    Some(format!("{owner}.{suffix}"))
}

/// Who operates an endpoint, as far as the binary tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The app's own backend: same registrable domain as the app id, or
    /// named only from the app's own code.
    First,
    /// Named only from a well-known SDK's code.
    Third,
    /// Neither can be told.
    Unknown,
}

/// Where an endpoint was seen.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Seen {
    /// Path inside the scanned file (`base.apk!/classes2.dex`).
    pub path: String,
    /// Class, symbol or key holding the string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
}

/// One unique endpoint of a scanned file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointRecord {
    pub endpoint: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub party: Party,
    /// The SDK package that holds it, when every sighting is in one SDK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk: Option<String>,
    /// How many distinct places (entry, symbol) name it.
    pub count: usize,
    /// The first few of those places.
    pub locations: Vec<Seen>,
    /// API paths named next to this base URL in the same class, joined
    /// onto it (`/v2/users/{id}`); at most [`MAX_PATHS`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// What the app's own configuration says about this host: cleartext
    /// permitted or blocked, pinning excluded (see
    /// `apps::transport::annotate_records`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
}

/// Groups the sightings of one scanned file into unique endpoints.
#[derive(Debug, Default)]
pub struct Inventory {
    by_endpoint: BTreeMap<String, (Sighting, Vec<Seen>)>,
    /// URL schemes the file's apps declare (lowercase).
    schemes: Vec<String>,
}

impl Inventory {
    /// Records `sighting` at `seen`.
    pub fn add(&mut self, sighting: Sighting, seen: Seen) {
        match self.by_endpoint.get_mut(&sighting.endpoint) {
            Some((kept, places)) => {
                if !sighting.paths.is_empty() {
                    kept.paths.extend(sighting.paths);
                    kept.paths.sort();
                    kept.paths.dedup();
                    kept.paths.truncate(MAX_PATHS);
                }
                places.push(seen);
            }
            None => {
                self.by_endpoint
                    .insert(sighting.endpoint.clone(), (sighting, vec![seen]));
            }
        }
    }

    /// Declares URL schemes the file's apps register (manifest intent
    /// filters, `CFBundleURLSchemes`): custom-scheme URLs with one of them
    /// are kept as deep links by [`Inventory::finish`]; every other
    /// custom-scheme URL is dropped.
    pub fn declare_schemes(&mut self, schemes: &[String]) {
        self.schemes
            .extend(schemes.iter().map(|s| s.to_ascii_lowercase()));
        self.schemes.sort();
        self.schemes.dedup();
    }

    /// The records, sorted by endpoint, with first/third party decided from
    /// the ids of the apps in the file (package names, bundle ids).
    ///
    /// The inventory is shown unmasked, so anything secret-looking inside an
    /// endpoint is masked here: each of `secrets` (the values of the file's
    /// secret findings) and any token-like path segment (a webhook's key).
    ///
    /// Custom-scheme URLs are kept, as kind `deeplink`, only when their
    /// scheme was declared with [`Inventory::declare_schemes`].
    pub fn finish(mut self, app_ids: &[String], secrets: &[&str]) -> Vec<EndpointRecord> {
        let schemes = std::mem::take(&mut self.schemes);
        self.by_endpoint.retain(|_, (s, _)| {
            s.kind != "custom"
                || s.scheme
                    .as_ref()
                    .is_some_and(|sc| schemes.binary_search(sc).is_ok())
        });
        for (s, _) in self.by_endpoint.values_mut() {
            if s.kind == "custom" {
                s.kind = "deeplink".into();
            }
        }
        let secrets = Secrets::new(secrets);
        let own_packages: Vec<String> = app_ids
            .iter()
            .map(|id| format!("{}.", id.trim_end_matches('.')))
            .collect();
        let in_own_code = |seen: &Seen| {
            seen.symbol
                .as_deref()
                .is_some_and(|sym| own_packages.iter().any(|p| sym.starts_with(p.as_str())))
        };
        // The app's domains: the one its id is written from, and every
        // domain its own code names.
        let mut own_domains: Vec<String> = app_ids.iter().filter_map(|id| id_domain(id)).collect();
        for (s, seen) in self.by_endpoint.values() {
            if let Some(d) = &s.domain {
                if seen.iter().any(in_own_code) && !own_domains.contains(d) {
                    own_domains.push(d.clone());
                }
            }
        }
        self.by_endpoint
            .into_values()
            .map(|(s, mut seen)| {
                seen.sort();
                seen.dedup();
                let sdks: Vec<Option<&str>> = seen
                    .iter()
                    .map(|l| sdk_package(l.symbol.as_deref()))
                    .collect();
                let all_sdk = sdks.iter().all(Option::is_some);
                let sdk = match sdks.first().copied().flatten() {
                    Some(first) if all_sdk && sdks.iter().all(|p| *p == Some(first)) => {
                        Some(first.trim_end_matches('.').to_string())
                    }
                    _ => None,
                };
                let own_domain = s
                    .domain
                    .as_ref()
                    .is_some_and(|d| own_domains.iter().any(|o| o == d));
                let own_code = seen.iter().any(in_own_code);
                let party = if own_domain || own_code {
                    Party::First
                } else if all_sdk {
                    Party::Third
                } else {
                    Party::Unknown
                };
                let count = seen.len();
                seen.truncate(MAX_LOCATIONS);
                EndpointRecord {
                    endpoint: mask_secrets(&s.endpoint, &secrets),
                    kind: s.kind,
                    scheme: s.scheme,
                    host: s.host,
                    domain: s.domain,
                    party,
                    sdk,
                    count,
                    locations: seen,
                    paths: s.paths.iter().map(|p| mask_segments(p)).collect(),
                    transport: None,
                }
            })
            .collect()
    }
}

/// The secret values to mask inside endpoints, matched in one pass.
struct Secrets(Option<aho_corasick::AhoCorasick>);

impl Secrets {
    fn new(secrets: &[&str]) -> Secrets {
        let long: Vec<&str> = secrets.iter().copied().filter(|s| s.len() >= 6).collect();
        if long.is_empty() {
            return Secrets(None);
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&long)
            .ok();
        Secrets(ac)
    }

    /// `text` with every secret in it masked.
    fn mask(&self, text: &str) -> String {
        let Some(ac) = &self.0 else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in ac.find_iter(text) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&mask(&text[m.start()..m.end()]));
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

/// `endpoint` with every secret value and token-like path segment masked.
fn mask_secrets(endpoint: &str, secrets: &Secrets) -> String {
    let out = secrets.mask(endpoint);
    let Some(path_start) = out.find("://").map(|i| i + 3).and_then(|i| {
        let slash = out[i..].find('/')?;
        Some(i + slash)
    }) else {
        return out;
    };
    let (head, path) = out.split_at(path_start);
    format!("{head}{}", mask_segments(path))
}

/// `path` with every token-like segment masked.
fn mask_segments(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .map(|seg| {
            if is_token_like(seg) {
                mask(seg)
            } else {
                seg.to_string()
            }
        })
        .collect();
    segments.join("/")
}

/// A path segment that looks like a credential: long, and mixing upper
/// case, lower case and digits like generated keys do.
fn is_token_like(seg: &str) -> bool {
    seg.len() >= 16
        && seg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && seg.bytes().any(|b| b.is_ascii_uppercase())
        && seg.bytes().any(|b| b.is_ascii_lowercase())
        && seg.bytes().any(|b| b.is_ascii_digit())
}

/// The SDK package prefix of a class symbol, if it is SDK code.
fn sdk_package(symbol: Option<&str>) -> Option<&'static str> {
    let symbol = symbol?;
    SDK_PREFIXES.iter().copied().find(|p| symbol.starts_with(p))
}

/// The domain an app id is written from: `com.example.app` → `example.com`.
fn id_domain(id: &str) -> Option<String> {
    let mut labels = id.split('.').filter(|l| !l.is_empty());
    let tld = labels.next()?.to_ascii_lowercase();
    let owner = labels.next()?.to_ascii_lowercase();
    registrable_domain(&format!("{owner}.{tld}"))
}

#[cfg(test)]
mod tests {
    use super::super::extract::extract_endpoints;
    use super::*;

    fn sighting(text: &str) -> Option<Sighting> {
        extract_endpoints(text.as_bytes()).find_map(|e| Sighting::of(&e))
    }

    fn seen(path: &str, symbol: Option<&str>) -> Seen {
        Seen {
            path: path.into(),
            symbol: symbol.map(str::to_string),
        }
    }

    #[test]
    fn strips_query_and_keeps_domain() {
        let s = sighting("https://api.shop.example.co.uk/v2/items?token=abc#x").unwrap();
        assert_eq!(s.endpoint, "https://api.shop.example.co.uk/v2/items");
        assert_eq!(s.domain.as_deref(), Some("example.co.uk"));
        assert_eq!(s.kind, "url");
        assert_eq!(s.scheme.as_deref(), Some("https"));
        let ip = sighting("connect to 203.0.113.9:8080 now");
        assert!(ip.is_none(), "documentation range is noise: {ip:?}");
        let creds = sighting("ftp://admin:hunter22@files.example-corp.com/drop").unwrap();
        assert_eq!(creds.endpoint, "ftp://files.example-corp.com/drop");
        let ip = sighting("http://34.120.10.5/api").unwrap();
        assert_eq!(ip.domain, None);
    }

    #[test]
    fn noise_is_not_inventory() {
        assert!(sighting("http://schemas.android.com/apk/res/android").is_none());
        assert!(sighting("http://www.w3.org/2000/svg").is_none());
        assert!(sighting("https://www.apache.org/licenses/LICENSE-2.0").is_none());
    }

    #[test]
    fn parties_from_app_id_sdk_code_and_own_code() {
        let mut inv = Inventory::default();
        let own = sighting("https://api.acme-shop.com/v1").unwrap();
        let sdk = sighting("https://graph.facebook.com/v12.0").unwrap();
        let own_code = sighting("https://backend.herokuapp.com/api").unwrap();
        let unknown = sighting("https://cdn.other-example.net/x").unwrap();
        let same_domain = sighting("https://static.herokuapp.com/logo.png").unwrap();
        inv.add(own, seen("classes.dex", Some("com.vendor.Lib")));
        inv.add(
            sdk.clone(),
            seen("classes.dex", Some("com.facebook.GraphRequest")),
        );
        inv.add(sdk, seen("classes2.dex", Some("com.facebook.AccessToken")));
        inv.add(
            own_code,
            seen("classes.dex", Some("com.acmeshop.app.net.Api")),
        );
        inv.add(unknown, seen("assets/config.json", None));
        inv.add(same_domain, seen("resources.arsc", Some("@string/logo")));
        let records = inv.finish(
            &["com.acmeshop.app".into(), "com.acme-shop.android".into()],
            &[],
        );
        let by = |e: &str| records.iter().find(|r| r.endpoint == e).unwrap();
        assert_eq!(by("https://api.acme-shop.com/v1").party, Party::First);
        let fb = by("https://graph.facebook.com/v12.0");
        assert_eq!(fb.party, Party::Third);
        assert_eq!(fb.sdk.as_deref(), Some("com.facebook"));
        assert_eq!(fb.count, 2);
        assert_eq!(by("https://backend.herokuapp.com/api").party, Party::First);
        assert_eq!(by("https://cdn.other-example.net/x").party, Party::Unknown);
        // herokuapp.com is a public suffix: backend.herokuapp.com is its own
        // registrable domain, so a sibling app's host is not first party.
        assert_eq!(
            by("https://static.herokuapp.com/logo.png").party,
            Party::Unknown
        );
    }

    #[test]
    fn deep_links_are_kept_only_for_declared_schemes() {
        let mut inv = Inventory::default();
        let link = sighting("open MyApp://callback?token=abc now").unwrap();
        assert_eq!(
            (link.kind.as_str(), link.scheme.as_deref()),
            ("custom", Some("myapp"))
        );
        assert_eq!(
            (
                link.endpoint.as_str(),
                link.host.as_str(),
                link.domain.as_ref()
            ),
            ("MyApp://callback", "callback", None)
        );
        let other = sighting("mqtt://broker.example-iot.com:1883").unwrap();
        let url = sighting("https://api.acme-shop.com/v1").unwrap();
        for s in [link.clone(), other.clone(), url.clone()] {
            inv.add(s, seen("classes.dex", Some("com.acmeshop.app.Main")));
        }
        inv.declare_schemes(&["MYAPP".into(), "fb123".into()]);
        let records = inv.finish(&[], &[]);
        let kinds: Vec<(&str, &str)> = records
            .iter()
            .map(|r| (r.endpoint.as_str(), r.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("MyApp://callback", "deeplink"),
                ("https://api.acme-shop.com/v1", "url")
            ]
        );
        // Nothing declared: no custom-scheme URL is kept.
        let mut inv = Inventory::default();
        inv.add(link, seen("classes.dex", None));
        inv.add(other, seen("classes.dex", None));
        assert!(inv.finish(&[], &[]).is_empty());
    }

    #[test]
    fn paths_of_one_base_are_merged_bounded_and_masked() {
        let mut inv = Inventory::default();
        let mut a = sighting("https://api.acme.com/v2").unwrap();
        a.paths = vec!["/v2/users/{id}".into(), "/v2/a".into()];
        let mut b = a.clone();
        b.paths = (0..MAX_PATHS)
            .map(|i| format!("/v2/x{i:03}"))
            .chain([
                "/v2/users/{id}".to_string(),
                "/v2/k/8FafmpJqNeNlTZmcNlP0rpyO".into(),
            ])
            .collect();
        inv.add(a, seen("classes.dex", Some("A")));
        inv.add(b, seen("classes.dex", Some("B")));
        let records = inv.finish(&[], &[]);
        let paths = &records[0].paths;
        assert_eq!(paths.len(), MAX_PATHS);
        assert_eq!(paths[0], "/v2/a");
        let users = paths.iter().filter(|p| p.as_str() == "/v2/users/{id}");
        assert_eq!(users.count(), 1, "{paths:?}");
        assert!(!paths.iter().any(|p| p == "/v2/x049"), "{paths:?}");
        let mut inv = Inventory::default();
        let mut c = sighting("https://api.acme.com/v2").unwrap();
        c.paths = vec!["/v2/k/8FafmpJqNeNlTZmcNlP0rpyO".into()];
        inv.add(c, seen("classes.dex", None));
        let masked = &inv.finish(&[], &[])[0].paths[0];
        assert!(
            masked.starts_with("/v2/k/") && !masked.contains("8FafmpJqNeNlTZmcNlP0rpyO"),
            "{masked}"
        );
    }

    #[test]
    fn secrets_and_token_segments_are_masked() {
        let url =
            "https://hooks.slack.com/services/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";
        let masked = mask_secrets(url, &Secrets::new(&[]));
        assert!(
            masked.starts_with("https://hooks.slack.com/services/"),
            "{masked}"
        );
        assert!(!masked.contains("8FafmpJqNeNlTZmcNlP0rpyO"), "{masked}");
        let masked = mask_secrets(url, &Secrets::new(&["TY9MJFHHAGK", "unrelated-secret"]));
        assert!(!masked.contains("TY9MJFHHAGK"), "{masked}");
        // Ordinary paths stay readable.
        let plain = "https://api.example.com/v2/users/profilePictures/upload";
        assert_eq!(mask_secrets(plain, &Secrets::new(&[])), plain);
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable_domain("a.b.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            registrable_domain("example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(registrable_domain("com"), None);
        assert_eq!(id_domain("com.example.app").as_deref(), Some("example.com"));
        assert_eq!(id_domain("app"), None);
    }
}
