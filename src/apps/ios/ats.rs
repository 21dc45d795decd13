//! App Transport Security, modelled the way iOS applies it.
//!
//! * A Boolean key counts only with a real plist Boolean; `"YES"` as a
//!   string has no effect and is reported as such.
//! * On iOS 10 and later, `NSAllowsArbitraryLoads` is ignored when any of
//!   `NSAllowsArbitraryLoadsForMedia`, `NSAllowsArbitraryLoadsInWebContent`
//!   or `NSAllowsLocalNetworking` is present, whatever its value.
//! * A domain's legacy `NSTemporaryException…` / `NSThirdPartyException…`
//!   keys are read like `NSException…`; when several forms are given the
//!   most permissive is taken.

use super::pins::{self, DomainPins};
use super::values::{flag, render, Flag};
use crate::apps::Issue;
use crate::findings::Severity;
use plist::{Dictionary, Value};
use serde::Serialize;

/// At most this many exception or pinned domains are read.
const MAX_DOMAINS: usize = 1024;
/// The keys whose presence makes iOS 10+ ignore `NSAllowsArbitraryLoads`.
const OVERRIDING_KEYS: [&str; 3] = [
    "NSAllowsArbitraryLoadsForMedia",
    "NSAllowsArbitraryLoadsInWebContent",
    "NSAllowsLocalNetworking",
];
const ATS: &str = "NSAppTransportSecurity";

/// The ATS policy of one bundle.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct AtsPolicy {
    /// `NSAppTransportSecurity` is present.
    pub declared: bool,
    /// `NSAllowsArbitraryLoads` is `true`.
    pub allows_arbitrary_loads: bool,
    /// Present keys that make iOS 10+ ignore `NSAllowsArbitraryLoads`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arbitrary_loads_ignored_because: Vec<String>,
    /// `NSAllowsArbitraryLoadsForMedia` is `true`.
    pub allows_arbitrary_loads_for_media: bool,
    /// `NSAllowsArbitraryLoadsInWebContent` is `true`.
    pub allows_arbitrary_loads_in_web_content: bool,
    /// `NSAllowsLocalNetworking` is `true`.
    pub allows_local_networking: bool,
    /// Effective settings of each exception or pinned domain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<DomainPolicy>,
    /// Keys that have no effect (non-Boolean values, unknown TLS versions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_effect: Vec<NoEffect>,
}

impl AtsPolicy {
    /// Whether arbitrary loads are allowed on iOS 10 and later.
    pub fn arbitrary_loads_effective(&self) -> bool {
        self.allows_arbitrary_loads && self.arbitrary_loads_ignored_because.is_empty()
    }
}

/// The effective policy for one domain.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DomainPolicy {
    pub domain: String,
    /// Listed in `NSExceptionDomains` (else only in `NSPinnedDomains`).
    pub exception: bool,
    /// The exception also covers subdomains.
    pub include_subdomains: bool,
    /// Plain HTTP allowed.
    pub cleartext_allowed: bool,
    /// The key that allowed it (`NSExceptionAllowsInsecureHTTPLoads`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleartext_key: Option<String>,
    /// Minimum TLS version (`TLSv1.2` unless lowered or raised).
    pub min_tls: String,
    /// Forward secrecy required.
    pub forward_secrecy: bool,
    /// Certificate Transparency required.
    pub certificate_transparency: bool,
    /// `NSPinnedDomains` entry of the domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pins: Option<DomainPins>,
}

/// A key present in the configuration that iOS does not act on.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct NoEffect {
    /// Dotted key path under `NSAppTransportSecurity`.
    pub key: String,
    /// Why it has no effect.
    pub reason: String,
}

const TLS_VERSIONS: [&str; 4] = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const DEFAULT_TLS: &str = "TLSv1.2";

