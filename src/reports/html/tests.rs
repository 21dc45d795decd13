use super::super::sample::{self, SECRET_AWS, SECRET_GOOGLE, SECRET_STRIPE};
use super::*;
use crate::apps::AppSummary;
use crate::detectors::endpoints::{EndpointRecord, Party, Seen};
use crate::findings::{mask, Category, ScanError};

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
    "input", "button", "strong", "script",
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
    assert!(page.contains("<h4>android app com.example 1.2</h4><table class=\"kv\"><tr><th>platform</th><td>android</td></tr><tr><th>id</th><td>com.example</td></tr><tr><th>version</th><td>1.2</td></tr></table>"));
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

#[test]
fn summary_fields_get_their_own_sections() {
    let report = sample::report();
    let fields = serde_json::json!({
        "platform": "ios",
        "transport": {"domains": [{"domain": "example.com", "cleartext": true}]},
        "certificates": [{"subject": "CN=x", "expired": true}],
        "frameworks": ["flutter"]
    });
    let apps = vec![overview::App {
        artifact: &report.scanned[0],
        fields: fields.as_object().unwrap().clone(),
    }];
    let mut o = Out::default();
    overview::app_sections(&mut o, &apps);
    let out = o.finish();
    assert!(out.starts_with("<section id=\"transport\"><h2>Transport</h2><h3>ios app <span class=\"note\">in apps/my app.xapk</span></h3>"), "{out}");
    assert!(out.contains("<section id=\"certificates\"><h2>Certificates</h2>"));
    assert!(out.contains("<th>subject</th></tr></thead><tbody><tr><td><span class=\"flag bad\">yes</span></td><td>CN=x</td>"));
    assert!(!out.contains("flutter"));
}
