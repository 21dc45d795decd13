//! The certificates section: every certificate, private key and keystore
//! file found, one row per certificate (and per key without one), with
//! validity against the report's day and the keystore password masked like
//! any finding value.

use super::super::{shown_value, ReportOptions};
use super::dates::{self, Expiry};
use super::out::Out;
use crate::findings::{CertificateRecord, Finding, ScanReport};
use crate::formats::certs::{CertInfo, KeyInfo};
use time::Date;

/// Rules whose value is the password of the keystore at their path.
const PASSWORD_RULES: [&str; 2] = [
    "key-keystore-password-in-app",
    "key-keystore-default-password",
];

/// Writes the certificates section; nothing when no file holds any.
pub(super) fn render(o: &mut Out, report: &ScanReport, opts: &ReportOptions, today: Date) {
    if report.scanned.iter().all(|a| a.certificates.is_empty()) {
        return;
    }
    o.raw("<section id=\"certificates\"><h2>Certificates and keys</h2>");
    for artifact in report.scanned.iter().filter(|a| !a.certificates.is_empty()) {
        o.raw("<h3>")
            .text(&artifact.path)
            .raw("</h3><table class=\"grid certificates\"><thead><tr><th>File</th><th>Subject</th><th>Issuer</th><th>Valid from</th><th>Valid until</th><th>Key</th><th>EKU</th><th>Private key</th><th>Password</th></tr></thead><tbody>");
        for record in &artifact.certificates {
            let password = password(report, &artifact.path, record);
            file_rows(o, record, &password, opts, today);
        }
        o.raw("</tbody></table>");
    }
    o.raw("</section>");
}

/// The finding holding the password of `record`, if any.
fn password<'a>(
    report: &'a ScanReport,
    artifact: &str,
    record: &CertificateRecord,
) -> Option<&'a Finding> {
    report.findings.iter().find(|f| {
        f.artifact == artifact
            && f.location.path == record.path
            && PASSWORD_RULES.contains(&f.rule_id.as_str())
    })
}

fn file_rows(
    o: &mut Out,
    record: &CertificateRecord,
    password: &Option<&Finding>,
    opts: &ReportOptions,
    today: Date,
) {
    let lone_keys: Vec<&KeyInfo> = record
        .private_keys
        .iter()
        .filter(|k| k.certificate.is_none_or(|i| i >= record.certificates.len()))
        .collect();
    for (i, cert) in record.certificates.iter().enumerate() {
        file_cell(o, record);
        cert_cells(o, cert, today);
        let key = record
            .private_keys
            .iter()
            .find(|k| k.certificate == Some(i));
        o.raw("<td>");
        match key {
            Some(k) => key_cell(o, k),
            None => {
                o.raw("<span class=\"flag\">no</span>");
            }
        }
        o.raw("</td>");
        password_cell(o, record, password, opts);
    }
    for key in &lone_keys {
        file_cell(o, record);
        o.raw("<td colspan=\"6\"><span class=\"none\">no certificate</span></td><td>");
        key_cell(o, key);
        o.raw("</td>");
        password_cell(o, record, password, opts);
    }
    if record.certificates.is_empty() && lone_keys.is_empty() {
        file_cell(o, record);
        o.raw("<td colspan=\"7\"><span class=\"none\">contents unknown until the file is opened</span></td>");
        password_cell(o, record, password, opts);
    }
}

fn file_cell(o: &mut Out, record: &CertificateRecord) {
    o.raw("<tr><td><code>")
        .text(&record.path)
        .raw("</code> <span class=\"note\">")
        .text(record.kind.as_str())
        .raw("</span></td>");
}

fn cert_cells(o: &mut Out, c: &CertInfo, today: Date) {
    o.raw("<td>").text(&c.subject);
    if let Some(alias) = &c.alias {
        o.raw(" <span class=\"note\">alias ")
            .text(alias)
            .raw("</span>");
    }
    if c.is_ca {
        o.raw(" <span class=\"badge info\">CA</span>");
    }
    o.raw("</td><td>");
    if c.self_signed {
        o.raw("<span class=\"note\">self-signed</span>");
    } else {
        o.text(&c.issuer);
    }
    o.raw("</td><td>").text(&c.not_before).raw("</td>");
    let end = c.not_after_date.or_else(|| dates::parse(&c.not_after));
    match dates::expiry(end, today) {
        Expiry::Expired => o
            .raw("<td class=\"expired\">")
            .text(&c.not_after)
            .raw(" <span class=\"badge bad\">expired</span>"),
        Expiry::Soon => o
            .raw("<td>")
            .text(&c.not_after)
            .raw(" <span class=\"badge warn\">expires within 90 days</span>"),
        Expiry::Valid | Expiry::Unknown => o.raw("<td>").text(&c.not_after),
    };
    o.raw("</td><td>").text(&c.key_type);
    if c.key_bits > 0 {
        o.raw(" ").num(c.key_bits);
    }
    o.raw("</td><td>");
    if c.eku.is_empty() {
        o.raw("<span class=\"none\">any</span>");
    }
    for (i, eku) in c.eku.iter().enumerate() {
        if i > 0 {
            o.raw(", ");
        }
        if eku == "clientAuth" {
            o.raw("<span class=\"badge bad\">clientAuth</span>");
        } else {
            o.text(eku);
        }
    }
    o.raw("</td>");
}

fn key_cell(o: &mut Out, k: &KeyInfo) {
    o.raw("<span class=\"flag bad\">yes</span> ");
    if let Some(t) = &k.key_type {
        o.text(t);
    }
    if let Some(bits) = k.key_bits {
        o.raw(" ").num(bits);
    }
    o.raw(" <span class=\"note\">").text(&k.format);
    if k.encrypted {
        o.raw(", encrypted");
    }
    o.raw("</span>");
}

fn password_cell(
    o: &mut Out,
    record: &CertificateRecord,
    password: &Option<&Finding>,
    opts: &ReportOptions,
) {
    o.raw("<td>");
    if record.password_recovered {
        o.raw("<span class=\"badge bad\">recovered</span>");
        match password {
            Some(f) if f.value.is_empty() => {
                o.raw(" <span class=\"note\">empty password</span>");
            }
            Some(f) => {
                o.raw(" <code class=\"value\">")
                    .text(&shown_value(f, opts))
                    .raw("</code>");
            }
            None => {}
        }
        if let Some(place) = &record.password_found_in {
            o.raw(" <span class=\"note\">found in <code>")
                .text(place)
                .raw("</code></span>");
        } else {
            o.raw(" <span class=\"note\">a common default</span>");
        }
    } else if record.encrypted {
        o.raw("<span class=\"flag\">locked</span>");
    } else {
        o.raw("<span class=\"none\">none needed</span>");
    }
    o.raw("</td></tr>");
}