/// Reads the ATS policy of an Info.plist dictionary.
pub fn policy(info: &Dictionary) -> AtsPolicy {
    let mut p = AtsPolicy::default();
    let Some(value) = info.get(ATS) else {
        return p;
    };
    p.declared = true;
    let Some(ats) = value.as_dictionary() else {
        p.no_effect.push(NoEffect {
            key: ATS.into(),
            reason: format!("is a {}, not a dictionary", render(value)),
        });
        return p;
    };
    let read = |key: &str, p: &mut AtsPolicy| read_flag(ats, key, key, &mut p.no_effect);
    p.allows_arbitrary_loads = read("NSAllowsArbitraryLoads", &mut p);
    p.allows_arbitrary_loads_for_media = read("NSAllowsArbitraryLoadsForMedia", &mut p);
    p.allows_arbitrary_loads_in_web_content = read("NSAllowsArbitraryLoadsInWebContent", &mut p);
    p.allows_local_networking = read("NSAllowsLocalNetworking", &mut p);
    p.arbitrary_loads_ignored_because = OVERRIDING_KEYS
        .iter()
        .filter(|k| ats.contains_key(k))
        .map(|k| k.to_string())
        .collect();
    let global_cleartext = p.arbitrary_loads_effective();

    if let Some(v) = ats.get("NSExceptionDomains") {
        match v.as_dictionary() {
            Some(domains) => {
                for (name, entry) in domains.iter().take(MAX_DOMAINS) {
                    let d = exception_domain(name, entry, &mut p.no_effect);
                    p.domains.push(d);
                }
            }
            None => p.no_effect.push(NoEffect {
                key: "NSExceptionDomains".into(),
                reason: format!("is a {}, not a dictionary", render(v)),
            }),
        }
    }
    if let Some(v) = ats.get("NSPinnedDomains") {
        match v.as_dictionary() {
            Some(domains) => {
                for (name, entry) in domains.iter().take(MAX_DOMAINS) {
                    let pins = pins::domain_pins(entry);
                    match p.domains.iter_mut().find(|d| d.domain == *name) {
                        Some(d) => d.pins = Some(pins),
                        None => p.domains.push(DomainPolicy {
                            domain: name.clone(),
                            cleartext_allowed: global_cleartext,
                            min_tls: DEFAULT_TLS.into(),
                            forward_secrecy: true,
                            pins: Some(pins),
                            ..DomainPolicy::default()
                        }),
                    }
                }
            }
            None => p.no_effect.push(NoEffect {
                key: "NSPinnedDomains".into(),
                reason: format!("is a {}, not a dictionary", render(v)),
            }),
        }
    }
    p
}

/// Reads a Boolean key, noting a non-Boolean value as having no effect.
fn read_flag(dict: &Dictionary, key: &str, path: &str, no_effect: &mut Vec<NoEffect>) -> bool {
    match flag(dict, key) {
        Some(Flag::Bool(b)) => b,
        Some(Flag::NotBoolean(v)) => {
            no_effect.push(NoEffect {
                key: path.into(),
                reason: format!("is a {v}, not a Boolean: iOS does not read it as one"),
            });
            false
        }
        None => false,
    }
}

fn exception_domain(name: &str, entry: &Value, no_effect: &mut Vec<NoEffect>) -> DomainPolicy {
    let mut d = DomainPolicy {
        domain: name.to_owned(),
        exception: true,
        min_tls: DEFAULT_TLS.into(),
        forward_secrecy: true,
        ..DomainPolicy::default()
    };
    let base = format!("NSExceptionDomains.{name}");
    let Some(dict) = entry.as_dictionary() else {
        no_effect.push(NoEffect {
            key: base,
            reason: format!("is a {}, not a dictionary", render(entry)),
        });
        return d;
    };
    let mut flag_at = |key: &str| {
        dict.contains_key(key)
            .then(|| read_flag(dict, key, &format!("{base}.{key}"), no_effect))
    };
    d.include_subdomains = flag_at("NSIncludesSubdomains").unwrap_or(false);
    d.certificate_transparency = flag_at("NSRequiresCertificateTransparency").unwrap_or(false);
    for prefix in [
        "NSException",
        "NSTemporaryException",
        "NSThirdPartyException",
    ] {
        let key = format!("{prefix}AllowsInsecureHTTPLoads");
        if flag_at(&key) == Some(true) && !d.cleartext_allowed {
            d.cleartext_allowed = true;
            d.cleartext_key = Some(key);
        }
        if flag_at(&format!("{prefix}RequiresForwardSecrecy")) == Some(false) {
            d.forward_secrecy = false;
        }
    }
    // The versions sort as strings; the lowest one declared wins.
    let mut declared: Vec<&str> = Vec::new();
    for prefix in [
        "NSException",
        "NSTemporaryException",
        "NSThirdPartyException",
    ] {
        let key = format!("{prefix}MinimumTLSVersion");
        let Some(v) = dict.get(&key) else { continue };
        match v.as_string().filter(|s| TLS_VERSIONS.contains(s)) {
            Some(s) => declared.push(s),
            None => no_effect.push(NoEffect {
                key: format!("{base}.{key}"),
                reason: format!("is a {}, not one of {}", render(v), TLS_VERSIONS.join(", ")),
            }),
        }
    }
    if let Some(lowest) = declared.into_iter().min() {
        d.min_tls = lowest.to_owned();
    }
    d
}

/// Whether `domain` names a local host (`localhost`, `.local`, an IP
/// address, an unqualified name), where cleartext matters less.
pub fn is_local(domain: &str) -> bool {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    d == "localhost"
        || d.ends_with(".local")
        || d.parse::<std::net::IpAddr>().is_ok()
        || !d.contains('.')
}

