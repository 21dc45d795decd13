//! Certificates that are plainly pinning material: the app's own pinning
//! configuration names them, so they are evidence of pinning, not leaked
//! secrets.
//!
//! A `cert-embedded` finding becomes `cert-pinning-material` when its
//! public-key hash is a pin the app configures (a network security config
//! pin-set, a pin literal beside pinning code, an iOS `NSPinnedDomains`
//! identity), when its entry is a trust
//! anchor of the network security config, or when it is a `.cer`/`.der`
//! file in an iOS app that pins with AFNetworking or Alamofire (both load
//! the bundle's certificate files). Private keys are never reclassified.

use super::AppSummary;
use crate::findings::{fingerprint, Finding};
use std::collections::BTreeSet;

/// The rule of plain embedded certificates.
const EMBEDDED_RULE: &str = "cert-embedded";
/// The rule they become when they are pinning material.
pub const RULE: &str = "cert-pinning-material";
/// iOS pinning libraries that load certificate files from the bundle.
const FILE_PINNING_LIBRARIES: &[&str] = &["AFNetworking", "Alamofire"];
/// Most domains named in one message.
const MAX_NAMED: usize = 8;

/// Turns each `cert-embedded` finding of `findings` that is pinning
/// material of the app `summary` describes into a `cert-pinning-material`
/// finding (rule, category, severity, title, message and fingerprint
/// change; location and value stay). Other findings are left alone.
pub fn reclassify(summary: &AppSummary, findings: &mut [Finding]) {
    let Some(rule) = super::rules::get(RULE) else {
        return;
    };
    for f in findings.iter_mut().filter(|f| f.rule_id == EMBEDDED_RULE) {
        let Some(why) = evidence(summary, f) else {
            continue;
        };
        let subject = f.location.symbol.as_deref().unwrap_or("embedded");
        f.message = format!(
            "Certificate {subject} is pinning material: {why}. Public material, not a leaked secret."
        );
        f.rule_id = RULE.to_string();
        f.category = rule.category;
        f.severity = rule.severity;
        f.confidence = rule.confidence;
        f.title = rule.name.clone();
        f.fingerprint = fingerprint(
            RULE,
            &f.location.path,
            f.location.symbol.as_deref(),
            &f.value,
        );
    }
}

/// Why the certificate of finding `f` is pinning material, naming the
/// domains it pins; `None` when nothing in the app's configuration says so.
fn evidence(summary: &AppSummary, f: &Finding) -> Option<String> {
    let hash = f.value.strip_prefix("sha256/")?;
    let entry = f.location.innermost();
    if let Some(android) = &summary.android {
        let pinned: Vec<_> = android
            .transport
            .iter()
            .filter(|p| {
                p.pins
                    .iter()
                    .any(|pin| pin.digest.eq_ignore_ascii_case("SHA-256") && pin.value == hash)
            })
            .collect();
        if !pinned.is_empty() {
            let entry = &pinned[0].entry;
            let domains = domains(pinned.iter().map(|p| p.domain.as_deref()));
            return Some(format!(
                "its public-key hash is a pin of {entry} for {domains}"
            ));
        }
        let anchored: Vec<_> = android
            .transport
            .iter()
            .filter(|p| p.trust_anchors.iter().any(|a| a.source == entry))
            .collect();
        if !anchored.is_empty() {
            let entry = &anchored[0].entry;
            let domains = domains(anchored.iter().map(|p| p.domain.as_deref()));
            return Some(format!("{entry} trusts it as a CA for {domains}"));
        }
    }
    if let Some(code) = &summary.code_pinning {
        let literal = code
            .pins
            .iter()
            .any(|p| p.strip_prefix("sha256/").unwrap_or(p) == hash);
        if literal {
            let hosts = if code.hosts.is_empty() {
                "hosts set in code".to_string()
            } else {
                list(code.hosts.iter().map(String::as_str))
            };
            return Some(format!(
                "its public-key hash is a pin literal of the app's pinning code ({hosts})"
            ));
        }
    }
    let ios = summary.ios.as_ref()?;
    let ats_pinned: Vec<(&str, &str)> = ios
        .ats
        .iter()
        .flat_map(|b| b.policy.domains.iter().map(move |d| (b, d)))
        .filter(|(_, d)| {
            d.pins
                .as_ref()
                .is_some_and(|p| p.leaf.iter().chain(&p.ca).any(|h| h == hash))
        })
        .map(|(b, d)| (b.info_plist.as_str(), d.domain.as_str()))
        .collect();
    if let Some((plist, _)) = ats_pinned.first() {
        let domains = list(ats_pinned.iter().map(|(_, d)| *d));
        return Some(format!(
            "its public-key hash is an NSPinnedDomains pin of {plist} for {domains}"
        ));
    }
    let lower = entry.to_ascii_lowercase();
    if !(lower.ends_with(".cer") || lower.ends_with(".der")) {
        return None;
    }
    let libraries: BTreeSet<&str> = ios
        .pinning
        .iter()
        .flat_map(|b| &b.libraries)
        .filter(|l| FILE_PINNING_LIBRARIES.iter().any(|p| l.starts_with(p)))
        .map(String::as_str)
        .collect();
    if libraries.is_empty() {
        return None;
    }
    let domains = if ios.pinned_domains.is_empty() {
        "the hosts set in code".to_string()
    } else {
        list(ios.pinned_domains.iter().map(|d| d.domain.as_str()))
    };
    Some(format!(
        "a certificate file in an app pinning with {} (which loads the bundle's certificates) for {domains}",
        list(libraries.into_iter())
    ))
}

