//! Reports (being written).

use crate::findings::ScanReport;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Rendering options shared by every format.
pub struct ReportOptions {
    pub show_secrets: bool,
    pub color: bool,
}

/// Renders `report` in `format`.
pub fn render(
    report: &ScanReport,
    _format: Format,
    _opts: &ReportOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
