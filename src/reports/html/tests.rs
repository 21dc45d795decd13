use super::super::sample::{self, SECRET_AWS, SECRET_GOOGLE, SECRET_STRIPE};
use super::*;
use crate::apps::android::code::PinningSummary;
use crate::apps::android::nsc::policy::{TransportPolicy, TrustAnchor};
use crate::apps::android::AndroidSummary;
use crate::apps::ios::ats::{AtsPolicy, DomainPolicy};
use crate::apps::ios::provision::Provisioning;
use crate::apps::ios::{BinaryPinning, BundleAts, IosSummary, PinnedDomain};
use crate::apps::AppSummary;
use crate::detectors::endpoints::{EndpointRecord, Party, Seen};
use crate::findings::{mask, Category, CertificateRecord, ScanError};
use crate::formats::certs::{CertInfo, ContainerKind, KeyInfo};

const XSS: &str = "<script>alert(1)</script>\"onerror=alert(1) x='<img src=x onerror=alert(2)>";

fn html(report: &ScanReport, show_secrets: bool) -> String {
    let opts = ReportOptions {
        show_secrets,
        ..Default::default()
    };
    let mut out = Vec::new();
    render(report, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn endpoint(host: &str, party: Party) -> EndpointRecord {
    EndpointRecord {
        endpoint: format!("https://{host}/v1"),
        kind: "url".into(),
        scheme: Some("https".into()),
        host: host.into(),
        domain: crate::detectors::endpoints::registrable_domain(host),
        party,
        sdk: None,
        count: 2,
        locations: vec![Seen {
            path: "classes.dex".into(),
            symbol: Some("com.example.Api".into()),
        }],
        paths: Vec::new(),
        transport: None,
    }
}

/// The sample report with the payload in every string a scanned app can
/// influence, and in the rule text.
fn hostile() -> ScanReport {
    let mut report = sample::report();
    let p = |s: &str| format!("{s}{XSS}");
    for f in &mut report.findings {
        f.value = p(&f.value);
        f.title = p(&f.title);
        f.message = p(&f.message);
        f.artifact = p(&f.artifact);
        f.rule_id = p(&f.rule_id);
        f.location.symbol = Some(p("sym"));
        f.location.chain.iter_mut().for_each(|c| *c = p(c));
    }
    for r in &mut report.rules {
        r.id = p(&r.id);
        r.name = p(&r.name);
        r.description = p(&r.description);
        r.remediation = p(&r.remediation);
        r.references.push(XSS.into());
    }
    report.findings[3].value = format!("http://{XSS}.example.com/");
    for a in &mut report.scanned {
        a.path = p(&a.path);
        a.kind = p(&a.kind);
        a.errors.push(ScanError {
            path: XSS.into(),
            message: XSS.into(),
        });
        a.apps.push(AppSummary {
            platform: XSS.into(),
            path: XSS.into(),
            id: Some(XSS.into()),
            version: Some(XSS.into()),
            frameworks: vec![XSS.into()],
            ..AppSummary::default()
        });
        a.apps.push(hostile_android_app());
        a.certificates.push(CertificateRecord {
            path: XSS.into(),
            password_found_in: Some(XSS.into()),
            ..client_p12()
        });
        a.certificates[0].certificates[0].subject = XSS.into();
        a.certificates[0].certificates[0].eku.push(XSS.into());
        let mut e = endpoint(XSS, Party::Unknown);
        e.sdk = Some(XSS.into());
        e.domain = Some(XSS.into());
        e.locations[0].symbol = Some(XSS.into());
        a.endpoints.push(e);
    }
    report.findings[3].artifact = report.scanned[1].path.clone();
    report.tool.version = XSS.into();
    report.started = XSS.into();
    report
}

/// Tag names and attribute names the page may contain.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
    "h5", "p", "nav", "a", "main", "section", "div", "span", "table", "thead", "tbody", "tr", "th",
    "td", "code", "details", "summary", "ul", "li", "article", "svg", "rect", "text", "label",
    "input", "button", "strong", "script", "br",
];
const ATTRS: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "content",
    "name",
    "class",
    "id",
    "href",
    "title",
    "colspan",
    "for",
    "type",
    "autocomplete",
    "spellcheck",
    "placeholder",
    "role",
    "width",
    "height",
    "x",
    "y",
    "aria-label",
    "aria-sort",
    "data-sort",
    "data-type",
    "data-severity",
    "data-category",
    "data-rule",
    "data-confidence",
    "data-artifact",
];

