//! The Markdown report, for pull-request comments and GitHub job summaries
//! (`$GITHUB_STEP_SUMMARY`): counts per severity, the most severe findings
//! as a table, and scan errors. Long lists are cut so that the report stays
//! far below the 1 MiB a job summary may hold.
//!
//! Everything taken from a scanned app is escaped: it cannot close a table
//! cell, open a link or inject HTML.

use super::text::escape;
use super::{severity_counts, shown_value, ReportOptions};
use crate::findings::{Finding, ScanReport};
use std::io::{self, Write};

/// Most findings listed in the table.
const MAX_ROWS: usize = 50;
/// Most scan errors listed.
const MAX_ERRORS: usize = 20;

/// Writes the Markdown report.
pub(super) fn render(
    report: &ScanReport,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let total = report.findings.len();
    let errors = report.error_count();
    writeln!(
        out,
        "## mastiff: {} in {}\n",
        plural(total, "finding"),
        plural(report.scanned.len(), "scanned file")
    )?;
    writeln!(out, "| Severity | Findings |\n| --- | ---: |")?;
    for (severity, n) in severity_counts(&report.findings) {
        writeln!(out, "| {severity} | {n} |")?;
    }
    let s = &opts.suppressed;
    if s.total() > 0 {
        writeln!(
            out,
            "\n{} suppressed and not listed: {} by the allowlist, {} by the baseline.",
            plural(s.total(), "finding"),
            s.allowlist,
            s.baseline
        )?;
    }

    if total > 0 {
        let mut order: Vec<&Finding> = report.findings.iter().collect();
        order.sort_by_key(|f| std::cmp::Reverse((f.severity, f.confidence)));
        writeln!(
            out,
            "\n### Findings\n\n| Severity | Rule | Location | Value |\n| --- | --- | --- | --- |"
        )?;
        for f in order.iter().take(MAX_ROWS) {
            let mut place = code(&f.location.display_chain());
            if let Some(symbol) = &f.location.symbol {
                place.push_str(" in ");
                place.push_str(&code(symbol));
            }
            writeln!(
                out,
                "| {} | {} ({}) | {place} | {} |",
                f.severity,
                cell(&f.title),
                code(&f.rule_id),
                code(&shown_value(f, opts))
            )?;
        }
        if total > MAX_ROWS {
            writeln!(
                out,
                "\nThe {MAX_ROWS} most severe of {total} findings are shown; the SARIF or JSON report lists them all."
            )?;
        }
    }

    if errors > 0 {
        writeln!(out, "\n### Scan errors\n")?;
        let mut listed = 0;
        'all: for a in &report.scanned {
            for e in &a.errors {
                if listed == MAX_ERRORS {
                    break 'all;
                }
                listed += 1;
                let place = if e.path.is_empty() {
                    a.path.clone()
                } else {
                    format!("{}!/{}", a.path, e.path)
                };
                writeln!(out, "- {}: {}", code(&place), cell(&e.message))?;
            }
        }
        if errors > listed {
            writeln!(out, "- … and {} more", errors - listed)?;
        }
    }
    Ok(())
}

/// A code span safe inside a table cell: control characters escaped, `|`
/// escaped as GitHub tables require, and a backtick fence longer than any
/// run of backticks inside.
fn code(text: &str) -> String {
    let text = escape(text).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

/// Plain text safe inside a table cell: control characters escaped, HTML
/// special characters as entities, `|` escaped, and Markdown punctuation
/// neutralised.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push_str("&#96;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' => out.push_str("&#92;"),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;
    use crate::findings::mask;
    use crate::triage::Suppressed;

    fn rendered(report: &ScanReport, opts: &ReportOptions) -> String {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn counts_table_findings_and_errors() {
        let opts = ReportOptions {
            suppressed: Suppressed {
                allowlist: 1,
                baseline: 2,
            },
            ..Default::default()
        };
        let md = rendered(&sample::report(), &opts);
        assert!(md.starts_with("## mastiff: 4 findings in 3 scanned files\n"));
        assert!(md.contains("| critical | 1 |\n| high | 1 |"));
        assert!(md.contains(
            "3 findings suppressed and not listed: 1 by the allowlist, 2 by the baseline."
        ));
        let first_row = md
            .lines()
            .find(|l| l.starts_with("| critical | AWS"))
            .unwrap();
        assert_eq!(
            first_row,
            format!(
                "| critical | AWS access key ID (`aws-access-key-id`) | `my app.xapk!/base.apk!/classes2.dex` in `Lcom/example/Keys;` | `{}` |",
                mask(sample::SECRET_AWS)
            )
        );
        assert!(md.contains("### Scan errors\n\n- `apps/my app.xapk!/base.apk!/lib/arm64-v8a/libfoo.so`: truncated section header table\n- `lib.so`: not an ELF file\n"));
    }

    #[test]
    fn rows_run_from_most_severe_and_are_capped() {
        let mut report = sample::report();
        let low = report.findings[3].clone();
        report.findings = std::iter::repeat_n(low, MAX_ROWS + 5)
            .chain([report.findings[0].clone()])
            .collect();
        let md = rendered(&report, &ReportOptions::default());
        let rows: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("| low |") || l.starts_with("| critical |"))
            .collect();
        // Two lines are the counts table; the rest are findings.
        assert_eq!(rows.len(), MAX_ROWS + 2);
        assert!(rows[2].starts_with("| critical | AWS"));
        assert!(md.contains(&format!(
            "The {MAX_ROWS} most severe of {} findings are shown",
            MAX_ROWS + 6
        )));
    }

    #[test]
    fn scanned_text_cannot_break_out_of_a_cell() {
        let mut report = sample::report();
        report.findings[0].location.symbol = Some("a|b<img src=x>`[x](y)\n".into());
        report.findings[0].title = "T|<b>*x*</b>".into();
        let md = rendered(&report, &ReportOptions::default());
        let row = md
            .lines()
            .find(|l| l.starts_with("| critical | T"))
            .unwrap();
        assert!(
            row.contains(" in `` a\\|b<img src=x>`[x](y)\\n `` "),
            "{row}"
        );
        assert!(
            row.starts_with("| critical | T&#124;&lt;b&gt;&#42;x&#42;&lt;/b&gt; ("),
            "{row}"
        );
        // Only the five cell borders are unescaped pipes.
        assert_eq!(row.replace("\\|", "").matches('|').count(), 5, "{row}");
        assert_eq!(code("a``b"), "``` a``b ```");
    }
}
