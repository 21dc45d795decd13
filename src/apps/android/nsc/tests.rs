//! End-to-end tests: manifest + resource table + network security config
//! fixtures through [`crate::apps::android::analyze`].

use super::parse::parse_date;
use crate::apps::android::{analyze, AndroidAnalysis, AndroidApp};
use crate::apps::{AppFiles, Options};
use crate::findings::Severity;
use crate::fixtures::arsc::TableBuilder;
use crate::fixtures::axml::{Element as E, Encoding, ANDROID};
use base64::Engine as _;
use std::borrow::Cow;
use std::collections::HashMap;

const NSC: &str = "res/xml/network_security_config.xml";
const NSC_DEBUG: &str = "res/xml/network_security_config_debug.xml";

struct Files {
    names: Vec<String>,
    map: HashMap<String, Vec<u8>>,
}

impl AppFiles for Files {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        self.map.get(name).map(|b| Cow::Borrowed(b.as_slice()))
    }
}

/// One test app.
struct Setup {
    target: i32,
    debuggable: bool,
    uses_cleartext: Option<bool>,
    /// Whether the manifest names the config (`@xml/network_security_config`).
    reference: bool,
    nsc: Option<Vec<u8>>,
    debug_file: Option<E>,
}

fn setup(target: i32, nsc: Option<E>) -> Setup {
    Setup {
        target,
        debuggable: false,
        uses_cleartext: None,
        reference: nsc.is_some(),
        nsc: nsc.map(|e| e.to_axml(Encoding::Utf8)),
        debug_file: None,
    }
}

fn table(with_debug: bool) -> TableBuilder {
    let t = TableBuilder::new(0x7f, "com.example")
        .xml("network_security_config", NSC)
        .raw("my_ca", "res/raw/my_ca.pem");
    if with_debug {
        t.xml("network_security_config_debug", NSC_DEBUG)
    } else {
        t
    }
}

fn raw_id() -> u32 {
    table(false).id("raw", "my_ca").unwrap()
}

const AS_OF: time::Date = time::macros::date!(2025 - 06 - 01);

fn run(s: &Setup) -> AndroidAnalysis {
    let t = table(s.debug_file.is_some());
    let mut app = E::new("application").attr_bool(ANDROID, "allowBackup", false);
    if s.debuggable {
        app = app.attr_bool(ANDROID, "debuggable", true);
    }
    if let Some(v) = s.uses_cleartext {
        app = app.attr_bool(ANDROID, "usesCleartextTraffic", v);
    }
    if s.reference {
        let id = t.id("xml", "network_security_config").unwrap();
        app = app.attr_ref(ANDROID, "networkSecurityConfig", id);
    }
    let manifest = E::new("manifest")
        .ns("android", ANDROID)
        .attr_str("", "package", "com.example")
        .child(
            E::new("uses-sdk")
                .attr_int(ANDROID, "minSdkVersion", 21)
                .attr_int(ANDROID, "targetSdkVersion", s.target),
        )
        .child(app);
    let mut map = HashMap::new();
    map.insert(
        "AndroidManifest.xml".to_string(),
        manifest.to_axml(Encoding::Utf16),
    );
    map.insert("resources.arsc".to_string(), t.build());
    if let Some(n) = &s.nsc {
        map.insert(NSC.to_string(), n.clone());
    }
    if let Some(d) = &s.debug_file {
        map.insert(NSC_DEBUG.to_string(), d.to_axml(Encoding::Utf8));
    }
    let files = Files {
        names: map.keys().cloned().collect(),
        map,
    };
    let app = AndroidApp::from_apk(&files).unwrap();
    let out = analyze(&app, &Options { as_of: AS_OF });
    for i in &out.issues {
        assert!(
            crate::apps::rules::get(i.rule_id).is_some(),
            "{} is not declared in signatures/checks",
            i.rule_id
        );
    }
    out
}

fn rules(a: &AndroidAnalysis) -> Vec<&'static str> {
    let mut r: Vec<_> = a.issues.iter().map(|i| i.rule_id).collect();
    r.sort();
    r
}

fn issue<'a>(a: &'a AndroidAnalysis, rule: &str) -> &'a crate::apps::Issue {
    a.issues
        .iter()
        .find(|i| i.rule_id == rule)
        .unwrap_or_else(|| panic!("no {rule} in {:?}", rules(a)))
}

fn config(children: Vec<E>) -> E {
    children
        .into_iter()
        .fold(E::new("network-security-config"), E::child)
}