/// Checks every tag of `page` (outside the page's own style and script):
/// known names, attributes that are known, quoted and without `"` inside,
/// links that stay in the page.
fn assert_markup_is_ours(page: &str) {
    let body_of = |open: &str, close: &str| {
        let start = page.find(open).unwrap() + open.len();
        let end = page[start..].find(close).unwrap() + start;
        (start, end)
    };
    let (s0, s1) = body_of("<style>", "</style>");
    let (j0, j1) = body_of("<script>", "</script>");
    let markup = format!("{}{}{}", &page[..s0], &page[s1..j0], &page[j1..]);
    let mut rest = markup.as_str();
    while let Some(lt) = rest.find('<') {
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = rest[lt + 1..gt].trim_end_matches('/');
        rest = &rest[gt + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(TAGS.contains(&name), "unexpected tag <{tag}>");
        if name == "!DOCTYPE" {
            continue;
        }
        while !attrs.is_empty() {
            let (attr, after) = attrs.split_once("=\"").expect("unquoted attribute");
            let attr = attr.trim();
            assert!(
                ATTRS.contains(&attr),
                "unexpected attribute {attr} in <{tag}>"
            );
            let (value, after) = after.split_once('"').expect("unterminated value");
            if attr == "href" {
                assert!(value.starts_with('#'), "link out of the page: {value}");
            }
            attrs = after;
        }
    }
}

#[test]
fn hostile_strings_render_inert() {
    let report = hostile();
    for show in [false, true] {
        let page = html(&report, show);
        assert_eq!(page.to_ascii_lowercase().matches("<script").count(), 1);
        assert!(page.ends_with("</script></body></html>\n"));
        assert!(!page.contains("\"onerror"), "attribute breakout");
        assert!(!page.contains("<img"));
        assert_markup_is_ours(&page);
        // The payload is there, as text.
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=alert(1) x=&#39;")
        );
    }
}

#[test]
fn policy_allows_exactly_the_pages_own_style_and_script() {
    let page = html(&sample::report(), false);
    let between = |open: &str, close: &str| {
        let start = page.find(open).unwrap() + open.len();
        &page[start..page[start..].find(close).unwrap() + start]
    };
    let csp = between("http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    let csp = csp.replace("&#39;", "'");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains(&format!(
        "style-src {};",
        csp_hash(between("<style>", "</style>"))
    )));
    assert!(csp.contains(&format!(
        "script-src {};",
        csp_hash(between("<script>", "</script>"))
    )));
    assert!(!csp.contains("unsafe") && !csp.contains("http"), "{csp}");
    // Nothing is loaded: no src attributes, no remote style sheets or fonts.
    assert!(!page.contains(" src=") && !page.contains("url(") && !page.contains("@import"));
}

#[test]
fn values_are_masked_unless_asked() {
    let masked = html(&sample::report(), false);
    let shown = html(&sample::report(), true);
    for secret in [SECRET_AWS, SECRET_STRIPE, SECRET_GOOGLE] {
        assert!(!masked.contains(secret));
        assert!(masked.contains(&format!("<code class=\"value\">{}</code>", mask(secret))));
        assert!(shown.contains(&format!("<code class=\"value\">{secret}</code>")));
    }
    assert!(masked.contains("Values are masked"));
    assert!(shown.contains("handle this file as a secret"));
}

#[test]
fn findings_rows_most_severe_first_with_help() {
    let page = html(&sample::report(), false);
    let rows: Vec<&str> = page.split("<tr class=\"finding\"").skip(1).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with(" data-severity=\"critical\" data-category=\"secret\" data-rule=\"aws-access-key-id\" data-confidence=\"high\" data-artifact=\"apps/my app.xapk\">"));
    assert!(rows[3].starts_with(" data-severity=\"low\" data-category=\"endpoint\""));
    assert!(rows[0].contains(
        "<code>my app.xapk!/base.apk!/classes2.dex</code> <span class=\"pos\">offset 0x1234</span>"
    ));
    assert!(rows[3].contains("<span class=\"pos\">line 3</span>"));
    assert!(rows[0].contains("<summary>AWS access key ID <code>aws-access-key-id</code></summary><div class=\"help\"><p class=\"message\">AWS access key ID found.</p><h4>AWS access key ID</h4><p>Detects AWS access key ID."));
    assert!(rows[0].contains("<h5>How to fix</h5><p>Revoke the credential"));
    assert!(rows[0].contains("<li><code class=\"url\">https://example.com/docs</code></li>"));
    assert!(page.contains("<span id=\"shown-count\">4</span> of 4 shown"));
}

