//! The transport section: the effective TLS policy per domain of each app
//! (Android network security config, iOS App Transport Security, pinning
//! set up in code or by TrustKit), the app's own hosts first, and the
//! pinning libraries found.

use super::dates::{self, Expiry};
use super::out::Out;
use crate::apps::android::nsc::policy::TransportPolicy;
use crate::apps::ios::ats::{AtsPolicy, DomainPolicy};
use crate::apps::AppSummary;
use crate::detectors::endpoints::{registrable_domain, Party};
use crate::findings::ScannedArtifact;
use time::Date;

/// One domain's policy, whatever it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Row {
    /// The domain; `None` for the default (base config, ATS defaults).
    pub domain: Option<String>,
    pub include_subdomains: Option<bool>,
    pub cleartext: Option<bool>,
    /// What allows cleartext (`manifest`, `NSAllowsArbitraryLoads`…).
    pub cleartext_from: Option<String>,
    /// Trusted CA sources; empty when not known.
    pub anchors: Vec<String>,
    /// Number of pins; `None` when the source does not tell.
    pub pins: Option<usize>,
    /// Pin-set expiry as written (YYYY-MM-DD).
    pub pin_expiration: Option<String>,
    pub certificate_transparency: Option<bool>,
    /// `NSC`, `manifest`, `ATS`, `TrustKit`, `code pinning (…)`.
    pub source: String,
    /// Where the policy is read from.
    pub entry: String,
    /// The domain is one of the app's own.
    pub first_party: bool,
}

/// The policy rows of `app`: default first, then the app's own domains,
/// then the rest, each group sorted by domain.
pub(super) fn rows(app: &AppSummary, own: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    if let Some(android) = &app.android {
        rows.extend(android.transport.iter().map(android_row));
    }
    if let Some(code) = &app.code_pinning {
        let source = if code.libraries.is_empty() {
            "code pinning".to_string()
        } else {
            format!("code pinning ({})", code.libraries.join(", "))
        };
        rows.extend(code.hosts.iter().map(|host| Row {
            domain: Some(host.clone()),
            source: source.clone(),
            ..Row::default()
        }));
    }
    if let Some(ios) = &app.ios {
        for bundle in &ios.ats {
            rows.push(ats_default(&bundle.policy, &bundle.info_plist));
            rows.extend(
                bundle
                    .policy
                    .domains
                    .iter()
                    .map(|d| ats_row(d, &bundle.info_plist)),
            );
        }
        rows.extend(
            ios.pinned_domains
                .iter()
                .filter(|p| p.source != "NSPinnedDomains")
                .map(|p| Row {
                    domain: Some(p.domain.clone()),
                    pins: Some(p.pins),
                    source: p.source.clone(),
                    entry: p.info_plist.clone(),
                    ..Row::default()
                }),
        );
    }
    for row in &mut rows {
        row.first_party = row.domain.as_deref().is_some_and(|d| is_own(d, own));
    }
    rows.sort_by(|a, b| {
        let key = |r: &Row| (r.domain.is_some(), !r.first_party);
        key(a).cmp(&key(b)).then_with(|| a.domain.cmp(&b.domain))
    });
    rows
}

fn android_row(p: &TransportPolicy) -> Row {
    let from_config =
        p.entry != "AndroidManifest.xml" && !p.entry.ends_with("/AndroidManifest.xml");
    Row {
        domain: p.domain.clone(),
        include_subdomains: p.domain.as_ref().map(|_| p.include_subdomains),
        cleartext: Some(p.cleartext_permitted),
        cleartext_from: Some(p.cleartext_from.clone()),
        anchors: p
            .trust_anchors
            .iter()
            .map(|a| {
                let mut s = a.source.clone();
                if a.override_pins {
                    s.push_str(" (overrides pins)");
                }
                if a.debug {
                    s.push_str(" (debug)");
                }
                s
            })
            .collect(),
        pins: Some(p.pins.len()),
        pin_expiration: p.pin_expiration.clone(),
        certificate_transparency: p.certificate_transparency,
        source: if from_config { "NSC" } else { "manifest" }.into(),
        entry: p.entry.clone(),
        first_party: false,
    }
}

fn ats_default(p: &AtsPolicy, entry: &str) -> Row {
    let arbitrary = p.arbitrary_loads_effective();
    Row {
        domain: None,
        cleartext: Some(arbitrary),
        cleartext_from: arbitrary.then(|| "NSAllowsArbitraryLoads".into()),
        anchors: vec!["system".into()],
        source: "ATS".into(),
        entry: entry.into(),
        ..Row::default()
    }
}

fn ats_row(d: &DomainPolicy, entry: &str) -> Row {
    Row {
        domain: Some(d.domain.clone()),
        include_subdomains: Some(d.include_subdomains),
        cleartext: Some(d.cleartext_allowed),
        cleartext_from: d.cleartext_key.clone(),
        anchors: vec!["system".into()],
        pins: Some(d.pins.as_ref().map_or(0, |p| p.count())),
        certificate_transparency: Some(d.certificate_transparency),
        source: if d.pins.is_some() && !d.exception {
            "ATS NSPinnedDomains".into()
        } else {
            "ATS".into()
        },
        entry: entry.into(),
        ..Row::default()
    }
}

/// The registrable domains that are the app's own: the one its id is
/// written from and those of its first-party endpoints.
pub(super) fn own_domains(app: &AppSummary, artifact: &ScannedArtifact) -> Vec<String> {
    let mut own: Vec<String> = app.id.as_deref().and_then(id_domain).into_iter().collect();
    for r in artifact
        .endpoints
        .iter()
        .filter(|r| r.party == Party::First)
    {
        if let Some(d) = &r.domain {
            if !own.contains(d) {
                own.push(d.clone());
            }
        }
    }
    own
}

