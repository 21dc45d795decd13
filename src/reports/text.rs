//! The terminal report: findings grouped by scanned artifact, then a summary.
//!
//! Everything that comes from a scanned app (values, symbols, entry names,
//! messages) passes through [`escape`], so an app cannot move the cursor or
//! recolour the terminal of whoever reads the report.

use super::{severity_counts, shown_value, ReportOptions};
use crate::findings::{Confidence, Finding, ScanError, ScanReport, Severity};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

const RESET: &str = "\x1b[0m";

/// Writes the text report.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut shown = vec![false; report.findings.len()];
    for artifact in &report.scanned {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .zip(shown.iter_mut())
            .filter(|(f, _)| f.artifact == artifact.path)
            .map(|(f, seen)| {
                *seen = true;
                f
            })
            .collect();
        write_group(
            out,
            &artifact.path,
            &artifact.kind,
            &findings,
            &artifact.errors,
            opts,
        )?;
    }
    // Findings whose artifact is not among the scanned ones (not expected,
    // but never dropped silently).
    let orphans: Vec<&Finding> = report
        .findings
        .iter()
        .zip(&shown)
        .filter(|(_, seen)| !**seen)
        .map(|(f, _)| f)
        .collect();
    let mut i = 0;
    while let Some(first) = orphans.get(i) {
        let group: Vec<&Finding> = orphans[i..]
            .iter()
            .take_while(|f| f.artifact == first.artifact)
            .copied()
            .collect();
        i += group.len();
        write_group(out, &first.artifact, "unknown", &group, &[], opts)?;
    }
    write_summary(out, report, opts)
}

fn write_group(
    out: &mut dyn Write,
    path: &str,
    kind: &str,
    findings: &[&Finding],
    errors: &[ScanError],
    opts: &ReportOptions,
) -> io::Result<()> {
    let count = match findings.len() {
        0 => "no findings".to_string(),
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    writeln!(out, "{} ({}, {count})", escape(path), escape(kind))?;
    for f in findings {
        writeln!(
            out,
            "  {}  {}  {}",
            severity_tag(f.severity, opts.color),
            escape(&f.rule_id),
            escape(&shown_value(f, opts))
        )?;
        let confidence = match f.confidence {
            Confidence::High => String::new(),
            c => format!(" ({c} confidence)"),
        };
        writeln!(out, "      {}{confidence}", escape(&f.message))?;
        writeln!(out, "      at {}", where_line(f))?;
    }
    for e in errors {
        let at = if e.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", escape(&e.path))
        };
        writeln!(out, "  error: {at}{}", escape(&e.message))?;
    }
    writeln!(out)
}

/// Severity as a fixed-width tag, coloured when asked.
fn severity_tag(severity: Severity, color: bool) -> String {
    let tag = format!("{:<8}", severity.as_str().to_ascii_uppercase());
    if !color {
        return tag;
    }
    let code = match severity {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low | Severity::Info => "\x1b[2m",
    };
    format!("{code}{tag}{RESET}")
}

/// The finding's location: chain, symbol and position.
fn where_line(f: &Finding) -> String {
    let loc = &f.location;
    let mut s = escape(&loc.display_chain()).into_owned();
    if let Some(symbol) = &loc.symbol {
        let _ = write!(s, " in {}", escape(symbol));
    }
    if let Some(line) = loc.line {
        let _ = write!(s, " line {line}");
    }
    if let Some(offset) = loc.offset {
        let _ = write!(s, " offset {offset:#x}");
    }
    s
}

fn write_summary(out: &mut dyn Write, report: &ScanReport, opts: &ReportOptions) -> io::Result<()> {
    let total = report.findings.len();
    let by_severity: Vec<String> = severity_counts(&report.findings)
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let suppressed = &opts.suppressed;
    let held_back = if suppressed.total() == 0 {
        String::new()
    } else {
        format!(
            "; {} suppressed ({} by allowlist, {} by baseline)",
            suppressed.total(),
            suppressed.allowlist,
            suppressed.baseline
        )
    };
    writeln!(
        out,
        "{} ({}){held_back}; {} scanned; {}",
        plural(total, "finding"),
        by_severity.join(", "),
        plural(report.scanned.len(), "artifact"),
        plural(report.error_count(), "error")
    )
}

