//! The overview chart: findings per category as horizontal bars, each split
//! by severity, as inline SVG (coloured by the page's style sheet).

use super::out::Out;
use crate::findings::{Category, Finding, Severity};

const LABEL_WIDTH: u32 = 110;
const BAR_WIDTH: u32 = 440;
const ROW_HEIGHT: u32 = 26;
const BAR_HEIGHT: u32 = 18;
const LEGEND_HEIGHT: u32 = 28;
const WIDTH: u32 = LABEL_WIDTH + BAR_WIDTH + 60;

/// Number of findings per (category, severity), for every category with a
/// finding; severities most severe first.
pub(super) fn matrix(findings: &[Finding]) -> Vec<(Category, Vec<(Severity, usize)>)> {
    Category::ALL
        .iter()
        .map(|&c| {
            let counts = Severity::ALL
                .iter()
                .rev()
                .map(|&s| {
                    let n = findings
                        .iter()
                        .filter(|f| f.category == c && f.severity == s)
                        .count();
                    (s, n)
                })
                .collect::<Vec<_>>();
            (c, counts)
        })
        .filter(|(_, counts)| counts.iter().any(|&(_, n)| n > 0))
        .collect()
}

/// Writes the chart of `findings`; nothing when there are none.
pub(super) fn render(o: &mut Out, findings: &[Finding]) {
    let rows = matrix(findings);
    let total = |counts: &[(Severity, usize)]| counts.iter().map(|c| c.1).sum::<usize>();
    let Some(max) = rows.iter().map(|(_, c)| total(c)).max() else {
        return;
    };
    let height = LEGEND_HEIGHT + ROW_HEIGHT * rows.len() as u32;
    o.raw("<svg class=\"chart\" role=\"img\"")
        .attr_num("width", WIDTH)
        .attr_num("height", height)
        .raw(" aria-label=\"Findings by category and severity\">");
    // Legend.
    let mut x = LABEL_WIDTH;
    for &s in Severity::ALL.iter().rev() {
        o.raw("<rect")
            .attr("class", &format!("sev-{s}"))
            .attr_num("x", x)
            .attr_num("y", 4u32)
            .attr_num("width", 12u32)
            .attr_num("height", 12u32)
            .raw("/><text")
            .attr_num("x", x + 16)
            .attr_num("y", 14u32)
            .raw(">")
            .text(s.as_str())
            .raw("</text>");
        x += 88;
    }
    for (i, (category, counts)) in rows.iter().enumerate() {
        let y = LEGEND_HEIGHT + ROW_HEIGHT * i as u32;
        o.raw("<text class=\"label\"")
            .attr_num("x", LABEL_WIDTH - 8)
            .attr_num("y", y + 14)
            .raw(">")
            .text(category.as_str())
            .raw("</text>");
        let mut before = 0usize;
        for &(severity, n) in counts.iter().filter(|c| c.1 > 0) {
            let x0 = scale(before, max);
            let x1 = scale(before + n, max);
            before += n;
            o.raw("<rect")
                .attr("class", &format!("sev-{severity}"))
                .attr_num("x", LABEL_WIDTH + x0)
                .attr_num("y", y)
                .attr_num("width", (x1 - x0).max(1))
                .attr_num("height", BAR_HEIGHT)
                .raw("><title>")
                .text(&format!("{category}, {severity}: {n}"))
                .raw("</title></rect>");
        }
        o.raw("<text")
            .attr_num("x", LABEL_WIDTH + scale(before, max) + 6)
            .attr_num("y", y + 14)
            .raw(">")
            .num(before)
            .raw("</text>");
    }
    o.raw("</svg>");
}

/// `n` of `max` findings as a bar length in pixels.
fn scale(n: usize, max: usize) -> u32 {
    let px = n.saturating_mul(BAR_WIDTH as usize) / max.max(1);
    u32::try_from(px).unwrap_or(BAR_WIDTH)
}

#[cfg(test)]
mod tests {
    use super::super::super::sample;
    use super::*;

    #[test]
    fn one_bar_per_category_split_by_severity() {
        let report = sample::report();
        let m = matrix(&report.findings);
        assert_eq!(
            m.iter().map(|r| r.0).collect::<Vec<_>>(),
            [Category::Secret, Category::Endpoint]
        );
        assert_eq!(m[0].1[0], (Severity::Critical, 1));
        let mut o = Out::default();
        render(&mut o, &report.findings);
        let svg = o.finish();
        assert!(svg.starts_with("<svg class=\"chart\""));
        // Three secret severities, one endpoint severity, five legend swatches.
        assert_eq!(svg.matches("<rect").count(), 3 + 1 + 5);
        // The longest bar fills the width; its segments tile it.
        assert!(svg.contains("<rect class=\"sev-critical\" x=\"110\" y=\"28\" width=\"146\""));
        assert!(svg.contains("<rect class=\"sev-medium\" x=\"403\" y=\"28\" width=\"147\""));
        assert!(svg.contains(">secret, high: 1</title>"));
    }

    #[test]
    fn nothing_without_findings() {
        let mut o = Out::default();
        render(&mut o, &[]);
        assert_eq!(o.finish(), "");
    }
}
