//! The findings table: one row per finding, most severe first, sortable and
//! filterable by the page script; each rule cell opens to the rule's help.

use super::super::{shown_value, ReportOptions};
use super::help;
use super::out::Out;
use crate::findings::{Finding, ScanReport};
use std::collections::HashMap;

/// Writes the findings section.
pub(super) fn render(o: &mut Out, report: &ScanReport, opts: &ReportOptions) {
    let total = report.findings.len();
    o.raw("<section id=\"findings\"><h2>Findings</h2>");
    if total == 0 {
        o.raw("<p>No findings.</p></section>");
        return;
    }
    o.raw("<div class=\"toolbar\"><label for=\"filter\">Filter</label> <input id=\"filter\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"severity&gt;=high category:secret text\"> <span class=\"note\"><span id=\"shown-count\">")
        .num(total)
        .raw("</span> of ")
        .num(total)
        .raw(" shown</span></div>")
        .raw("<p class=\"note\">Words match any text of a finding; <code>severity:high</code>, <code>severity&gt;=medium</code>, <code>category:secret</code>, <code>rule:ID</code>, <code>confidence:high</code> and <code>artifact:PATH</code> match one column (commas give alternatives). Click a heading to sort; the address keeps the filter (<code>#filter=…</code>).</p>")
        .raw("<table id=\"findings-table\" class=\"findings\"><thead><tr>")
        .raw("<th data-type=\"num\" aria-sort=\"descending\"><button type=\"button\">Severity</button></th>")
        .raw("<th><button type=\"button\">Category</button></th>")
        .raw("<th><button type=\"button\">Rule</button></th>")
        .raw("<th><button type=\"button\">Location</button></th>")
        .raw("<th><button type=\"button\">Symbol</button></th>")
        .raw("<th><button type=\"button\">Value</button></th>")
        .raw("<th data-type=\"num\"><button type=\"button\">Confidence</button></th>")
        .raw("</tr></thead><tbody>");
    let mut order: Vec<&Finding> = report.findings.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut helps: HashMap<&str, Out> = HashMap::new();
    for f in order {
        let help = helps.entry(&f.rule_id).or_insert_with(|| {
            let mut h = Out::default();
            if let Some(rule) = report.rule(&f.rule_id) {
                help::render(&mut h, &rule.help_markdown());
            }
            h
        });
        row(o, f, help, opts);
    }
    o.raw("</tbody></table></section>");
}

fn row(o: &mut Out, f: &Finding, help: &Out, opts: &ReportOptions) {
    let severity = f.severity.as_str();
    o.raw("<tr class=\"finding\"")
        .attr("data-severity", severity)
        .attr("data-category", f.category.as_str())
        .attr("data-rule", &f.rule_id)
        .attr("data-confidence", f.confidence.as_str())
        .attr("data-artifact", &f.artifact)
        .raw(">");
    // Severity and confidence sort by rank, not by name.
    o.raw("<td")
        .attr_num("data-sort", f.severity as usize)
        .raw("><span")
        .attr("class", &format!("badge sev-{severity}"))
        .raw(">")
        .text(severity)
        .raw("</span></td><td>")
        .text(f.category.as_str())
        .raw("</td><td")
        .attr("data-sort", &f.rule_id)
        .raw("><details><summary>")
        .text(&f.title)
        .raw(" <code>")
        .text(&f.rule_id)
        .raw("</code></summary><div class=\"help\"><p class=\"message\">")
        .text(&f.message)
        .raw("</p>")
        .append(help.clone())
        .raw("</div></details></td><td")
        .attr("title", &f.artifact)
        .raw("><code>")
        .text(&f.location.display_chain())
        .raw("</code>");
    if let Some(line) = f.location.line {
        o.raw(" <span class=\"pos\">line ").num(line).raw("</span>");
    } else if let Some(offset) = f.location.offset {
        o.raw(" <span class=\"pos\">offset ")
            .text(&format!("{offset:#x}"))
            .raw("</span>");
    }
    o.raw("</td><td>");
    match &f.location.symbol {
        Some(symbol) => o.raw("<code>").text(symbol).raw("</code>"),
        None => o.raw("<span class=\"none\">—</span>"),
    };
    o.raw("</td><td><code class=\"value\">")
        .text(&shown_value(f, opts))
        .raw("</code></td><td")
        .attr_num("data-sort", f.confidence as usize)
        .raw(">")
        .text(f.confidence.as_str())
        .raw("</td></tr>");
}
