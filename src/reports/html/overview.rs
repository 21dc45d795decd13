//! The overview: counts by severity and category, the chart, and each
//! scanned file with an identity card per app inside it (platform, id,
//! version, SDK levels, signing or provisioning). Every summary field stays
//! reachable: the whole summary is rendered field by field under the card.

use super::dates::{self, Expiry};
use super::out::Out;
use super::{chart, tree};
use crate::apps::AppSummary;
use crate::findings::{ScanReport, ScannedArtifact, Severity};
use crate::formats::certs::CertInfo;
use time::Date;

/// Every app of every scanned file, with the file holding it.
pub(super) fn apps(report: &ScanReport) -> Vec<(&ScannedArtifact, &AppSummary)> {
    report
        .scanned
        .iter()
        .flat_map(|a| a.apps.iter().map(move |app| (a, app)))
        .collect()
}

/// `android app dev.example 1.2 (base.apk)`.
pub(super) fn label(app: &AppSummary) -> String {
    let mut label = format!("{} app", app.platform);
    for v in [&app.id, &app.version].into_iter().flatten() {
        if !v.is_empty() {
            label.push(' ');
            label.push_str(v);
        }
    }
    if !app.path.is_empty() {
        label.push_str(&format!(" ({})", app.path));
    }
    label
}

/// Writes the overview section.
pub(super) fn render(
    o: &mut Out,
    report: &ScanReport,
    apps: &[(&ScannedArtifact, &AppSummary)],
    today: Date,
) {
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
        artifact_card(o, report, artifact, apps, today);
    }
    o.raw("</section>");
}

fn artifact_card(
    o: &mut Out,
    report: &ScanReport,
    artifact: &ScannedArtifact,
    apps: &[(&ScannedArtifact, &AppSummary)],
    today: Date,
) {
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
    for (_, app) in apps.iter().filter(|(a, _)| std::ptr::eq(*a, artifact)) {
        o.raw("<h4>")
            .text(&label(app))
            .raw("</h4><table class=\"kv identity\">");
        identity(o, app, today);
        o.raw("</table><details class=\"fields\"><summary>Every summary field</summary>");
        if let Ok(value) = serde_json::to_value(app) {
            tree::render(o, &value);
        }
        o.raw("</details>");
    }
    o.raw("</article>");
}

/// A key/value row with plain text.
fn row(o: &mut Out, key: &'static str, value: &str) {
    o.raw("<tr><th>")
        .raw(key)
        .raw("</th><td>")
        .text(value)
        .raw("</td></tr>");
}

/// A key/value row with a yes/no flag, highlighted when `bad`.
fn flag(o: &mut Out, key: &'static str, value: bool, bad: bool) {
    o.raw("<tr><th>").raw(key).raw("</th><td>");
    o.raw(if value && bad {
        "<span class=\"badge bad\">yes</span>"
    } else if value {
        "<span class=\"flag\">yes</span>"
    } else {
        "<span class=\"flag\">no</span>"
    });
    o.raw("</td></tr>");
}

/// The identity rows of one app.
fn identity(o: &mut Out, app: &AppSummary, today: Date) {
    row(o, "platform", &app.platform);
    if let Some(id) = &app.id {
        row(o, "id", id);
    }
    if !app.path.is_empty() {
        row(o, "path", &app.path);
    }
    let mut frameworks = app.frameworks.clone();
    if let Some(a) = &app.android {
        let mut version = app.version.clone().unwrap_or_default();
        if let Some(code) = a.version_code {
            version.push_str(&format!(" (code {code})"));
        }
        row(o, "version", version.trim());
        let sdk = |v: Option<u32>| v.map_or_else(|| "—".to_string(), |n| format!("API {n}"));
        row(o, "min SDK", &sdk(a.min_sdk));
        row(o, "target SDK", &sdk(a.target_sdk));
        flag(o, "debuggable", a.debuggable, true);
        flag(o, "test only", a.test_only, true);
        flag(o, "allow backup", a.allow_backup, true);
    }
    if let Some(i) = &app.ios {
        let mut version = app.version.clone().unwrap_or_default();
        if let Some(build) = &i.build {
            version.push_str(&format!(" (build {build})"));
        }
        row(o, "version", version.trim());
        row(
            o,
            "MinimumOSVersion",
            i.minimum_os.as_deref().unwrap_or("—"),
        );
        if let Some(exe) = &i.executable {
            row(o, "executable", exe);
        }
        frameworks.extend(i.frameworks.iter().cloned());
    }
    if app.android.is_none() && app.ios.is_none() {
        if let Some(v) = &app.version {
            row(o, "version", v);
        }
    }
    if !frameworks.is_empty() {
        row(o, "frameworks", &frameworks.join(", "));
    }
    if let Some(cert) = &app.signing {
        signing(o, cert, today);
    } else if app.android.is_some() {
        row(o, "signing", "no v1 signature block");
    }
    if let Some(i) = &app.ios {
        for p in &i.provisioning {
            o.raw("<tr><th>provisioning</th><td>").text(&p.kind);
            if let Some(team) = &p.team_id {
                o.raw(", team ").text(team);
            }
            if let Some(expires) = &p.expires {
                o.raw(", expires ").text(expires);
            }
            if p.expired {
                o.raw(" <span class=\"badge bad\">expired</span>");
            }
            if p.get_task_allow {
                o.raw(" <span class=\"badge bad\">get-task-allow</span>");
            }
            o.raw(" <span class=\"note\"><code>")
                .text(&p.entry)
                .raw("</code></span></td></tr>");
        }
    }
}

/// The signing certificate row.
fn signing(o: &mut Out, c: &CertInfo, today: Date) {
    o.raw("<tr><th>signing</th><td>").text(&c.subject);
    if c.subject.contains("CN=Android Debug") {
        o.raw(" <span class=\"badge bad\">debug certificate</span>");
    }
    o.raw("<br><span class=\"note\">issuer</span> ");
    if c.self_signed {
        o.raw("self-signed");
    } else {
        o.text(&c.issuer);
    }
    o.raw("<br><span class=\"note\">valid</span> ")
        .text(&c.not_before)
        .raw(" to ")
        .text(&c.not_after);
    let end = c.not_after_date.or_else(|| dates::parse(&c.not_after));
    if dates::expiry(end, today) == Expiry::Expired {
        o.raw(" <span class=\"badge bad\">expired</span>");
    }
    o.raw("<br><span class=\"note\">key</span> ")
        .text(&c.key_type);
    if c.key_bits > 0 {
        o.raw(" ").num(c.key_bits);
    }
    o.raw("</td></tr>");
}