fn domain(name: &str, subdomains: bool) -> E {
    E::new("domain")
        .attr_bool("", "includeSubdomains", subdomains)
        .text(name)
}

fn anchors(sources: &[(&str, bool)]) -> E {
    sources
        .iter()
        .fold(E::new("trust-anchors"), |e, (src, over)| {
            e.child(E::new("certificates").attr_str("", "src", src).attr_bool(
                "",
                "overridePins",
                *over,
            ))
        })
}

fn pin_value(byte: u8) -> String {
    base64::engine::general_purpose::STANDARD.encode([byte; 32])
}

fn pin_set(expiration: Option<&str>, pins: &[String]) -> E {
    let mut e = E::new("pin-set");
    if let Some(x) = expiration {
        e = e.attr_str("", "expiration", x);
    }
    pins.iter().fold(e, |e, p| {
        e.child(E::new("pin").attr_str("", "digest", "SHA-256").text(p))
    })
}

fn cleartext(e: E, v: bool) -> E {
    e.attr_bool("", "cleartextTrafficPermitted", v)
}

#[test]
fn without_a_config_the_manifest_and_target_decide() {
    let modern = run(&setup(34, None));
    assert!(rules(&modern).is_empty(), "{:?}", rules(&modern));
    let base = &modern.summary.transport[0];
    assert!(!base.cleartext_permitted && base.domain.is_none());
    assert_eq!(base.entry, "AndroidManifest.xml");
    assert_eq!(base.trust_anchors.len(), 1);
    assert_eq!(modern.summary.network_security_config, None);

    let mut explicit = setup(34, None);
    explicit.uses_cleartext = Some(true);
    let a = run(&explicit);
    assert_eq!(rules(&a), ["android-cleartext-global"]);
    assert_eq!(
        issue(&a, "android-cleartext-global").value,
        "android:usesCleartextTraffic=true"
    );
    assert_eq!(a.summary.uses_cleartext_traffic, Some(true));

    let implied = run(&setup(27, None));
    assert_eq!(
        rules(&implied),
        ["android-cleartext-global", "android-target-sdk-low"]
    );
    assert_eq!(implied.summary.transport[0].cleartext_from, "default");

    let ancient = run(&setup(23, None));
    assert!(rules(&ancient).contains(&"android-user-ca-trusted"));
    assert!(issue(&ancient, "android-user-ca-trusted")
        .message
        .contains("API 23"));
}

#[test]
fn a_config_overrides_the_manifest_flag() {
    let mut s = setup(
        34,
        Some(config(vec![cleartext(E::new("base-config"), false)])),
    );
    s.uses_cleartext = Some(true);
    let a = run(&s);
    assert!(rules(&a).is_empty(), "{:?}", rules(&a));
    assert_eq!(a.summary.network_security_config.as_deref(), Some(NSC));
    assert_eq!(
        a.summary.transport[0].cleartext_from,
        "network-security-config"
    );

    // With no base-config the platform default for the target applies.
    let a = run(&setup(27, Some(config(vec![]))));
    let i = issue(&a, "android-cleartext-global");
    assert_eq!(
        (i.entry.as_str(), i.value.as_str()),
        (NSC, "targetSdkVersion<=27")
    );

    let a = run(&setup(
        34,
        Some(config(vec![cleartext(E::new("base-config"), true)])),
    ));
    assert_eq!(
        issue(&a, "android-cleartext-global").symbol.as_deref(),
        Some("base-config")
    );
}