#[test]
fn overview_counts_files_and_errors() {
    let page = html(&sample::report(), false);
    assert!(page.contains("<a class=\"count sev-critical\" href=\"#filter=severity:critical\"><span class=\"n\">1</span> critical</a>"));
    assert!(page.contains("<tr><th>secret</th><td><a href=\"#filter=category:secret severity:critical\">1</a></td><td><a href=\"#filter=category:secret severity:high\">1</a></td><td><a href=\"#filter=category:secret severity:medium\">1</a></td><td></td><td></td><td>3</td></tr>"));
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page.contains("<article class=\"artifact\"><h3>apps/my app.xapk</h3><table class=\"kv\"><tr><th>kind</th><td>xapk</td></tr><tr><th>sha256</th><td><code>abab"));
    assert!(page.contains(
        "<h3>lib.so</h3><ul class=\"errors\"><li><code>lib.so</code>: not an ELF file</li></ul>"
    ));
    assert!(page.contains(
        "<li><code>base.apk!/lib/arm64-v8a/libfoo.so</code>: truncated section header table</li>"
    ));
    // Sections without data are left out.
    assert!(!page.contains("id=\"endpoints\"") && !page.contains("id=\"transport\""));
}

#[test]
fn apps_and_endpoints_with_risk_badges() {
    let mut report = sample::report();
    report.scanned[1].apps.push(AppSummary {
        platform: "android".into(),
        path: String::new(),
        id: Some("com.example".into()),
        version: Some("1.2".into()),
        ..AppSummary::default()
    });
    report.scanned[1].endpoints = vec![
        endpoint("api.example.com", Party::First),
        endpoint("cdn.example.com", Party::First),
        endpoint("sdk.vendor.io", Party::Third),
    ];
    assert_eq!(report.findings[3].category, Category::Endpoint);
    let page = html(&report, false);
    assert!(page.contains("<h4>android app com.example 1.2</h4><table class=\"kv identity\"><tr><th>platform</th><td>android</td></tr><tr><th>id</th><td>com.example</td></tr><tr><th>version</th><td>1.2</td></tr></table><details class=\"fields\"><summary>Every summary field</summary>"));
    assert!(page.contains("<a href=\"#endpoints\">Endpoints</a>"));
    let section = &page[page.find("<section id=\"endpoints\">").unwrap()..];
    assert!(section.contains("3 endpoints: 2 first-party, 1 third-party, 0 unknown"));
    // One group per registrable domain, first party first.
    let example = section
        .find("<th colspan=\"5\">example.com <span class=\"badge party-first\">first-party</span>")
        .unwrap();
    let vendor = section
        .find("<th colspan=\"5\">vendor.io <span class=\"badge party-third\">")
        .unwrap();
    assert!(example < vendor);
    // The cleartext finding's host carries a badge; the other hosts none.
    let api = &section[section.find("https://api.example.com/v1").unwrap()..];
    let api = &api[..api.find("</tr>").unwrap()];
    assert!(
        api.contains("<a class=\"badge sev-low\" href=\"#filter=rule:cleartext-endpoint\""),
        "{api}"
    );
    assert_eq!(section.matches("badge sev-").count(), 1);
}

fn policy(domain: Option<&str>, cleartext: bool) -> TransportPolicy {
    TransportPolicy {
        domain: domain.map(String::from),
        include_subdomains: domain.is_some(),
        cleartext_permitted: cleartext,
        cleartext_from: "network-security-config".into(),
        trust_anchors: vec![TrustAnchor {
            source: "system".into(),
            override_pins: false,
            debug: false,
        }],
        entry: "res/xml/network_security_config.xml".into(),
        ..TransportPolicy::default()
    }
}