/// The domains of some policies (`None` is the base config), listed.
fn domains<'a>(policies: impl Iterator<Item = Option<&'a str>>) -> String {
    list(policies.map(|d| d.unwrap_or("every domain (base config)")))
}

/// Distinct items, sorted, joined with commas, at most [`MAX_NAMED`].
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let all: BTreeSet<&str> = items.collect();
    let mut out: Vec<&str> = all.iter().copied().take(MAX_NAMED).collect();
    let more = all.len().saturating_sub(MAX_NAMED);
    let more = format!("{more} more");
    if all.len() > MAX_NAMED {
        out.push(&more);
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::android::code::PinningSummary;
    use crate::apps::android::nsc::parse::Pin;
    use crate::apps::android::nsc::policy::{TransportPolicy, TrustAnchor};
    use crate::apps::android::AndroidSummary;
    use crate::apps::ios::ats::{AtsPolicy, DomainPolicy};
    use crate::apps::ios::pins::DomainPins;
    use crate::apps::ios::{BinaryPinning, BundleAts, IosSummary, PinnedDomain};
    use crate::findings::{Category, Confidence, Location, Severity};

    const HASH: &str = "r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E=";

    fn finding(rule: &str, entry: &str, value: &str) -> Finding {
        let mut location = Location::new(vec!["app".into(), entry.into()]);
        location.symbol = Some("CN=api.example.com".into());
        Finding {
            rule_id: rule.into(),
            category: Category::Certificate,
            severity: Severity::Info,
            confidence: Confidence::High,
            title: "Certificate embedded".into(),
            message: "Certificate CN=api.example.com is embedded.".into(),
            artifact: "app".into(),
            location,
            value: value.into(),
            fingerprint: "old".into(),
        }
    }

    fn embedded(entry: &str) -> Finding {
        finding(EMBEDDED_RULE, entry, &format!("sha256/{HASH}"))
    }

    fn android(policies: Vec<TransportPolicy>) -> AppSummary {
        AppSummary {
            platform: "android".into(),
            android: Some(AndroidSummary {
                transport: policies,
                ..AndroidSummary::default()
            }),
            ..AppSummary::default()
        }
    }

    fn policy(domain: Option<&str>) -> TransportPolicy {
        TransportPolicy {
            domain: domain.map(str::to_string),
            entry: "res/xml/network_security_config.xml".into(),
            ..TransportPolicy::default()
        }
    }

    #[test]
    fn a_certificate_pinned_by_the_network_security_config() {
        let mut pinned = policy(Some("api.example.com"));
        pinned.pins = vec![Pin {
            digest: "SHA-256".into(),
            value: HASH.into(),
        }];
        let app = android(vec![policy(None), pinned]);
        let mut findings = vec![
            embedded("assets/api.cer"),
            finding("key-private-key-embedded", "assets/api.cer", "pkcs8 ec 256"),
            finding(EMBEDDED_RULE, "assets/other.cer", "sha256/AAAA"),
        ];
        let before = findings.clone();
        reclassify(&app, &mut findings);
        let f = &findings[0];
        assert_eq!(f.rule_id, RULE);
        assert_eq!(
            (f.category, f.severity),
            (Category::Pinning, Severity::Info)
        );
        assert_eq!(f.title, "Certificate is pinning material");
        assert!(f.message.contains("api.example.com"), "{}", f.message);
        assert!(f.message.contains("res/xml/network_security_config.xml"));
        assert_eq!(
            f.fingerprint,
            fingerprint(RULE, "assets/api.cer", Some("CN=api.example.com"), &f.value)
        );
        assert_eq!(
            (&f.value, &f.location),
            (&before[0].value, &before[0].location)
        );
        // The key and an unpinned certificate stay as they were.
        assert_eq!(findings[1..], before[1..]);
    }

    #[test]
    fn a_network_security_config_trust_anchor() {
        let mut base = policy(None);
        base.trust_anchors = vec![TrustAnchor {
            source: "res/raw/private_ca.pem".into(),
            override_pins: false,
            debug: false,
        }];
        let app = android(vec![base]);
        let mut findings = vec![
            finding(EMBEDDED_RULE, "res/raw/private_ca.pem", "sha256/BBBB"),
            finding(EMBEDDED_RULE, "res/raw/other.pem", "sha256/BBBB"),
        ];
        reclassify(&app, &mut findings);
        assert_eq!(findings[0].rule_id, RULE);
        assert!(
            findings[0].message.contains("every domain (base config)"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[1].rule_id, EMBEDDED_RULE);
    }

    #[test]
    fn a_pin_literal_in_code() {
        let mut app = android(vec![policy(None)]);
        app.code_pinning = Some(PinningSummary {
            libraries: vec!["OkHttp CertificatePinner".into()],
            hosts: vec!["pay.example.com".into()],
            pins: vec![format!("sha256/{HASH}")],
            ..PinningSummary::default()
        });
        let mut findings = vec![embedded("assets/pay.der")];
        reclassify(&app, &mut findings);
        assert_eq!(findings[0].rule_id, RULE);
        assert!(findings[0].message.contains("pay.example.com"));
        // Without the literal, nothing changes.
        app.code_pinning = Some(PinningSummary {
            pins: vec!["sha256/CCCC".into()],
            ..PinningSummary::default()
        });
        let mut findings = vec![embedded("assets/pay.der")];
        reclassify(&app, &mut findings);
        assert_eq!(findings[0].rule_id, EMBEDDED_RULE);
    }

    fn ios(libraries: &[&str]) -> AppSummary {
        AppSummary {
            platform: "ios".into(),
            ios: Some(IosSummary {
                pinning: vec![BinaryPinning {
                    entry: "Payload/A.app/A".into(),
                    libraries: libraries.iter().map(|l| l.to_string()).collect(),
                }],
                pinned_domains: vec![PinnedDomain {
                    domain: "secure.example.com".into(),
                    ..PinnedDomain::default()
                }],
                ..IosSummary::default()
            }),
            ..AppSummary::default()
        }
    }

    #[test]
    fn certificate_files_in_an_ios_app_pinning_with_afnetworking() {
        let app = ios(&["AFNetworking AFSecurityPolicy"]);
        let mut findings = vec![
            embedded("Payload/A.app/server.CER"),
            embedded("Payload/A.app/server.pem"),
        ];
        reclassify(&app, &mut findings);
        assert_eq!(findings[0].rule_id, RULE);
        assert!(
            findings[0]
                .message
                .contains("AFNetworking AFSecurityPolicy"),
            "{}",
            findings[0].message
        );
        assert!(findings[0].message.contains("secure.example.com"));
        assert_eq!(findings[1].rule_id, EMBEDDED_RULE);
        // TrustKit pins hashes, not files.
        let mut findings = vec![embedded("Payload/A.app/server.cer")];
        reclassify(&ios(&["TrustKit"]), &mut findings);
        assert_eq!(findings[0].rule_id, EMBEDDED_RULE);
    }

    #[test]
    fn an_ns_pinned_domains_identity() {
        let mut app = ios(&[]);
        let pinned = DomainPolicy {
            domain: "bank.example.com".into(),
            pins: Some(DomainPins {
                ca: vec![HASH.into()],
                ..DomainPins::default()
            }),
            ..DomainPolicy::default()
        };
        if let Some(s) = app.ios.as_mut() {
            s.ats = vec![BundleAts {
                info_plist: "Payload/A.app/Info.plist".into(),
                policy: AtsPolicy {
                    domains: vec![pinned],
                    ..AtsPolicy::default()
                },
            }];
        }
        let mut findings = vec![
            embedded("Payload/A.app/ca.pem"),
            finding(EMBEDDED_RULE, "Payload/A.app/b.pem", "sha256/DDDD"),
        ];
        reclassify(&app, &mut findings);
        assert_eq!(findings[0].rule_id, RULE);
        assert!(
            findings[0]
                .message
                .contains("NSPinnedDomains pin of Payload/A.app/Info.plist for bank.example.com"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[1].rule_id, EMBEDDED_RULE);
    }

    #[test]
    fn lists_are_bounded_and_sorted() {
        let names: Vec<String> = (0..12).map(|i| format!("h{i:02}.example")).collect();
        let text = list(names.iter().rev().map(String::as_str));
        assert!(text.starts_with("h00.example, h01.example"), "{text}");
        assert!(text.ends_with("h07.example, 4 more"), "{text}");
        assert_eq!(list(["b", "a", "b"].into_iter()), "a, b");
    }
}
