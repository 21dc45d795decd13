//! The HTML report: one self-contained page for triage (overview, findings,
//! transport, endpoints, certificates, errors) that loads nothing from
//! anywhere and can be opened from `file://` or attached to a ticket.
//!
//! Safety: every string from the scanned app goes through [`out::Out`],
//! which escapes it; values are masked unless secrets are shown; a
//! Content-Security-Policy allows only this page's own style sheet and
//! script (by hash), so even markup that slipped through could neither run
//! nor load anything.

mod certificates;
mod chart;
mod dates;
mod endpoints;
mod findings;
mod help;
mod out;
mod overview;
mod transport;
mod tree;

use super::ReportOptions;
use crate::apps::AppSummary;
use crate::findings::{ScanReport, ScannedArtifact};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use out::Out;
use sha2::{Digest, Sha256};
use std::io::{self, Write};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Writes the HTML report.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(page(report, opts).as_bytes())
}

/// `'sha256-…'`, the CSP source allowing an inline element with `text`.
fn csp_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The Content-Security-Policy of the page.
fn policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

fn page(report: &ScanReport, opts: &ReportOptions) -> String {
    let apps = overview::apps(report);
    let today = dates::today(report);
    let mut o = Out::default();
    o.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\"")
        .attr("content", &policy())
        .raw("><meta name=\"referrer\" content=\"no-referrer\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>mastiff report: ")
        .text(&title(report))
        .raw("</title><style>")
        .raw(STYLE)
        .raw("</style></head><body>");
    header(&mut o, report, opts, &apps);
    o.raw("<main>");
    overview::render(&mut o, report, &apps, today);
    findings::render(&mut o, report, opts);
    transport::render(&mut o, &apps, today);
    endpoints::render(&mut o, report);
    certificates::render(&mut o, report, opts, today);
    errors(&mut o, report);
    o.raw("</main><script>")
        .raw(SCRIPT)
        .raw("</script></body></html>\n");
    o.finish()
}

fn title(report: &ScanReport) -> String {
    match report.scanned.as_slice() {
        [one] => one.path.clone(),
        many => format!("{} files", many.len()),
    }
}

fn header(
    o: &mut Out,
    report: &ScanReport,
    opts: &ReportOptions,
    apps: &[(&ScannedArtifact, &AppSummary)],
) {
    o.raw("<header><h1>mastiff report: ")
        .text(&title(report))
        .raw("</h1><p>")
        .num(report.findings.len())
        .raw(" findings in ")
        .num(report.scanned.len())
        .raw(" scanned files, ")
        .num(report.error_count())
        .raw(" scan errors. ")
        .text(&report.tool.name)
        .raw(" ")
        .text(&report.tool.version);
    if !report.started.is_empty() {
        o.raw(", scanned ")
            .text(&report.started)
            .raw(" to ")
            .text(&report.finished);
    }
    o.raw(".</p><p>");
    let s = &opts.suppressed;
    if s.total() > 0 {
        o.num(s.total())
            .raw(" findings suppressed and not listed: ")
            .num(s.allowlist)
            .raw(" by the allowlist, ")
            .num(s.baseline)
            .raw(" by the baseline. ");
    }
    o.raw(if opts.show_secrets {
        "Values are shown in full: handle this file as a secret.</p>"
    } else {
        "Values are masked (<code>--show-secrets</code> shows them).</p>"
    });
    o.raw("<nav><a href=\"#overview\">Overview</a><a href=\"#findings\">Findings</a>");
    if transport::any(apps) {
        o.raw("<a href=\"#transport\">Transport</a>");
    }
    if report.scanned.iter().any(|a| !a.endpoints.is_empty()) {
        o.raw("<a href=\"#endpoints\">Endpoints</a>");
    }
    if report.scanned.iter().any(|a| !a.certificates.is_empty()) {
        o.raw("<a href=\"#certificates\">Certificates</a>");
    }
    o.raw("<a href=\"#errors\">Errors</a></nav></header>");
}

/// Every scan error, per scanned file.
fn errors(o: &mut Out, report: &ScanReport) {
    o.raw("<section id=\"errors\"><h2>Errors</h2>");
    if report.error_count() == 0 {
        o.raw("<p>Every file was read in full.</p>");
    }
    for artifact in report.scanned.iter().filter(|a| !a.errors.is_empty()) {
        o.raw("<h3>")
            .text(&artifact.path)
            .raw("</h3><ul class=\"errors\">");
        for e in &artifact.errors {
            o.raw("<li><code>");
            if e.path.is_empty() {
                o.text(&artifact.path);
            } else {
                o.text(&e.path);
            }
            o.raw("</code>: ").text(&e.message).raw("</li>");
        }
        o.raw("</ul>");
    }
    o.raw("</section>");
}

#[cfg(test)]
mod tests;