/// An Android app with a network security config and code pinning.
fn android_app() -> AppSummary {
    let mut legacy = policy(Some("legacy.example.com"), true);
    legacy.trust_anchors.push(TrustAnchor {
        source: "user".into(),
        override_pins: true,
        debug: false,
    });
    legacy.pin_expiration = Some("2024-01-31".into());
    let mut pinned = policy(Some("pay.example.com"), false);
    pinned.pin_expiration = Some("2024-06-15".into());
    pinned.pinning_enforced = true;
    AppSummary {
        platform: "android".into(),
        id: Some("com.example.app".into()),
        version: Some("2.0".into()),
        android: Some(AndroidSummary {
            package: Some("com.example.app".into()),
            min_sdk: Some(24),
            target_sdk: Some(34),
            debuggable: true,
            transport: vec![
                policy(None, false),
                policy(Some("cdn.vendor.io"), true),
                legacy,
                pinned,
            ],
            ..AndroidSummary::default()
        }),
        code_pinning: Some(PinningSummary {
            libraries: vec!["okhttp3.CertificatePinner".into()],
            hosts: vec!["api.example.com".into()],
            pins: vec!["sha256/AAAA".into()],
            uses: 1,
            ..PinningSummary::default()
        }),
        signing: Some(CertInfo {
            subject: "C=US, O=Android, CN=Android Debug".into(),
            issuer: "C=US, O=Android, CN=Android Debug".into(),
            self_signed: true,
            not_before: "2010-01-01T00:00:00Z".into(),
            not_after: "2020-01-01T00:00:00Z".into(),
            key_type: "rsa".into(),
            key_bits: 1024,
            ..CertInfo::default()
        }),
        ..AppSummary::default()
    }
}

/// An app whose every string is the payload.
fn hostile_android_app() -> AppSummary {
    let mut app = android_app();
    app.id = Some(XSS.into());
    if let Some(a) = &mut app.android {
        for p in &mut a.transport {
            p.domain = Some(XSS.into());
            p.pin_expiration = Some(XSS.into());
            p.cleartext_from = XSS.into();
            p.entry = XSS.into();
            p.trust_anchors[0].source = XSS.into();
        }
    }
    if let Some(c) = &mut app.code_pinning {
        c.libraries.push(XSS.into());
        c.hosts.push(XSS.into());
    }
    if let Some(s) = &mut app.signing {
        s.subject = XSS.into();
        s.not_after = XSS.into();
    }
    app
}

fn ios_app() -> AppSummary {
    AppSummary {
        platform: "ios".into(),
        id: Some("net.example.ios".into()),
        version: Some("3.1".into()),
        ios: Some(IosSummary {
            bundle_id: Some("net.example.ios".into()),
            build: Some("42".into()),
            minimum_os: Some("15.0".into()),
            ats: vec![BundleAts {
                info_plist: "Payload/X.app/Info.plist".into(),
                policy: AtsPolicy {
                    declared: true,
                    domains: vec![DomainPolicy {
                        domain: "media.example.net".into(),
                        exception: true,
                        include_subdomains: true,
                        cleartext_allowed: true,
                        cleartext_key: Some("NSExceptionAllowsInsecureHTTPLoads".into()),
                        min_tls: "TLSv1.2".into(),
                        ..DomainPolicy::default()
                    }],
                    ..AtsPolicy::default()
                },
            }],
            pinned_domains: vec![PinnedDomain {
                domain: "api.example.net".into(),
                source: "TSKConfiguration".into(),
                info_plist: "Payload/X.app/Info.plist".into(),
                pins: 2,
                excluded: false,
            }],
            pinning: vec![BinaryPinning {
                entry: "Payload/X.app/X".into(),
                libraries: vec!["TrustKit".into()],
            }],
            provisioning: vec![Provisioning {
                entry: "Payload/X.app/embedded.mobileprovision".into(),
                kind: "development".into(),
                team_id: Some("ABCDE12345".into()),
                expires: Some("2023-01-01".into()),
                expired: true,
                get_task_allow: true,
                ..Provisioning::default()
            }],
            ..IosSummary::default()
        }),
        ..AppSummary::default()
    }
}

/// The table rows of the section `id` of `page`, cells as text without
/// markup.
fn table_rows(page: &str, id: &str) -> Vec<String> {
    let start = page.find(&format!("<section id=\"{id}\"")).unwrap();
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    section
        .split("<tr>")
        .skip(1)
        .filter(|r| r.starts_with("<td"))
        .map(|r| r[..r.find("</tr>").unwrap()].to_string())
        .collect()
}

