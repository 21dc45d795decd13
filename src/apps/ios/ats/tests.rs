use super::*;
use crate::findings::Severity;

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    Value::Dictionary(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn info(ats: Value) -> Dictionary {
    let Value::Dictionary(d) = dict(vec![(ATS, ats)]) else {
        unreachable!()
    };
    d
}

fn yes() -> Value {
    Value::Boolean(true)
}

fn no() -> Value {
    Value::Boolean(false)
}

fn run(ats: Value, min_os: Option<&str>) -> (AtsPolicy, Vec<Issue>) {
    let p = policy(&info(ats));
    let issues = issues(&p, "Payload/A.app/Info.plist", min_os);
    (p, issues)
}

fn ids(issues: &[Issue]) -> Vec<&'static str> {
    issues.iter().map(|i| i.rule_id).collect()
}

#[test]
fn arbitrary_loads_alone_is_a_finding() {
    let (p, i) = run(dict(vec![("NSAllowsArbitraryLoads", yes())]), Some("12.0"));
    assert!(p.arbitrary_loads_effective());
    assert_eq!(ids(&i), ["ios-ats-arbitrary-loads"]);
    assert_eq!(i[0].severity, None);
    let (_, i) = run(dict(vec![("NSAllowsArbitraryLoads", no())]), None);
    assert!(i.is_empty());
}

#[test]
fn web_content_key_makes_ios10_ignore_arbitrary_loads() {
    let ats = || {
        dict(vec![
            ("NSAllowsArbitraryLoads", yes()),
            ("NSAllowsArbitraryLoadsInWebContent", yes()),
        ])
    };
    let (p, i) = run(ats(), Some("11.0"));
    assert!(p.allows_arbitrary_loads && !p.arbitrary_loads_effective());
    assert_eq!(
        p.arbitrary_loads_ignored_because,
        ["NSAllowsArbitraryLoadsInWebContent"]
    );
    assert_eq!(ids(&i), ["ios-ats-arbitrary-loads-web-content"]);
    // Still effective on iOS 9 when the app supports it: low severity.
    let (_, i) = run(ats(), Some("9.0"));
    assert_eq!(
        ids(&i),
        [
            "ios-ats-arbitrary-loads",
            "ios-ats-arbitrary-loads-web-content"
        ]
    );
    assert_eq!(i[0].severity, Some(Severity::Low));
    assert!(i[0].message.contains("iOS 10 and later ignore it"));
    // Any value counts, even false.
    let (p, i) = run(
        dict(vec![
            ("NSAllowsArbitraryLoads", yes()),
            ("NSAllowsLocalNetworking", no()),
        ]),
        Some("14.0"),
    );
    assert!(!p.arbitrary_loads_effective());
    assert!(i.is_empty());
}

#[test]
fn media_key_fires_its_rule() {
    let (p, i) = run(dict(vec![("NSAllowsArbitraryLoadsForMedia", yes())]), None);
    assert!(p.allows_arbitrary_loads_for_media);
    assert_eq!(ids(&i), ["ios-ats-arbitrary-loads-media"]);
}

#[test]
fn string_yes_is_not_a_boolean() {
    let (p, i) = run(
        dict(vec![(
            "NSAllowsArbitraryLoads",
            Value::String("YES".into()),
        )]),
        Some("15.0"),
    );
    assert!(!p.allows_arbitrary_loads);
    assert_eq!(ids(&i), ["ios-ats-value-no-effect"]);
    assert!(i[0].message.contains("string \"YES\""), "{}", i[0].message);
    // The same for a domain key.
    let domains = dict(vec![(
        "example.com",
        dict(vec![(
            "NSExceptionAllowsInsecureHTTPLoads",
            Value::String("true".into()),
        )]),
    )]);
    let (p, i) = run(dict(vec![("NSExceptionDomains", domains)]), None);
    assert!(!p.domains[0].cleartext_allowed);
    assert_eq!(ids(&i), ["ios-ats-value-no-effect"]);
}