#[test]
fn nested_domain_configs_inherit_and_hosts_match_like_the_platform() {
    let nested = E::new("domain-config")
        .child(domain("api.example.com", false))
        .child(pin_set(None, &[pin_value(1), pin_value(2)]))
        .child(E::new("certificateTransparency").attr_bool("", "enabled", true));
    let outer = cleartext(E::new("domain-config"), true)
        .child(domain("Example.COM ", true))
        .child(nested);
    let plain = E::new("domain-config").child(domain("other.org", false));
    let base = cleartext(E::new("base-config"), false).child(anchors(&[("system", false)]));
    let a = run(&setup(34, Some(config(vec![outer, base, plain]))));
    let t = &a.summary.transport;
    assert_eq!(t.len(), 4);
    let api = a.summary.policy_for_host("api.example.com").unwrap();
    assert!(
        api.cleartext_permitted,
        "inherited from the enclosing domain-config"
    );
    assert_eq!(api.certificate_transparency, Some(true));
    assert!(api.pinning_enforced);
    let sub = a.summary.policy_for_host("www.Example.com.").unwrap();
    assert_eq!(sub.domain.as_deref(), Some("example.com"));
    assert!(sub.include_subdomains && !sub.pinning_enforced);
    assert_eq!(sub.certificate_transparency, None);
    // other.org does not include subdomains; its cleartext comes from base.
    let other = a.summary.policy_for_host("other.org").unwrap();
    assert!(!other.cleartext_permitted);
    assert!(a
        .summary
        .policy_for_host("www.other.org")
        .unwrap()
        .domain
        .is_none());
    assert!(a
        .summary
        .policy_for_host("notexample.com")
        .unwrap()
        .domain
        .is_none());
    assert_eq!(a.summary.pinned_domains(), ["api.example.com"]);
    // Cleartext exceptions: the domain and its inheriting child, not other.org.
    let cleartext: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule_id == "android-cleartext-domain")
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(cleartext, ["example.com", "api.example.com"]);
    assert_eq!(issue(&a, "android-cleartext-domain").severity, None);
}

#[test]
fn loopback_cleartext_is_info() {
    let dc = cleartext(E::new("domain-config"), true).child(domain("10.0.2.2", false));
    let a = run(&setup(34, Some(config(vec![dc]))));
    assert_eq!(
        issue(&a, "android-cleartext-domain").severity,
        Some(Severity::Info)
    );
}

#[test]
fn pin_expiry_is_compared_with_as_of() {
    let two = [pin_value(1), pin_value(2)];
    let dc = |name: &str, exp: Option<&str>, pins: &[String]| {
        E::new("domain-config")
            .child(domain(name, false))
            .child(pin_set(exp, pins))
    };
    let a = run(&setup(
        34,
        Some(config(vec![
            dc("expired.com", Some("2025-06-01"), &two),
            dc("soon.com", Some("2025-08-01"), &two),
            dc("later.com", Some("2026-06-01"), &two),
            dc("single.com", None, &[pin_value(3), pin_value(3)]),
        ])),
    ));
    let by = |rule: &str| -> Vec<&str> {
        a.issues
            .iter()
            .filter(|i| i.rule_id == rule)
            .map(|i| i.value.as_str())
            .collect()
    };
    assert_eq!(by("android-pins-expired"), ["expired.com"]);
    assert_eq!(by("android-pins-expiring"), ["soon.com"]);
    assert_eq!(
        by("android-pin-no-backup"),
        ["single.com"],
        "identical pins count once"
    );
    assert_eq!(
        a.summary.pinned_domains(),
        ["soon.com", "later.com", "single.com"]
    );
    let expired = a.summary.policy_for_host("expired.com").unwrap();
    assert!(!expired.pinning_enforced);
    assert_eq!(expired.pins.len(), 2);
    assert_eq!(expired.pin_expiration.as_deref(), Some("2025-06-01"));
}

#[test]
fn override_pins_and_user_cas() {
    let dc = |name: &str, over: bool| {
        E::new("domain-config")
            .child(domain(name, false))
            .child(anchors(&[("system", false), ("user", over)]))
            .child(pin_set(None, &[pin_value(1), pin_value(2)]))
    };
    let a = run(&setup(
        34,
        Some(config(vec![dc("a.com", true), dc("b.com", false)])),
    ));
    let over = issue(&a, "android-pins-overridden");
    assert_eq!(
        (over.value.as_str(), over.severity),
        ("a.com", Some(Severity::Medium))
    );
    assert_eq!(
        a.issues
            .iter()
            .filter(|i| i.rule_id == "android-pins-overridden")
            .count(),
        1
    );
    let users: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule_id == "android-user-ca-trusted")
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(users, ["a.com", "b.com"]);

    let base = E::new("base-config").child(anchors(&[("user", false)]));
    let a = run(&setup(34, Some(config(vec![base, dc("c.com", false)]))));
    let users: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule_id == "android-user-ca-trusted")
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(
        users,
        ["base-config"],
        "domains repeating the base are not reported again"
    );
}

#[test]
fn raw_anchors_resolve_to_their_entry() {
    let base = E::new("base-config")
        .child(E::new("trust-anchors").child(E::new("certificates").attr_ref("", "src", raw_id())));
    let a = run(&setup(34, Some(config(vec![base]))));
    let t = &a.summary.transport[0].trust_anchors;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].source, "res/raw/my_ca.pem");
    assert!(!t[0].override_pins);
    assert!(rules(&a).is_empty());
}