#[test]
fn transport_table_per_app_own_hosts_first() {
    let mut report = sample::report();
    report.scanned[1].apps = vec![android_app(), ios_app()];
    report.scanned[1].endpoints = vec![endpoint("cdn.example.org", Party::First)];
    let page = html(&report, false);
    assert!(page.contains("<a href=\"#transport\">Transport</a>"));
    let rows = table_rows(&page, "transport");
    let domain = |r: &str| {
        let at = r.find("<code>").unwrap() + 6;
        r[at..at + r[at..].find('<').unwrap()].to_string()
    };
    let android: Vec<String> = rows[..5].iter().map(|r| domain(r)).collect();
    assert_eq!(
        android,
        [
            "*",
            "api.example.com",
            "legacy.example.com",
            "pay.example.com",
            "cdn.vendor.io"
        ]
    );
    assert!(rows[0].contains("<span class=\"note\">default</span>"));
    assert!(!rows[0].contains("cleartext allowed"));
    // Own hosts carry a badge; the vendor's does not.
    assert!(rows[1..4].iter().all(|r| r.contains("badge party-first")));
    assert!(!rows[4].contains("badge party-first"));
    assert!(rows[1].contains("code pinning (okhttp3.CertificatePinner)"));
    let legacy = &rows[2];
    assert!(legacy.contains("<span class=\"badge bad\">cleartext allowed</span> <span class=\"note\">network-security-config</span>"), "{legacy}");
    assert!(legacy.contains("<span class=\"flag bad\">user (overrides pins)</span>"));
    // Pins expired before the report's day (2024-05-01), or expiring soon.
    assert!(legacy.contains("until 2024-01-31</span> <span class=\"badge bad\">expired</span>"));
    assert!(rows[3].contains("until 2024-06-15</span> <span class=\"badge warn\">expiring</span>"));
    assert!(rows[3].contains("<td><span class=\"flag\">no</span></td>"));
    assert!(rows[4].contains("cleartext allowed"));
    // iOS: the ATS default, then the app's own domains.
    let ios: Vec<String> = rows[5..].iter().map(|r| domain(r)).collect();
    assert_eq!(ios, ["*", "api.example.net", "media.example.net"]);
    assert!(rows[5].contains("ATS") && !rows[5].contains("cleartext allowed"));
    assert!(rows[6].contains("<td>2</td>") && rows[6].contains("TSKConfiguration"));
    assert!(rows[7].contains(
        "cleartext allowed</span> <span class=\"note\">NSExceptionAllowsInsecureHTTPLoads"
    ));
    let section = &page[page.find("<section id=\"transport\"").unwrap()..];
    assert!(section.contains("Pinning libraries: <code>okhttp3.CertificatePinner</code></p>"));
    assert!(section.contains("Pinning libraries: <code>TrustKit</code></p>"));
}

#[test]
fn identity_cards_show_sdk_signing_and_provisioning() {
    let mut report = sample::report();
    report.scanned[1].apps = vec![android_app(), ios_app()];
    let page = html(&report, false);
    assert!(page.contains("<tr><th>min SDK</th><td>API 24</td></tr><tr><th>target SDK</th><td>API 34</td></tr><tr><th>debuggable</th><td><span class=\"badge bad\">yes</span></td></tr>"));
    assert!(page.contains("<tr><th>signing</th><td>C=US, O=Android, CN=Android Debug <span class=\"badge bad\">debug certificate</span><br><span class=\"note\">issuer</span> self-signed<br><span class=\"note\">valid</span> 2010-01-01T00:00:00Z to 2020-01-01T00:00:00Z <span class=\"badge bad\">expired</span><br><span class=\"note\">key</span> rsa 1024</td></tr>"));
    assert!(page.contains("<tr><th>version</th><td>3.1 (build 42)</td></tr><tr><th>MinimumOSVersion</th><td>15.0</td></tr>"));
    assert!(page.contains("<tr><th>provisioning</th><td>development, team ABCDE12345, expires 2023-01-01 <span class=\"badge bad\">expired</span> <span class=\"badge bad\">get-task-allow</span>"));
    // Fields without a place on the card stay reachable.
    let fields = &page[page.find("<summary>Every summary field</summary>").unwrap()..];
    assert!(fields.contains("<th>pinning enforced</th>"));
}

const STORE_PASSWORD: &str = "Kx9-store-pass!";

