//! Joins endpoint findings with the platform's transport policy: a
//! cleartext URL is reported once, with whether the app's own
//! configuration lets it through and whether it leaves the host out of the
//! pinning it applies to related domains. Inventory records get the same
//! facts.

use super::android::AndroidSummary;
use super::ios::IosSummary;
use super::AppSummary;
use crate::detectors::endpoints::{registrable_domain, EndpointRecord};
use crate::findings::Finding;

/// The rule of cleartext URL findings.
const CLEARTEXT_RULE: &str = "cleartext-http-url";

/// The host of an `http://` or `ws://` URL, lowercase.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Adds the platform's verdict to each cleartext URL finding of `app`:
/// permitted by its configuration (said, with where), or blocked (said,
/// and one severity step lower: the request fails on current OS versions),
/// and whether the host is excluded from the pinning of related domains.
pub fn annotate(app: &AppSummary, findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| f.rule_id == CLEARTEXT_RULE) {
        let Some(host) = host_of(&f.value) else {
            continue;
        };
        if let Some((permitted, _)) = verdict(app, &host) {
            if !permitted {
                f.severity = f.severity.lower();
            }
        }
        if let Some(note) = note(app, &host, true) {
            f.message.push_str("; ");
            f.message.push_str(&note);
        }
    }
}

/// Sets [`EndpointRecord::transport`] on each record of `app`'s endpoints
/// that its configuration says something about: cleartext permitted or
/// blocked (for `http://` and `ws://` URLs), excluded from pinning.
pub fn annotate_records(app: &AppSummary, records: &mut [EndpointRecord]) {
    for r in records.iter_mut() {
        if r.host.is_empty() || r.kind == "deeplink" {
            continue;
        }
        let cleartext = matches!(r.scheme.as_deref(), Some("http" | "ws"));
        if let Some(note) = note(app, &r.host, cleartext) {
            r.transport = Some(note);
        }
    }
}

/// What `app`'s configuration says about `host`, as one clause: its
/// cleartext verdict (when `cleartext`), then its pinning exclusion.
fn note(app: &AppSummary, host: &str, cleartext: bool) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((permitted, why)) = verdict(app, host).filter(|_| cleartext) {
        parts.push(if permitted {
            format!("{why} permits cleartext to this host")
        } else {
            format!("{why} blocks cleartext to this host, so the request fails there")
        });
    }
    parts.extend(pinning_verdict(app, host));
    (!parts.is_empty()).then(|| parts.join(", and "))
}

/// Whether `app`'s configuration leaves `host` out of the pinning it
/// applies to a parent or sibling domain, said with the setting that does
/// it: on Android a domain-config for the host without a pin-set, or with
/// `overridePins` trust anchors; on iOS TrustKit's
/// `TSKExcludeSubdomainFromParentPolicy`, or an `NSPinnedDomains` parent
/// without `NSIncludesSubdomains`.
pub fn pinning_verdict(app: &AppSummary, host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(android) = &app.android {
        return android_exclusion(android, &host);
    }
    ios_exclusion(app.ios.as_ref()?, &host)
}

/// Whether `host` is strictly below `domain`.
fn under(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.ends_with('.'))
}

/// Whether `domain` is a parent or a sibling (same registrable domain) of
/// `host`.
fn related(host: &str, domain: &str) -> bool {
    under(host, domain)
        || registrable_domain(host).is_some_and(|r| registrable_domain(domain) == Some(r))
}

fn android_exclusion(android: &AndroidSummary, host: &str) -> Option<String> {
    let policy = android.policy_for_host(host)?;
    let own = policy.domain.as_deref()?;
    let pinned = android.transport.iter().find_map(|p| {
        let d = p.domain.as_deref()?;
        (p.pinning_enforced && d != own && related(host, d)).then_some(d)
    });
    let scope = format!("the domain config for {own} of {}", policy.entry);
    let bypass = policy
        .trust_anchors
        .iter()
        .find(|a| a.override_pins && !a.debug);
    if let Some(anchor) = bypass {
        if policy.pinning_enforced || pinned.is_some() {
            return Some(format!(
                "{scope} trusts {} certificates with overridePins, so pins are not checked for this host",
                anchor.source
            ));
        }
    }
    if policy.pinning_enforced {
        return None;
    }
    Some(format!(
        "{scope} has no pin-set, so this host is excluded from the pinning of {}",
        pinned?
    ))
}

