//! The endpoint inventory (`mastiff endpoints`): every unique endpoint of
//! each scanned file, as text, JSON or CSV.

use super::text::escape;
use crate::detectors::endpoints::{EndpointRecord, Party};
use crate::findings::ScanReport;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// An inventory output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormat {
    /// Grouped by scanned file and registrable domain.
    Text,
    /// One object per scanned file with its endpoints.
    Json,
    /// One row per endpoint.
    Csv,
}

/// The endpoints of `report` to show: all, or only those not known to be an
/// SDK's when `own_only`.
fn shown(records: &[EndpointRecord], own_only: bool) -> Vec<&EndpointRecord> {
    records
        .iter()
        .filter(|r| !own_only || r.party != Party::Third)
        .collect()
}

/// Writes the inventory of `report` to `out`.
pub fn render_inventory(
    report: &ScanReport,
    format: InventoryFormat,
    own_only: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        InventoryFormat::Text => text(report, own_only, out),
        InventoryFormat::Json => json(report, own_only, out),
        InventoryFormat::Csv => csv(report, own_only, out),
    }
}

fn party(p: Party) -> &'static str {
    match p {
        Party::First => "first",
        Party::Third => "third",
        Party::Unknown => "unknown",
    }
}

fn text(report: &ScanReport, own_only: bool, out: &mut dyn Write) -> io::Result<()> {
    for artifact in &report.scanned {
        let records = shown(&artifact.endpoints, own_only);
        let count = |p: Party| records.iter().filter(|r| r.party == p).count();
        writeln!(
            out,
            "{} — {} endpoints ({} first-party, {} third-party, {} unknown)",
            escape(&artifact.path),
            records.len(),
            count(Party::First),
            count(Party::Third),
            count(Party::Unknown)
        )?;
        let mut by_domain: BTreeMap<(Party, &str), Vec<&EndpointRecord>> = BTreeMap::new();
        for r in records {
            let domain = r.domain.as_deref().unwrap_or(&r.host);
            by_domain.entry((r.party, domain)).or_default().push(r);
        }
        for ((p, domain), records) in by_domain {
            writeln!(out, "  {} [{}]", escape(domain), party(p))?;
            for r in records {
                let at = r.locations.first().map_or(String::new(), |l| {
                    let symbol = l
                        .symbol
                        .as_deref()
                        .map_or(String::new(), |s| format!(" {s}"));
                    format!("{}{symbol}", l.path)
                });
                let sdk = r
                    .sdk
                    .as_deref()
                    .map_or(String::new(), |s| format!(" sdk={s}"));
                writeln!(
                    out,
                    "    {}  {}{}  ×{}",
                    escape(&r.endpoint),
                    escape(&at),
                    escape(&sdk),
                    r.count
                )?;
                if let Some(note) = &r.transport {
                    writeln!(out, "      ({})", escape(note))?;
                }
                for path in &r.paths {
                    writeln!(out, "      {}", escape(path))?;
                }
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonArtifact<'a> {
    artifact: &'a str,
    endpoints: Vec<&'a EndpointRecord>,
}

fn json(report: &ScanReport, own_only: bool, out: &mut dyn Write) -> io::Result<()> {
    let doc: Vec<JsonArtifact<'_>> = report
        .scanned
        .iter()
        .map(|a| JsonArtifact {
            artifact: &a.path,
            endpoints: shown(&a.endpoints, own_only),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn csv(report: &ScanReport, own_only: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "artifact,endpoint,kind,scheme,host,domain,party,sdk,count,path,symbol,paths,transport"
    )?;
    for a in &report.scanned {
        for r in shown(&a.endpoints, own_only) {
            let first = r.locations.first();
            let paths = r.paths.join(" ");
            let row = [
                a.path.as_str(),
                &r.endpoint,
                &r.kind,
                r.scheme.as_deref().unwrap_or(""),
                &r.host,
                r.domain.as_deref().unwrap_or(""),
                party(r.party),
                r.sdk.as_deref().unwrap_or(""),
                &r.count.to_string(),
                first.map_or("", |l| l.path.as_str()),
                first.and_then(|l| l.symbol.as_deref()).unwrap_or(""),
                &paths,
                r.transport.as_deref().unwrap_or(""),
            ];
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
    }
    Ok(())
}

/// Quotes a CSV cell (RFC 4180) and defuses spreadsheet formulas: a cell
/// from a scanned app starting with `=`, `+`, `-` or `@` gets a leading `'`.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(endpoint: &str, party: Party) -> EndpointRecord {
        EndpointRecord {
            endpoint: endpoint.into(),
            kind: "url".into(),
            scheme: Some("https".into()),
            host: "h".into(),
            domain: None,
            party,
            sdk: None,
            count: 1,
            locations: Vec::new(),
            paths: Vec::new(),
            transport: None,
        }
    }

    #[test]
    fn own_only_leaves_out_third_party() {
        let records = [
            record("https://a", Party::First),
            record("https://b", Party::Third),
            record("https://c", Party::Unknown),
        ];
        let all: Vec<&str> = shown(&records, false)
            .iter()
            .map(|r| r.endpoint.as_str())
            .collect();
        let own: Vec<&str> = shown(&records, true)
            .iter()
            .map(|r| r.endpoint.as_str())
            .collect();
        assert_eq!(all, ["https://a", "https://b", "https://c"]);
        assert_eq!(own, ["https://a", "https://c"]);
    }

    fn report_with(record: EndpointRecord) -> ScanReport {
        let mut report = crate::reports::sample::report();
        report.scanned = vec![crate::findings::ScannedArtifact {
            path: "app.apk".into(),
            endpoints: vec![record],
            ..Default::default()
        }];
        report
    }

    fn rendered(report: &ScanReport, format: InventoryFormat) -> String {
        let mut out = Vec::new();
        render_inventory(report, format, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn paths_and_transport_notes_are_shown() {
        let mut r = record("https://api.acme.com/v2", Party::First);
        r.paths = vec!["/v2/orders/:id".into(), "/v2/users/{id}".into()];
        r.transport = Some("excluded from pinning".into());
        let report = report_with(r);
        let text = rendered(&report, InventoryFormat::Text);
        assert!(text.contains("      /v2/users/{id}\n"), "{text}");
        assert!(text.contains("(excluded from pinning)"), "{text}");
        let csv = rendered(&report, InventoryFormat::Csv);
        assert!(csv.lines().next().unwrap().ends_with(",paths,transport"));
        assert!(
            csv.contains(",/v2/orders/:id /v2/users/{id},excluded from pinning"),
            "{csv}"
        );
        let json = rendered(&report, InventoryFormat::Json);
        assert!(
            json.contains("\"paths\": [") && json.contains("\"transport\""),
            "{json}"
        );
        let bare = report_with(record("https://b.acme.com", Party::First));
        let json = rendered(&bare, InventoryFormat::Json);
        assert!(
            !json.contains("paths") && !json.contains("transport"),
            "{json}"
        );
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