/// `dev.example.app` → `example.dev`.
fn id_domain(id: &str) -> Option<String> {
    let mut labels = id.split('.').filter(|l| !l.is_empty());
    let tld = labels.next()?.to_ascii_lowercase();
    let owner = labels.next()?.to_ascii_lowercase();
    registrable_domain(&format!("{owner}.{tld}"))
}

fn is_own(domain: &str, own: &[String]) -> bool {
    let host = domain.trim_start_matches("*.").trim_end_matches('.');
    let host = host.to_ascii_lowercase();
    registrable_domain(&host).is_some_and(|d| own.contains(&d)) || own.contains(&host)
}

/// Pinning libraries found in the app, sorted and without repeats.
pub(super) fn libraries(app: &AppSummary) -> Vec<String> {
    let mut libs: Vec<String> = Vec::new();
    if let Some(code) = &app.code_pinning {
        libs.extend(code.libraries.iter().cloned());
        libs.extend(code.libraries_present.iter().cloned());
    }
    if let Some(ios) = &app.ios {
        libs.extend(ios.pinning.iter().flat_map(|p| p.libraries.iter().cloned()));
    }
    libs.sort();
    libs.dedup();
    libs
}

/// Whether any app of `report` has something for this section.
pub(super) fn any(apps: &[(&ScannedArtifact, &AppSummary)]) -> bool {
    apps.iter()
        .any(|(_, a)| a.android.is_some() || a.ios.is_some() || a.code_pinning.is_some())
}

/// Writes the transport section; nothing when no app has a policy.
pub(super) fn render(o: &mut Out, apps: &[(&ScannedArtifact, &AppSummary)], today: Date) {
    if !any(apps) {
        return;
    }
    o.raw("<section id=\"transport\"><h2>Transport</h2>");
    for (artifact, app) in apps {
        let own = own_domains(app, artifact);
        let rows = rows(app, &own);
        o.raw("<h3>")
            .text(&super::overview::label(app))
            .raw(" <span class=\"note\">in ")
            .text(&artifact.path)
            .raw("</span></h3><p>Pinning libraries: ");
        let libs = libraries(app);
        if libs.is_empty() {
            o.raw("<span class=\"none\">none found</span>");
        }
        for (i, lib) in libs.iter().enumerate() {
            if i > 0 {
                o.raw(", ");
            }
            o.raw("<code>").text(lib).raw("</code>");
        }
        o.raw("</p>");
        if rows.is_empty() {
            o.raw("<p class=\"none\">No transport policy found.</p>");
            continue;
        }
        table(o, &rows, today);
    }
    o.raw("</section>");
}

fn table(o: &mut Out, rows: &[Row], today: Date) {
    o.raw("<table class=\"grid transport\"><thead><tr><th>Domain</th><th>Subdomains</th><th>Cleartext</th><th>Trust anchors</th><th>Pins</th><th>CT</th><th>Source</th></tr></thead><tbody>");
    for r in rows {
        o.raw("<tr><td>");
        match &r.domain {
            Some(d) => {
                o.raw("<code>").text(d).raw("</code>");
                if r.first_party {
                    o.raw(" <span class=\"badge party-first\">own</span>");
                }
            }
            None => {
                o.raw("<code>*</code> <span class=\"note\">default</span>");
            }
        }
        o.raw("</td><td>");
        yes_no(o, r.include_subdomains);
        o.raw("</td><td>");
        match r.cleartext {
            Some(true) => {
                o.raw("<span class=\"badge bad\">cleartext allowed</span>");
                if let Some(from) = &r.cleartext_from {
                    o.raw(" <span class=\"note\">").text(from).raw("</span>");
                }
            }
            Some(false) => {
                o.raw("<span class=\"flag\">no</span>");
            }
            None => {
                o.raw("<span class=\"none\">—</span>");
            }
        }
        o.raw("</td><td>");
        if r.anchors.is_empty() {
            o.raw("<span class=\"none\">—</span>");
        }
        for (i, a) in r.anchors.iter().enumerate() {
            if i > 0 {
                o.raw(", ");
            }
            let warn = a == "user" || a.starts_with("user ");
            o.raw(if warn {
                "<span class=\"flag bad\">"
            } else {
                "<span>"
            })
            .text(a)
            .raw("</span>");
        }
        o.raw("</td><td>");
        pins(o, r, today);
        o.raw("</td><td>");
        yes_no(o, r.certificate_transparency);
        o.raw("</td><td>").text(&r.source);
        if !r.entry.is_empty() {
            o.raw(" <span class=\"note\"><code>")
                .text(&r.entry)
                .raw("</code></span>");
        }
        o.raw("</td></tr>");
    }
    o.raw("</tbody></table>");
}

fn pins(o: &mut Out, r: &Row, today: Date) {
    match r.pins {
        None => {
            o.raw("<span class=\"none\">—</span>");
            return;
        }
        Some(n) => {
            o.num(n);
        }
    }
    if let Some(expiry) = &r.pin_expiration {
        o.raw(" <span class=\"note\">until ")
            .text(expiry)
            .raw("</span>");
        match dates::expiry(dates::parse(expiry), today) {
            Expiry::Expired => {
                o.raw(" <span class=\"badge bad\">expired</span>");
            }
            Expiry::Soon => {
                o.raw(" <span class=\"badge warn\">expiring</span>");
            }
            Expiry::Valid | Expiry::Unknown => {}
        }
    }
}

fn yes_no(o: &mut Out, v: Option<bool>) {
    match v {
        Some(true) => o.raw("<span class=\"flag\">yes</span>"),
        Some(false) => o.raw("<span class=\"flag\">no</span>"),
        None => o.raw("<span class=\"none\">—</span>"),
    };
}
