//! The endpoint inventory of each scanned file, grouped by registrable
//! domain, with a badge for every endpoint finding on the same host.

use super::out::Out;
use crate::detectors::endpoints::{EndpointRecord, Party};
use crate::findings::{Category, Finding, ScanReport, ScannedArtifact};
use std::collections::BTreeMap;

/// Writes the endpoints section; nothing when no file names an endpoint.
pub(super) fn render(o: &mut Out, report: &ScanReport) {
    if report.scanned.iter().all(|a| a.endpoints.is_empty()) {
        return;
    }
    o.raw("<section id=\"endpoints\"><h2>Endpoints</h2>");
    for artifact in report.scanned.iter().filter(|a| !a.endpoints.is_empty()) {
        artifact_table(o, artifact, &report.findings);
    }
    o.raw("</section>");
}

fn party(p: Party) -> &'static str {
    match p {
        Party::First => "first",
        Party::Third => "third",
        Party::Unknown => "unknown",
    }
}

fn artifact_table(o: &mut Out, artifact: &ScannedArtifact, findings: &[Finding]) {
    let records = &artifact.endpoints;
    let count = |p: Party| records.iter().filter(|r| r.party == p).count();
    o.raw("<h3>")
        .text(&artifact.path)
        .raw("</h3><p class=\"note\">")
        .num(records.len())
        .raw(" endpoints: ")
        .num(count(Party::First))
        .raw(" first-party, ")
        .num(count(Party::Third))
        .raw(" third-party, ")
        .num(count(Party::Unknown))
        .raw(" unknown</p>");
    let risky: Vec<(String, &Finding)> = findings
        .iter()
        .filter(|f| f.category == Category::Endpoint && f.artifact == artifact.path)
        .filter_map(|f| host_of(&f.value).map(|h| (h, f)))
        .collect();
    let mut groups: BTreeMap<(Party, &str), Vec<&EndpointRecord>> = BTreeMap::new();
    for r in records {
        let domain = r.domain.as_deref().unwrap_or(&r.host);
        groups.entry((r.party, domain)).or_default().push(r);
    }
    o.raw("<table class=\"endpoints\"><thead><tr><th>Endpoint</th><th>Kind</th><th>Seen</th><th>Where</th><th>Risk</th></tr></thead>");
    for ((p, domain), records) in groups {
        let p = party(p);
        o.raw("<tbody><tr class=\"group\"><th colspan=\"5\">")
            .text(domain)
            .raw(" <span")
            .attr("class", &format!("badge party-{p}"))
            .raw(">")
            .text(p)
            .raw("-party</span></th></tr>");
        for r in records {
            o.raw("<tr><td><code>").text(&r.endpoint).raw("</code>");
            if let Some(sdk) = &r.sdk {
                o.raw(" <span class=\"note\">SDK ").text(sdk).raw("</span>");
            }
            o.raw("</td><td>")
                .text(&r.kind)
                .raw("</td><td>")
                .num(r.count)
                .raw("</td><td>");
            if let Some(seen) = r.locations.first() {
                o.raw("<code>").text(&seen.path).raw("</code>");
                if let Some(symbol) = &seen.symbol {
                    o.raw(" <code>").text(symbol).raw("</code>");
                }
            }
            o.raw("</td><td>");
            for (_, f) in risky.iter().filter(|(h, _)| *h == r.host) {
                let severity = f.severity.as_str();
                o.raw("<a")
                    .attr("class", &format!("badge sev-{severity}"))
                    .attr("href", &format!("#filter=rule:{}", f.rule_id))
                    .attr("title", &f.message)
                    .raw(">")
                    .text(&f.rule_id)
                    .raw("</a> ");
            }
            o.raw("</td></tr>");
        }
        o.raw("</tbody>");
    }
    o.raw("</table>");
}

/// The lowercase host of an endpoint finding's value: a URL, `host:port`,
/// a host or an IP literal.
fn host_of(value: &str) -> Option<String> {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_endpoint_values() {
        assert_eq!(
            host_of("http://u:p@API.Example.com:8080/x?y#z").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(
            host_of("api.example.com.").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(host_of("10.0.0.7:22").as_deref(), Some("10.0.0.7"));
        assert_eq!(host_of("https://[::1]:443/").as_deref(), Some("::1"));
        assert_eq!(host_of("http:///x"), None);
    }
}