/// The issues of one bundle's policy; `entry` is its Info.plist and
/// `minimum_os` its `MinimumOSVersion`.
pub fn issues(p: &AtsPolicy, entry: &str, minimum_os: Option<&str>) -> Vec<Issue> {
    let mut out = Vec::new();
    let key = |k: &str| format!("{ATS}.{k}");
    if p.arbitrary_loads_effective() {
        out.push(
            Issue::new(
                "ios-ats-arbitrary-loads",
                entry,
                "NSAllowsArbitraryLoads=true",
                "NSAllowsArbitraryLoads is true: App Transport Security is off for every domain \
                 not listed in NSExceptionDomains, so plain HTTP and weak TLS are accepted.",
            )
            .with_symbol(key("NSAllowsArbitraryLoads")),
        );
    } else if p.allows_arbitrary_loads && major(minimum_os).is_some_and(|m| m < 10) {
        out.push(
            Issue::new(
                "ios-ats-arbitrary-loads",
                entry,
                "NSAllowsArbitraryLoads=true",
                format!(
                    "NSAllowsArbitraryLoads is true. iOS 10 and later ignore it because {} is \
                     present, but the app also runs on iOS {} where ATS is off for every \
                     domain not listed in NSExceptionDomains.",
                    p.arbitrary_loads_ignored_because.join(", "),
                    minimum_os.unwrap_or_default()
                ),
            )
            .with_symbol(key("NSAllowsArbitraryLoads"))
            .with_severity(Severity::Low),
        );
    }
    if p.allows_arbitrary_loads_in_web_content {
        out.push(
            Issue::new(
                "ios-ats-arbitrary-loads-web-content",
                entry,
                "NSAllowsArbitraryLoadsInWebContent=true",
                "NSAllowsArbitraryLoadsInWebContent is true: web views may load any page over \
                 plain HTTP or weak TLS.",
            )
            .with_symbol(key("NSAllowsArbitraryLoadsInWebContent")),
        );
    }
    if p.allows_arbitrary_loads_for_media {
        out.push(
            Issue::new(
                "ios-ats-arbitrary-loads-media",
                entry,
                "NSAllowsArbitraryLoadsForMedia=true",
                "NSAllowsArbitraryLoadsForMedia is true: AV Foundation may load media over \
                 plain HTTP or weak TLS.",
            )
            .with_symbol(key("NSAllowsArbitraryLoadsForMedia")),
        );
    }
    for d in &p.domains {
        out.extend(domain_issues(d, entry));
    }
    for n in &p.no_effect {
        out.push(
            Issue::new(
                "ios-ats-value-no-effect",
                entry,
                n.key.clone(),
                format!("{ATS}.{} {}; the setting has no effect.", n.key, n.reason),
            )
            .with_symbol(key(&n.key)),
        );
    }
    out
}

fn domain_issues(d: &DomainPolicy, entry: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    let scope = if d.include_subdomains {
        format!("{} and all its subdomains", d.domain)
    } else {
        d.domain.clone()
    };
    let symbol = format!("{ATS}.NSExceptionDomains.{}", d.domain);
    if let (true, Some(key)) = (d.cleartext_allowed && d.exception, &d.cleartext_key) {
        let mut issue = Issue::new(
            "ios-ats-insecure-http-exception",
            entry,
            d.domain.clone(),
            format!("{key} allows plain HTTP to {scope}: traffic can be read and changed on the network."),
        )
        .with_symbol(symbol.clone());
        if is_local(&d.domain) {
            issue = issue.with_severity(Severity::Low);
        }
        out.push(issue);
    }
    if d.min_tls.as_str() < DEFAULT_TLS {
        out.push(
            Issue::new(
                "ios-ats-weak-min-tls",
                entry,
                d.domain.clone(),
                format!(
                    "The minimum TLS version for {scope} is lowered to {}, below TLS 1.2.",
                    d.min_tls
                ),
            )
            .with_symbol(symbol.clone()),
        );
    }
    if !d.forward_secrecy {
        out.push(
            Issue::new(
                "ios-ats-forward-secrecy-disabled",
                entry,
                d.domain.clone(),
                format!(
                    "Forward secrecy is not required for {scope}: ciphers without it (and \
                     without ATS's key-size checks) are accepted."
                ),
            )
            .with_symbol(symbol),
        );
    }
    if let Some(pins) = &d.pins {
        let symbol = format!("{ATS}.NSPinnedDomains.{}", d.domain);
        if !pins.problems.is_empty() {
            out.push(
                Issue::new(
                    "ios-ats-invalid-pin",
                    entry,
                    d.domain.clone(),
                    format!(
                        "The pinned-domain entry for {} is invalid: {}.",
                        d.domain,
                        pins.problems.join("; ")
                    ),
                )
                .with_symbol(symbol.clone()),
            );
        }
        if pins.count() == 1 {
            out.push(
                Issue::new(
                    "ios-ats-single-pin",
                    entry,
                    d.domain.clone(),
                    format!(
                        "{} is pinned to a single key with no backup: a key rotation or loss \
                         breaks every connection until an update ships.",
                        d.domain
                    ),
                )
                .with_symbol(symbol),
            );
        }
    }
    out
}

/// The major version of a `MinimumOSVersion` string.
fn major(version: Option<&str>) -> Option<u32> {
    version?.split('.').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests;