#[test]
fn invalid_pins_reject_the_file() {
    let dc = |pin: E| {
        E::new("domain-config")
            .child(domain("a.com", false))
            .child(E::new("pin-set").child(pin))
    };
    let sha1 = E::new("pin")
        .attr_str("", "digest", "SHA-1")
        .text(&pin_value(1));
    let short = E::new("pin").attr_str("", "digest", "sha-256").text("AAAA");
    for pin in [sha1, short] {
        let a = run(&setup(27, Some(config(vec![dc(pin)]))));
        assert_eq!(
            rules(&a),
            ["android-nsc-invalid-pin", "android-target-sdk-low"]
        );
        assert_eq!(a.summary.network_security_config_errors.len(), 1);
    }
    let lower = E::new("pin")
        .attr_str("", "digest", "sha-256")
        .text(&pin_value(1));
    let a = run(&setup(34, Some(config(vec![dc(lower)]))));
    assert_eq!(
        rules(&a),
        ["android-pin-no-backup"],
        "the digest name is case-insensitive"
    );
}

#[test]
fn duplicate_domains_reject_the_file() {
    let dc = |name: &str| E::new("domain-config").child(domain(name, false));
    let a = run(&setup(
        34,
        Some(config(vec![dc("a.com"), dc("A.com"), dc("b.com")])),
    ));
    assert_eq!(rules(&a), ["android-nsc-duplicate-domain"]);
    assert_eq!(issue(&a, "android-nsc-duplicate-domain").value, "a.com");
    let a = run(&setup(34, Some(config(vec![dc("a.com"), dc("b.com")]))));
    assert!(rules(&a).is_empty());
}

#[test]
fn malformed_configs_are_issues() {
    let bad = [
        config(vec![
            E::new("base-config").child(pin_set(None, &[pin_value(1)]))
        ]),
        config(vec![E::new("base-config"), E::new("base-config")]),
        config(vec![E::new("domain-config")]),
        config(vec![
            E::new("base-config").child(anchors(&[("nowhere", false)]))
        ]),
        config(vec![E::new("domain-config")
            .child(domain("a.com", false))
            .child(pin_set(Some("2025-02-30"), &[pin_value(1)]))]),
        E::new("resources"),
    ];
    for doc in bad {
        let a = run(&setup(34, Some(doc)));
        assert_eq!(rules(&a), ["android-nsc-rejected"]);
    }
    let mut garbage = setup(34, None);
    garbage.reference = true;
    garbage.nsc = Some(b"not xml".to_vec());
    let a = run(&garbage);
    assert_eq!(rules(&a), ["android-nsc-rejected"]);
    assert!(a.summary.transport.is_empty());
}

#[test]
fn a_named_config_that_is_absent_is_reported() {
    let mut s = setup(34, None);
    s.reference = true;
    let a = run(&s);
    assert_eq!(rules(&a), ["android-nsc-missing"]);
    assert_eq!(
        issue(&a, "android-nsc-missing").entry,
        "AndroidManifest.xml"
    );
}

#[test]
fn debug_overrides_apply_only_to_debuggable_apps() {
    let file = || {
        config(vec![
            E::new("base-config").child(anchors(&[("system", false)])),
            E::new("debug-overrides").child(anchors(&[("user", true)])),
        ])
    };
    let release = run(&setup(34, Some(file())));
    assert_eq!(rules(&release), ["android-nsc-debug-overrides-inert"]);
    assert_eq!(
        issue(&release, "android-nsc-debug-overrides-inert").severity,
        None
    );
    let d = release.summary.debug_overrides.as_ref().unwrap();
    assert!(!d.effective);
    assert_eq!(release.summary.transport[0].trust_anchors.len(), 1);

    let mut s = setup(34, Some(file()));
    s.debuggable = true;
    let debug = run(&s);
    assert_eq!(
        rules(&debug),
        ["android-debuggable"],
        "debug anchors are not release trust"
    );
    let t = &debug.summary.transport[0].trust_anchors;
    assert_eq!(t.len(), 2);
    assert!(t[1].debug && t[1].override_pins && t[1].source == "user");
    assert!(debug.summary.debug_overrides.as_ref().unwrap().effective);
}

