//! The overview: counts by severity and category, the chart, and each
//! scanned file with the apps inside it. App summaries are rendered field by
//! field from their JSON form, so every field they gain is shown; `transport`
//! and `certificates` get sections of their own (see [`app_sections`]).

use super::out::Out;
use super::{chart, tree};
use crate::findings::{ScanReport, ScannedArtifact, Severity};
use serde_json::{Map, Value};

/// App summary fields shown first, in this order.
const IDENTITY: [&str; 4] = ["platform", "id", "version", "path"];
/// App summary fields shown in their own sections, with their headings.
pub(super) const SECTIONS: [(&str, &str); 2] =
    [("transport", "Transport"), ("certificates", "Certificates")];

/// One app of a scanned file, as JSON fields.
pub(super) struct App<'a> {
    pub artifact: &'a ScannedArtifact,
    pub fields: Map<String, Value>,
}

impl App<'_> {
    /// `android app dev.example (base.apk)`.
    fn label(&self) -> String {
        let field = |k: &str| self.fields.get(k).and_then(Value::as_str).unwrap_or("");
        let mut label = format!("{} app", field("platform"));
        for k in ["id", "version"] {
            if !field(k).is_empty() {
                label.push(' ');
                label.push_str(field(k));
            }
        }
        if !field("path").is_empty() {
            label.push_str(&format!(" ({})", field("path")));
        }
        label
    }
}

/// Every app of every scanned file.
pub(super) fn apps(report: &ScanReport) -> Vec<App<'_>> {
    report
        .scanned
        .iter()
        .flat_map(|a| {
            a.apps.iter().map(move |app| App {
                artifact: a,
                fields: match serde_json::to_value(app) {
                    Ok(Value::Object(map)) => map,
                    _ => Map::new(),
                },
            })
        })
        .collect()
}

/// Writes the overview section.
pub(super) fn render(o: &mut Out, report: &ScanReport, apps: &[App<'_>]) {
    o.raw("<section id=\"overview\"><h2>Overview</h2><div class=\"counts\">");
    for &s in Severity::ALL.iter().rev() {
        let n = report.findings.iter().filter(|f| f.severity == s).count();
        o.raw("<a")
            .attr("class", &format!("count sev-{s}"))
            .attr("href", &format!("#filter=severity:{s}"))
            .raw("><span class=\"n\">")
            .num(n)
            .raw("</span> ")
            .text(s.as_str())
            .raw("</a>");
    }
    o.raw("</div>");
    let matrix = chart::matrix(&report.findings);
    if !matrix.is_empty() {
        o.raw("<div class=\"split\"><table class=\"matrix\"><thead><tr><th>Category</th>");
        for &s in Severity::ALL.iter().rev() {
            o.raw("<th>").text(s.as_str()).raw("</th>");
        }
        o.raw("<th>total</th></tr></thead><tbody>");
        for (category, counts) in &matrix {
            o.raw("<tr><th>").text(category.as_str()).raw("</th>");
            for &(s, n) in counts {
                o.raw("<td>");
                if n > 0 {
                    o.raw("<a")
                        .attr("href", &format!("#filter=category:{category} severity:{s}"))
                        .raw(">")
                        .num(n)
                        .raw("</a>");
                }
                o.raw("</td>");
            }
            o.raw("<td>")
                .num(counts.iter().map(|c| c.1).sum::<usize>())
                .raw("</td></tr>");
        }
        o.raw("</tbody></table>");
        chart::render(o, &report.findings);
        o.raw("</div>");
    }
    for artifact in &report.scanned {
        artifact_card(o, report, artifact, apps);
    }
    o.raw("</section>");
}

fn artifact_card(o: &mut Out, report: &ScanReport, artifact: &ScannedArtifact, apps: &[App<'_>]) {
    let findings = report
        .findings
        .iter()
        .filter(|f| f.artifact == artifact.path)
        .count();
    o.raw("<article class=\"artifact\"><h3>")
        .text(&artifact.path)
        .raw("</h3><table class=\"kv\"><tr><th>kind</th><td>")
        .text(&artifact.kind)
        .raw("</td></tr><tr><th>sha256</th><td><code>")
        .text(&artifact.sha256)
        .raw("</code></td></tr><tr><th>size</th><td>")
        .num(artifact.bytes)
        .raw(" bytes</td></tr><tr><th>entries</th><td>")
        .num(artifact.entries)
        .raw("</td></tr><tr><th>findings</th><td><a")
        .attr("href", &format!("#filter=artifact:{}", artifact.path))
        .raw(">")
        .num(findings)
        .raw("</a></td></tr><tr><th>errors</th><td>")
        .num(artifact.errors.len())
        .raw("</td></tr></table>");
    for app in apps.iter().filter(|a| std::ptr::eq(a.artifact, artifact)) {
        o.raw("<h4>")
            .text(&app.label())
            .raw("</h4><table class=\"kv\">");
        let mut rest = app.fields.clone();
        for (key, _) in SECTIONS {
            rest.remove(key);
        }
        for key in IDENTITY {
            match rest.remove(key) {
                Some(Value::String(s)) if s.is_empty() => {}
                Some(v) => tree::row(o, key, &v),
                None => {}
            }
        }
        tree::rows(o, &rest);
        o.raw("</table>");
    }
    o.raw("</article>");
}

/// Writes a section per [`SECTIONS`] key that some app has: the value of
/// that key for each app.
pub(super) fn app_sections(o: &mut Out, apps: &[App<'_>]) {
    for (key, heading) in SECTIONS {
        let with: Vec<&App<'_>> = apps.iter().filter(|a| a.fields.contains_key(key)).collect();
        if with.is_empty() {
            continue;
        }
        o.raw("<section")
            .attr("id", key)
            .raw("><h2>")
            .text(heading)
            .raw("</h2>");
        for app in with {
            o.raw("<h3>")
                .text(&app.label())
                .raw(" <span class=\"note\">in ")
                .text(&app.artifact.path)
                .raw("</span></h3>");
            if let Some(v) = app.fields.get(key) {
                tree::render(o, v);
            }
        }
        o.raw("</section>");
    }
}