/// Makes text from a scanned app safe to print: control characters (C0, DEL,
/// C1) and bidirectional-override characters are written as escapes
/// (`\x1b`, `\n`, `\u{202e}`), so they show instead of acting.
pub(super) fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x80 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    fn rendered(report: &crate::findings::ScanReport, color: bool) -> String {
        let mut out = Vec::new();
        render(
            report,
            &ReportOptions {
                color,
                ..Default::default()
            },
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn groups_by_artifact_with_locations_errors_and_summary() {
        let text = rendered(&sample::report(), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "apps/my app.xapk (xapk, 3 findings)");
        assert_eq!(
            lines[1],
            format!(
                "  CRITICAL  aws-access-key-id  {}",
                crate::findings::mask(sample::SECRET_AWS)
            )
        );
        assert_eq!(lines[2], "      AWS access key ID found.");
        assert_eq!(
            lines[3],
            "      at my app.xapk!/base.apk!/classes2.dex in Lcom/example/Keys; offset 0x1234"
        );
        assert!(lines.contains(
            &"  error: base.apk!/lib/arm64-v8a/libfoo.so: truncated section header table"
        ));
        assert!(lines.contains(&"config.txt (text, 1 finding)"));
        assert!(lines.contains(&"      at config.txt line 3"));
        assert!(lines.contains(&"lib.so (elf, no findings)"));
        assert!(lines.contains(&"  error: not an ELF file"));
        assert_eq!(
            lines.last(),
            Some(&"4 findings (1 critical, 1 high, 1 medium, 1 low, 0 info); 3 artifacts scanned; 2 errors")
        );
    }

    #[test]
    fn summary_counts_suppressed_findings() {
        let mut out = Vec::new();
        let opts = ReportOptions {
            suppressed: crate::triage::Suppressed {
                allowlist: 2,
                baseline: 5,
            },
            ..Default::default()
        };
        render(&sample::report(), &opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("0 info); 7 suppressed (2 by allowlist, 5 by baseline); 3 artifacts scanned; 2 errors\n"),
            "{text}"
        );
    }

    #[test]
    fn no_escape_codes_without_color_and_some_with_it() {
        let report = sample::report();
        assert!(!rendered(&report, false).contains('\x1b'));
        let colored = rendered(&report, true);
        assert!(colored.contains("\x1b[1;31mCRITICAL"));
        assert!(colored.contains("\x1b[33mMEDIUM"));
    }

    #[test]
    fn scanned_content_cannot_inject_control_characters() {
        let mut report = sample::report();
        let evil = "\x1b[2J\x1b]0;pwned\x07\r\u{9b}31m\u{202e}";
        let f = &mut report.findings[0];
        f.value = format!("{evil}AKIAZ4X5Y6W7V8U9T0S1");
        f.location.symbol = Some(format!("Lcom/{evil};"));
        f.location.chain[1] = format!("base{evil}.apk");
        report.scanned[0].errors[0].message = format!("bad {evil}");
        for show_secrets in [false, true] {
            let mut out = Vec::new();
            render(
                &report,
                &ReportOptions {
                    show_secrets,
                    ..Default::default()
                },
                &mut out,
            )
            .unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                !text.chars().any(|c| needs_escape(c) && c != '\n'),
                "{text:?}"
            );
            assert!(
                text.contains("Lcom/\\x1b[2J\\x1b]0;pwned\\x07\\r\\u{9b}31m\\u{202e};"),
                "{text}"
            );
            assert!(text.contains("my app.xapk!/base\\x1b[2J"), "{text}");
            assert!(
                text.contains("error: base.apk!/lib/arm64-v8a/libfoo.so: bad \\x1b[2J"),
                "{text}"
            );
        }
        assert_eq!(escape("a\tb\x7f"), "a\\tb\\x7f");
        let mut out = Vec::new();
        render(
            &report,
            &ReportOptions {
                show_secrets: true,
                ..Default::default()
            },
            &mut out,
        )
        .unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("\\x1b[2J\\x1b]0;pwned\\x07\\r\\u{9b}31m\\u{202e}AKIAZ4X5"));
        assert!(matches!(escape("plain é"), Cow::Borrowed("plain é")));
    }
}
