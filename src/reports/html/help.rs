//! A rule's help (`RuleInfo::help_markdown`) as HTML, through a small
//! Markdown subset: headings, paragraphs, `-` lists, `**strong**`,
//! `` `code` `` and `<autolinks>` (shown as text, never as links). Every
//! character of the source is escaped; no HTML in it is ever passed through.

use super::out::Out;

/// Writes `markdown` as HTML.
pub(super) fn render(o: &mut Out, markdown: &str) {
    let mut para: Vec<&str> = Vec::new();
    let mut in_list = false;
    for line in markdown.lines().map(str::trim_end) {
        let item = line.strip_prefix("- ");
        let heading = heading(line);
        if item.is_none() && in_list {
            o.raw("</ul>");
            in_list = false;
        }
        if line.trim().is_empty() || item.is_some() || heading.is_some() {
            flush(o, &mut para);
        }
        if let Some((level, text)) = heading {
            o.raw(if level <= 2 { "<h4>" } else { "<h5>" });
            inline(o, text);
            o.raw(if level <= 2 { "</h4>" } else { "</h5>" });
        } else if let Some(text) = item {
            if !in_list {
                o.raw("<ul>");
                in_list = true;
            }
            o.raw("<li>");
            inline(o, text);
            o.raw("</li>");
        } else if !line.trim().is_empty() {
            para.push(line.trim());
        }
    }
    flush(o, &mut para);
    if in_list {
        o.raw("</ul>");
    }
}

/// `## Title` as (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let text = line.get(level..)?.strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, text))
}

fn flush(o: &mut Out, para: &mut Vec<&str>) {
    if para.is_empty() {
        return;
    }
    o.raw("<p>");
    inline(o, &para.join(" "));
    o.raw("</p>");
    para.clear();
}

/// Inline spans: `**strong**`, `` `code` ``, `<autolink>`; anything else,
/// an unclosed marker included, is text.
fn inline(o: &mut Out, mut rest: &str) {
    const SPANS: [(&str, &str, &str, &str); 3] = [
        ("**", "**", "<strong>", "</strong>"),
        ("`", "`", "<code>", "</code>"),
        ("<", ">", "<code class=\"url\">", "</code>"),
    ];
    while !rest.is_empty() {
        let next = SPANS
            .iter()
            .filter_map(|span| rest.find(span.0).map(|at| (at, span)))
            .min_by_key(|(at, _)| *at);
        let Some((at, &(open, close, start_tag, end_tag))) = next else {
            o.text(rest);
            return;
        };
        o.text(&rest[..at]);
        let after = &rest[at + open.len()..];
        match after.find(close).filter(|&end| end > 0) {
            Some(end) => {
                o.raw(start_tag).text(&after[..end]).raw(end_tag);
                rest = &after[end + close.len()..];
            }
            None => {
                o.text(open);
                rest = after;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let mut o = Out::default();
        render(&mut o, md);
        o.finish()
    }

    #[test]
    fn renders_the_subset_help_markdown_uses() {
        let md = "## AWS key\n\nDetects it.\nSecond line.\n\n### How to fix\n\nRevoke.\n\nDefault severity: **high**, category: `secret`.\n\n### References\n\n- <https://example.com/a>\n- plain\n";
        assert_eq!(
            html(md),
            "<h4>AWS key</h4><p>Detects it. Second line.</p><h5>How to fix</h5><p>Revoke.</p>\
             <p>Default severity: <strong>high</strong>, category: <code>secret</code>.</p>\
             <h5>References</h5><ul><li><code class=\"url\">https://example.com/a</code></li><li>plain</li></ul>"
        );
    }

    #[test]
    fn html_in_the_source_stays_text() {
        let out = html("## <script>alert(1)</script>\n\n<img src=x onerror=alert(1)> **<b>** `\"'` a < b\n- <\"onerror=>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(!out.contains("\"onerror"), "{out}");
        assert!(
            out.contains("<code class=\"url\">script</code>alert(1)"),
            "{out}"
        );
        assert!(out.contains("<strong>&lt;b&gt;</strong>"), "{out}");
        assert!(out.contains("a &lt; b"), "{out}");
    }

    #[test]
    fn unclosed_markers_are_text() {
        assert_eq!(html("a ** b ` c"), "<p>a ** b ` c</p>");
        assert_eq!(heading("#nospace"), None);
        assert_eq!(heading("####### seven"), None);
    }
}