fn ios_exclusion(ios: &IosSummary, host: &str) -> Option<String> {
    let covers = |d: &str| host == d || under(host, d);
    if let Some(ex) = ios
        .pinned_domains
        .iter()
        .find(|p| p.excluded && covers(&p.domain))
    {
        let parent = ios
            .pinned_domains
            .iter()
            .find(|p| !p.excluded && p.pins > 0 && under(&ex.domain, &p.domain))
            .map_or("its parent domain".to_string(), |p| p.domain.clone());
        return Some(format!(
            "TSKExcludeSubdomainFromParentPolicy for {} in {} excludes this host from the pinning of {parent}",
            ex.domain, ex.info_plist
        ));
    }
    let pinned_itself = ios.pinned_domains.iter().any(|p| p.domain == host);
    let pinned_by_parent = ios.ats.iter().flat_map(|b| &b.policy.domains).any(|d| {
        d.pins
            .as_ref()
            .is_some_and(|p| p.include_subdomains && p.count() > 0 && under(host, &d.domain))
    });
    if pinned_itself || pinned_by_parent {
        return None;
    }
    ios.ats.iter().find_map(|b| {
        b.policy.domains.iter().find_map(|d| {
            let pins = d.pins.as_ref()?;
            (pins.count() > 0 && !pins.include_subdomains && under(host, &d.domain)).then(|| {
                format!(
                    "NSPinnedDomains in {} pins {} without NSIncludesSubdomains, so this host is not pinned",
                    b.info_plist, d.domain
                )
            })
        })
    })
}