#[test]
fn exception_domains_give_effective_policies() {
    let domains = dict(vec![
        (
            "api.example.com",
            dict(vec![
                ("NSIncludesSubdomains", yes()),
                ("NSExceptionAllowsInsecureHTTPLoads", yes()),
                (
                    "NSExceptionMinimumTLSVersion",
                    Value::String("TLSv1.0".into()),
                ),
                ("NSExceptionRequiresForwardSecrecy", no()),
                ("NSRequiresCertificateTransparency", yes()),
            ]),
        ),
        (
            "legacy.example.org",
            dict(vec![
                ("NSTemporaryExceptionAllowsInsecureHTTPLoads", yes()),
                (
                    "NSThirdPartyExceptionMinimumTLSVersion",
                    Value::String("TLSv1.1".into()),
                ),
            ]),
        ),
        (
            "localhost",
            dict(vec![("NSExceptionAllowsInsecureHTTPLoads", yes())]),
        ),
        (
            "strict.example.net",
            dict(vec![
                (
                    "NSExceptionMinimumTLSVersion",
                    Value::String("TLSv1.3".into()),
                ),
                ("NSExceptionAllowsInsecureHTTPLoads", no()),
            ]),
        ),
        (
            "odd.example.net",
            dict(vec![(
                "NSExceptionMinimumTLSVersion",
                Value::String("SSLv3".into()),
            )]),
        ),
    ]);
    let (p, i) = run(dict(vec![("NSExceptionDomains", domains)]), None);
    let api = &p.domains[0];
    assert_eq!(api.domain, "api.example.com");
    assert!(api.include_subdomains && api.cleartext_allowed && api.certificate_transparency);
    assert_eq!(
        (api.min_tls.as_str(), api.forward_secrecy),
        ("TLSv1.0", false)
    );
    let legacy = &p.domains[1];
    assert_eq!(
        legacy.cleartext_key.as_deref(),
        Some("NSTemporaryExceptionAllowsInsecureHTTPLoads")
    );
    assert_eq!(legacy.min_tls, "TLSv1.1");
    let strict = &p.domains[3];
    assert_eq!(
        (strict.min_tls.as_str(), strict.cleartext_allowed),
        ("TLSv1.3", false)
    );
    assert_eq!(p.domains[4].min_tls, "TLSv1.2");
    assert_eq!(
        ids(&i),
        [
            "ios-ats-insecure-http-exception",
            "ios-ats-weak-min-tls",
            "ios-ats-forward-secrecy-disabled",
            "ios-ats-insecure-http-exception",
            "ios-ats-weak-min-tls",
            "ios-ats-insecure-http-exception",
            "ios-ats-value-no-effect",
        ]
    );
    assert!(i[0]
        .message
        .contains("api.example.com and all its subdomains"));
    assert_eq!(i[0].value, "api.example.com");
    assert_eq!(i[0].severity, None);
    assert!(!i[3].message.contains("subdomains"));
    assert_eq!(i[5].severity, Some(Severity::Low), "localhost is local");
}

#[test]
fn pinned_domains_are_validated() {
    const PIN: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    let ids_of = |hashes: &[&str]| {
        Value::Array(
            hashes
                .iter()
                .map(|h| dict(vec![("SPKI-SHA256-BASE64", Value::String(h.to_string()))]))
                .collect(),
        )
    };
    let pinned = dict(vec![
        (
            "one.example.com",
            dict(vec![("NSPinnedLeafIdentities", ids_of(&[PIN]))]),
        ),
        (
            "two.example.com",
            dict(vec![("NSPinnedCAIdentities", ids_of(&[PIN, PIN]))]),
        ),
        (
            "bad.example.com",
            dict(vec![("NSPinnedCAIdentities", ids_of(&["bm9wZQ=="]))]),
        ),
        (
            "empty.example.com",
            dict(vec![("NSPinnedCAIdentities", ids_of(&[]))]),
        ),
    ]);
    let (p, i) = run(
        dict(vec![
            ("NSPinnedDomains", pinned),
            ("NSAllowsArbitraryLoads", yes()),
        ]),
        None,
    );
    assert_eq!(p.domains.len(), 4);
    assert!(p
        .domains
        .iter()
        .all(|d| !d.exception && d.cleartext_allowed));
    assert_eq!(p.domains[1].pins.as_ref().unwrap().count(), 2);
    assert_eq!(
        ids(&i),
        [
            "ios-ats-arbitrary-loads",
            "ios-ats-single-pin",
            "ios-ats-invalid-pin",
            "ios-ats-invalid-pin",
        ]
    );
    assert_eq!(i[2].value, "bad.example.com");
}

#[test]
fn no_ats_dictionary_is_clean() {
    let p = policy(&Dictionary::new());
    assert!(!p.declared);
    assert!(issues(&p, "e", None).is_empty());
    let (p, i) = run(Value::String("off".into()), None);
    assert!(p.declared);
    assert_eq!(ids(&i), ["ios-ats-value-no-effect"]);
    assert!(is_local("192.168.1.1") && is_local("printer.local") && is_local("intranet"));
    assert!(!is_local("example.com"));
}
