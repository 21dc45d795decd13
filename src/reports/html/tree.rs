//! Any serialised summary (a JSON value) as nested HTML: objects as
//! key/value tables, arrays of objects as tables with a column per key,
//! other arrays as lists. Depth and size are bounded.

use super::out::Out;
use serde_json::Value;

/// Deepest nesting rendered as tables; deeper values are shown as JSON.
const MAX_DEPTH: usize = 6;
/// Most array items rendered.
const MAX_ITEMS: usize = 500;

/// Writes `value`.
pub(super) fn render(o: &mut Out, value: &Value) {
    node(o, "", value, 0);
}

fn node(o: &mut Out, key: &str, value: &Value, depth: usize) {
    match value {
        Value::Null => {
            o.raw("<span class=\"none\">—</span>");
        }
        Value::Bool(b) => {
            let warn = *b && (key.contains("expired") || key.contains("cleartext"));
            o.raw(if warn {
                "<span class=\"flag bad\">"
            } else {
                "<span class=\"flag\">"
            })
            .raw(if *b { "yes" } else { "no" })
            .raw("</span>");
        }
        Value::Number(n) => {
            o.text(&n.to_string());
        }
        Value::String(s) => {
            o.text(s);
        }
        _ if depth >= MAX_DEPTH => {
            o.raw("<code>").text(&value.to_string()).raw("</code>");
        }
        Value::Array(items) if items.is_empty() => {
            o.raw("<span class=\"none\">none</span>");
        }
        Value::Array(items) if items.iter().all(Value::is_object) => {
            object_table(o, items, depth);
        }
        Value::Array(items) => {
            o.raw("<ul class=\"plain\">");
            for item in items.iter().take(MAX_ITEMS) {
                o.raw("<li>");
                node(o, key, item, depth + 1);
                o.raw("</li>");
            }
            o.raw("</ul>");
            more(o, items.len());
        }
        Value::Object(map) => {
            o.raw("<table class=\"kv\">");
            for (k, v) in map {
                o.raw("<tr><th>").text(&label(k)).raw("</th><td>");
                node(o, k, v, depth + 1);
                o.raw("</td></tr>");
            }
            o.raw("</table>");
        }
    }
}

/// Objects as one table: a column per key, in order of first appearance.
fn object_table(o: &mut Out, items: &[Value], depth: usize) {
    let shown = &items[..items.len().min(MAX_ITEMS)];
    let mut columns: Vec<&str> = Vec::new();
    for map in shown.iter().filter_map(Value::as_object) {
        for k in map.keys() {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    o.raw("<table class=\"grid\"><thead><tr>");
    for c in &columns {
        o.raw("<th>").text(&label(c)).raw("</th>");
    }
    o.raw("</tr></thead><tbody>");
    for map in shown.iter().filter_map(Value::as_object) {
        o.raw("<tr>");
        for c in &columns {
            o.raw("<td>");
            if let Some(v) = map.get(*c) {
                node(o, c, v, depth + 1);
            }
            o.raw("</td>");
        }
        o.raw("</tr>");
    }
    o.raw("</tbody></table>");
    more(o, items.len());
}

fn more(o: &mut Out, total: usize) {
    if total > MAX_ITEMS {
        o.raw("<p class=\"note\">… and ")
            .num(total - MAX_ITEMS)
            .raw(" more (the JSON report lists them all)</p>");
    }
}

/// A field name for people: `min_sdk` → `min sdk`.
pub(super) fn label(key: &str) -> String {
    key.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn html(v: &Value) -> String {
        let mut o = Out::default();
        render(&mut o, v);
        o.finish()
    }

    #[test]
    fn objects_arrays_and_scalars() {
        let v = json!({
            "min_sdk": 21,
            "frameworks": ["flutter", "react-native"],
            "domains": [{"domain": "a.com", "cleartext": true}, {"domain": "b.com", "pins": 2}],
            "signing": {"scheme": "v2", "expired": false},
            "note": null
        });
        let out = html(&v);
        // Keys in serde_json's (sorted) order.
        assert!(
            out.starts_with("<table class=\"kv\"><tr><th>domains</th>"),
            "{out}"
        );
        assert!(
            out.contains("<tr><th>min sdk</th><td>21</td></tr>"),
            "{out}"
        );
        assert!(
            out.contains("<ul class=\"plain\"><li>flutter</li><li>react-native</li></ul>"),
            "{out}"
        );
        assert!(
            out.contains("<thead><tr><th>cleartext</th><th>domain</th><th>pins</th></tr></thead>"),
            "{out}"
        );
        assert!(
            out.contains("<td><span class=\"flag bad\">yes</span></td><td>a.com</td><td></td>"),
            "{out}"
        );
        assert!(
            out.contains("<th>expired</th><td><span class=\"flag\">no</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"none\">—</span>"), "{out}");
    }

    #[test]
    fn depth_and_length_are_bounded() {
        let mut deep = json!("leaf");
        for _ in 0..50 {
            deep = json!({ "k": deep });
        }
        let out = html(&deep);
        assert_eq!(out.matches("<table").count(), MAX_DEPTH);
        assert!(out.contains("<code>{&quot;k&quot;"), "{out}");
        let long = Value::Array((0..MAX_ITEMS + 3).map(|i| json!(i)).collect());
        let out = html(&long);
        assert_eq!(out.matches("<li>").count(), MAX_ITEMS);
        assert!(out.contains("… and 3 more"));
    }

    #[test]
    fn keys_and_values_are_escaped() {
        let out = html(&json!({"<img src=x onerror=alert(1)>": ["<script>alert(1)</script>"]}));
        assert!(!out.contains("<img") && !out.contains("<script"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }
}