/// Whether the platform lets cleartext through to `host`, and which
/// setting says so.
fn verdict(app: &AppSummary, host: &str) -> Option<(bool, String)> {
    if let Some(android) = &app.android {
        let policy = android.policy_for_host(host)?;
        let scope = match &policy.domain {
            Some(d) => format!("the domain config for {d}"),
            None => "the base config".to_string(),
        };
        let why = match policy.cleartext_from.as_str() {
            "network-security-config" => format!("{scope} of {} (API 24+)", policy.entry),
            "manifest" => "android:usesCleartextTraffic in the manifest".to_string(),
            _ => "the platform default for this target SDK".to_string(),
        };
        return Some((policy.cleartext_permitted, why));
    }
    let ios = app.ios.as_ref()?;
    let ats = &ios.ats.first()?.policy;
    let domain = ats.domains.iter().filter(|d| d.exception).find(|d| {
        host == d.domain || (d.include_subdomains && host.ends_with(&format!(".{}", d.domain)))
    });
    Some(match domain {
        Some(d) if d.cleartext_allowed => (true, format!("the ATS exception for {}", d.domain)),
        Some(d) => (false, format!("the ATS exception for {}", d.domain)),
        None if ats.arbitrary_loads_effective() => (true, "NSAllowsArbitraryLoads".to_string()),
        None => (false, "App Transport Security".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::apps::android::nsc::policy::{TransportPolicy, TrustAnchor};
    use crate::apps::android::AndroidSummary;
    use crate::findings::{Category, Confidence, Location, Severity};

    fn cleartext(url: &str) -> Finding {
        Finding {
            rule_id: CLEARTEXT_RULE.into(),
            category: Category::Transport,
            severity: Severity::Low,
            confidence: Confidence::High,
            title: "Cleartext URL".into(),
            message: "Cleartext http:// URL".into(),
            artifact: "app.apk".into(),
            location: Location::new(vec!["app.apk".into(), "classes.dex".into()]),
            value: url.into(),
            fingerprint: String::new(),
        }
    }

    #[test]
    fn android_policy_is_joined_per_host() {
        let base = TransportPolicy {
            cleartext_permitted: false,
            cleartext_from: "network-security-config".into(),
            entry: "res/xml/nsc.xml".into(),
            ..TransportPolicy::default()
        };
        let legacy = TransportPolicy {
            domain: Some("legacy.example.com".into()),
            cleartext_permitted: true,
            cleartext_from: "network-security-config".into(),
            entry: "res/xml/nsc.xml".into(),
            ..TransportPolicy::default()
        };
        let app = AppSummary {
            platform: "android".into(),
            android: Some(AndroidSummary {
                transport: vec![base, legacy],
                ..AndroidSummary::default()
            }),
            ..AppSummary::default()
        };
        let mut findings = vec![
            cleartext("http://legacy.example.com/feed"),
            cleartext("http://api.example.com/v1"),
        ];
        annotate(&app, &mut findings);
        assert!(
            findings[0].message.contains("permits cleartext"),
            "{}",
            findings[0].message
        );
        assert!(findings[0]
            .message
            .contains("legacy.example.com of res/xml/nsc.xml"));
        assert_eq!(findings[0].severity, Severity::Low);
        assert!(
            findings[1].message.contains("blocks cleartext"),
            "{}",
            findings[1].message
        );
        assert_eq!(findings[1].severity, Severity::Info);
    }

    fn domain(name: &str, f: impl FnOnce(&mut TransportPolicy)) -> TransportPolicy {
        let mut p = TransportPolicy {
            domain: Some(name.into()),
            cleartext_from: "network-security-config".into(),
            entry: "res/xml/nsc.xml".into(),
            ..TransportPolicy::default()
        };
        f(&mut p);
        p
    }

    /// An app pinning example.com and its subdomains, except legacy (its
    /// own config, cleartext, no pins) and cdn (overridePins anchors).
    fn pinned_android() -> AppSummary {
        let base = domain("", |p| p.domain = None);
        let pinned = domain("example.com", |p| {
            p.include_subdomains = true;
            p.pinning_enforced = true;
        });
        let legacy = domain("legacy.example.com", |p| p.cleartext_permitted = true);
        let cdn = domain("cdn.example.com", |p| {
            p.trust_anchors = vec![TrustAnchor {
                source: "user".into(),
                override_pins: true,
                debug: false,
            }];
        });
        let other = domain("other.net", |p| p.cleartext_permitted = true);
        AppSummary {
            platform: "android".into(),
            android: Some(AndroidSummary {
                transport: vec![base, pinned, legacy, cdn, other],
                ..AndroidSummary::default()
            }),
            ..AppSummary::default()
        }
    }

    #[test]
    fn android_pinning_exclusions() {
        let app = pinned_android();
        let legacy = pinning_verdict(&app, "legacy.example.com").unwrap();
        assert!(legacy.contains("no pin-set"), "{legacy}");
        assert!(legacy.contains("pinning of example.com"), "{legacy}");
        let cdn = pinning_verdict(&app, "CDN.example.com.").unwrap();
        assert!(
            cdn.contains("trusts user certificates with overridePins"),
            "{cdn}"
        );
        // Pinned hosts, and hosts with nothing pinned nearby.
        assert_eq!(pinning_verdict(&app, "api.example.com"), None);
        assert_eq!(pinning_verdict(&app, "other.net"), None);
        assert_eq!(pinning_verdict(&app, "unlisted.org"), None);
        assert_eq!(pinning_verdict(&AppSummary::default(), "a.com"), None);
    }

    #[test]
    fn cleartext_and_pinning_exclusion_are_said_once() {
        let app = pinned_android();
        let mut findings = vec![
            cleartext("http://legacy.example.com/feed"),
            cleartext("http://other.net/x"),
        ];
        annotate(&app, &mut findings);
        let m = &findings[0].message;
        assert!(
            m.contains("permits cleartext to this host, and the domain config"),
            "{m}"
        );
        assert!(
            m.contains("excluded from the pinning of example.com"),
            "{m}"
        );
        assert_eq!(
            m.matches("legacy.example.com of res/xml/nsc.xml").count(),
            2
        );
        assert!(
            !findings[1].message.contains("pinning"),
            "{}",
            findings[1].message
        );
    }

    fn record(endpoint: &str) -> EndpointRecord {
        let e = crate::detectors::endpoints::extract_endpoints(endpoint.as_bytes())
            .next()
            .unwrap();
        EndpointRecord {
            endpoint: endpoint.into(),
            kind: "url".into(),
            scheme: e.scheme_name(),
            host: e.host().into(),
            domain: None,
            party: crate::detectors::endpoints::Party::First,
            sdk: None,
            count: 1,
            locations: Vec::new(),
            paths: Vec::new(),
            transport: None,
        }
    }

    #[test]
    fn inventory_records_carry_the_same_facts() {
        let app = pinned_android();
        let mut records = vec![
            record("http://legacy.example.com/feed"),
            record("https://legacy.example.com/api"),
            record("https://api.example.com/v1"),
        ];
        annotate_records(&app, &mut records);
        let plain = records[0].transport.as_deref().unwrap();
        assert!(
            plain.contains("permits cleartext") && plain.contains("no pin-set"),
            "{plain}"
        );
        let tls = records[1].transport.as_deref().unwrap();
        assert!(
            !tls.contains("cleartext") && tls.contains("no pin-set"),
            "{tls}"
        );
        assert_eq!(records[2].transport, None);
    }

    #[test]
    fn ios_pinning_exclusions() {
        use crate::apps::ios::ats::{AtsPolicy, DomainPolicy};
        use crate::apps::ios::pins::DomainPins;
        use crate::apps::ios::{BundleAts, IosSummary, PinnedDomain};
        let tsk = |domain: &str, pins: usize, excluded: bool| PinnedDomain {
            domain: domain.into(),
            source: "TSKConfiguration".into(),
            info_plist: "Payload/A.app/Info.plist".into(),
            pins,
            excluded,
        };
        let pins = DomainPins {
            include_subdomains: false,
            leaf: vec!["x".into()],
            ..DomainPins::default()
        };
        let ats = AtsPolicy {
            domains: vec![DomainPolicy {
                domain: "secure.example.org".into(),
                pins: Some(pins),
                ..DomainPolicy::default()
            }],
            ..AtsPolicy::default()
        };
        let app = AppSummary {
            platform: "ios".into(),
            ios: Some(IosSummary {
                pinned_domains: vec![
                    tsk("example.com", 2, false),
                    tsk("cdn.example.com", 0, true),
                    PinnedDomain {
                        source: "NSPinnedDomains".into(),
                        ..tsk("secure.example.org", 1, false)
                    },
                ],
                ats: vec![BundleAts {
                    info_plist: "Payload/A.app/Info.plist".into(),
                    policy: ats,
                }],
                ..IosSummary::default()
            }),
            ..AppSummary::default()
        };
        for host in ["cdn.example.com", "img.cdn.example.com"] {
            let v = pinning_verdict(&app, host).unwrap();
            assert!(
                v.contains("TSKExcludeSubdomainFromParentPolicy for cdn.example.com")
                    && v.contains("pinning of example.com"),
                "{v}"
            );
        }
        let sub = pinning_verdict(&app, "api.secure.example.org").unwrap();
        assert!(sub.contains("without NSIncludesSubdomains"), "{sub}");
        assert_eq!(pinning_verdict(&app, "secure.example.org"), None);
        assert_eq!(pinning_verdict(&app, "api.example.com"), None);
    }

    #[test]
    fn hosts_of_cleartext_urls() {
        assert_eq!(
            host_of("http://Api.Example.com:8080/x?y").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(
            host_of("ws://user:pw@10.0.0.2/s").as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("no url"), None);
    }
}