#[test]
fn the_debug_companion_resource_follows_the_same_rule() {
    let companion = config(vec![
        E::new("debug-overrides").child(anchors(&[("user", false)]))
    ]);
    let mut s = setup(
        34,
        Some(config(vec![E::new("domain-config")
            .child(domain("a.com", false))
            .child(anchors(&[("system", false)]))])),
    );
    s.debug_file = Some(companion);
    let a = run(&s);
    assert_eq!(rules(&a), ["android-nsc-debug-overrides-inert"]);
    assert_eq!(
        issue(&a, "android-nsc-debug-overrides-inert").entry,
        NSC_DEBUG
    );
    assert!(a
        .summary
        .transport
        .iter()
        .all(|p| p.trust_anchors.iter().all(|t| t.source != "user")));

    s.debuggable = true;
    let a = run(&s);
    let d = a.summary.debug_overrides.as_ref().unwrap();
    assert_eq!((d.entry.as_str(), d.effective), (NSC_DEBUG, true));
    // Added to the domain-config with its own anchors and to the default.
    assert!(a
        .summary
        .transport
        .iter()
        .all(|p| p.trust_anchors.iter().any(|t| t.debug)));
}

#[test]
fn errors_inside_debug_overrides_matter_only_when_debuggable() {
    let file = || {
        config(vec![
            E::new("debug-overrides").child(pin_set(None, &[pin_value(1)]))
        ])
    };
    let a = run(&setup(34, Some(file())));
    assert!(rules(&a).is_empty(), "{:?}", rules(&a));
    let mut s = setup(34, Some(file()));
    s.debuggable = true;
    assert_eq!(
        rules(&run(&s)),
        ["android-debuggable", "android-nsc-rejected"]
    );
}

#[test]
fn expiration_dates_parse_like_simple_date_format() {
    let d = |s| parse_date(s).map(|d| d.to_string());
    assert_eq!(d("2025-1-5").as_deref(), Some("2025-01-05"));
    assert_eq!(d("2025-01-05T10:00").as_deref(), Some("2025-01-05"));
    assert_eq!(d("2024-02-29").as_deref(), Some("2024-02-29"));
    for bad in ["2025-02-29", "2025-13-01", "2025/01/01", "", "-2025-01-01"] {
        assert_eq!(d(bad), None, "{bad}");
    }
}

#[test]
fn summary_serializes_with_the_documented_fields() {
    let a = run(&setup(
        34,
        Some(config(vec![E::new("domain-config")
            .child(domain("a.com", true))
            .child(pin_set(
                Some("2026-01-01"),
                &[pin_value(1), pin_value(2)],
            ))])),
    ));
    let v = serde_json::to_value(&a.summary).unwrap();
    for key in [
        "package",
        "version_name",
        "version_code",
        "min_sdk",
        "target_sdk",
        "debuggable",
        "test_only",
        "allow_backup",
        "uses_cleartext_traffic",
        "network_security_config",
        "transport",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let t = &v["transport"][1];
    assert_eq!(t["domain"], "a.com");
    assert_eq!(t["pins"][0]["digest"], "SHA-256");
    assert_eq!(t["trust_anchors"][0]["source"], "system");
    assert!(t["trust_anchors"][0].get("debug").is_none());
}

/// Prints the summary of every APK in the corpus, for comparison with
/// other tools: `cargo test --lib corpus_summaries -- --ignored --nocapture`.
#[test]
#[ignore = "prints corpus summaries for manual comparison"]
fn corpus_summaries() {
    use std::io::Read;
    let Some(dir) = crate::test_support::corpus_dir() else {
        return;
    };
    let wanted =
        |n: &str| n == "AndroidManifest.xml" || n == "resources.arsc" || n.starts_with("res/xml");
    for sub in ["real-android", "vuln-android"] {
        let Ok(list) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<_> = list.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                continue;
            };
            let mut map = HashMap::new();
            for i in 0..zip.len() {
                let Ok(mut f) = zip.by_index(i) else {
                    continue;
                };
                let Ok(name) = f.name().map(|n| n.to_string()) else {
                    continue;
                };
                let mut buf = Vec::new();
                if wanted(&name) && f.read_to_end(&mut buf).is_ok() {
                    map.insert(name, buf);
                }
            }
            let files = Files {
                names: map.keys().cloned().collect(),
                map,
            };
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let line = match AndroidApp::from_apk(&files) {
                Ok(app) => {
                    let a = analyze(&app, &Options { as_of: AS_OF });
                    let s = serde_json::to_string(&a.summary).unwrap_or_default();
                    format!("{s}\t{:?}", rules(&a))
                }
                Err(e) => format!("error: {e}"),
            };
            println!("{sub}/{name}\t{line}");
        }
    }
}