/// A PKCS#12 client identity whose password the app holds.
fn client_p12() -> CertificateRecord {
    CertificateRecord {
        path: "res/raw/client.p12".into(),
        kind: ContainerKind::Pkcs12,
        certificates: vec![CertInfo {
            alias: Some("client".into()),
            subject: "CN=demo client".into(),
            issuer: "CN=Demo CA".into(),
            not_before: "2019-01-01T00:00:00Z".into(),
            not_after: "2020-01-01T00:00:00Z".into(),
            key_type: "ec".into(),
            key_bits: 256,
            eku: vec!["clientAuth".into()],
            client_auth: true,
            ..CertInfo::default()
        }],
        private_keys: vec![KeyInfo {
            format: "keystore-entry".into(),
            key_type: Some("ec".into()),
            key_bits: Some(256),
            certificate: Some(0),
            ..KeyInfo::default()
        }],
        encrypted: true,
        password_recovered: true,
        password_found_in: Some("classes.dex".into()),
    }
}

fn certificates_report() -> ScanReport {
    let mut report = sample::report();
    let locked = CertificateRecord {
        path: "assets/locked.jks".into(),
        kind: ContainerKind::Jks,
        certificates: vec![],
        private_keys: vec![],
        encrypted: true,
        password_recovered: false,
        password_found_in: None,
    };
    let lone = CertificateRecord {
        path: "assets/upload.pem".into(),
        kind: ContainerKind::Pem,
        certificates: vec![],
        private_keys: vec![KeyInfo {
            format: "pkcs1".into(),
            key_type: Some("rsa".into()),
            key_bits: Some(2048),
            ..KeyInfo::default()
        }],
        encrypted: false,
        password_recovered: false,
        password_found_in: None,
    };
    report.scanned[1].certificates = vec![client_p12(), locked, lone];
    let rule = crate::apps::rules::get("key-keystore-password-in-app").unwrap();
    report.findings.push(sample::finding(
        rule,
        "config.txt",
        &["config.txt", "res/raw/client.p12"],
        None,
        STORE_PASSWORD,
    ));
    report
}

#[test]
fn certificates_table_with_masked_password() {
    let report = certificates_report();
    let page = html(&report, false);
    assert!(page.contains("<a href=\"#certificates\">Certificates</a>"));
    let rows = table_rows(&page, "certificates");
    assert_eq!(rows.len(), 3);
    let p12 = &rows[0];
    assert!(p12.starts_with("<td><code>res/raw/client.p12</code> <span class=\"note\">pkcs12</span></td><td>CN=demo client <span class=\"note\">alias client</span></td><td>CN=Demo CA</td>"), "{p12}");
    assert!(p12.contains("<td class=\"expired\">2020-01-01T00:00:00Z <span class=\"badge bad\">expired</span></td><td>ec 256</td><td><span class=\"badge bad\">clientAuth</span></td>"));
    assert!(p12.contains("<td><span class=\"flag bad\">yes</span> ec 256 <span class=\"note\">keystore-entry</span></td>"));
    assert!(p12.contains(&format!("<span class=\"badge bad\">recovered</span> <code class=\"value\">{}</code> <span class=\"note\">found in <code>classes.dex</code></span>", mask(STORE_PASSWORD))), "{p12}");
    assert!(!page.contains(STORE_PASSWORD));
    assert!(
        rows[1].contains("assets/locked.jks")
            && rows[1].contains("<span class=\"flag\">locked</span>")
    );
    assert!(
        rows[2].contains("<span class=\"none\">no certificate</span>")
            && rows[2].contains("rsa 2048 <span class=\"note\">pkcs1</span>")
    );
    assert!(rows[2].contains("none needed"));
    let shown = html(&report, true);
    assert!(shown.contains(&format!(
        "<code class=\"value\">{STORE_PASSWORD}</code> <span class=\"note\">found in"
    )));
}

#[test]
fn certificate_expiry_is_relative_to_the_report_day() {
    let mut report = certificates_report();
    report.scanned[1].certificates[0].certificates[0].not_after = "2024-06-30T00:00:00Z".into();
    let page = html(&report, false);
    let rows = table_rows(&page, "certificates");
    assert!(rows[0].contains("<td>2024-06-30T00:00:00Z <span class=\"badge warn\">expires within 90 days</span></td>"), "{}", rows[0]);
    report.scanned[1].certificates[0].certificates[0].not_after = "2030-06-30T00:00:00Z".into();
    let page = html(&report, false);
    let rows = table_rows(&page, "certificates");
    assert!(rows[0].contains("<td>2030-06-30T00:00:00Z</td>"));
}
