//! An HTML writer that escapes by construction: markup goes in only as
//! `&'static str` literals, everything else through [`Out::text`] or
//! [`Out::attr`], which escape it.

use super::super::text::escape as visible;
use std::fmt::Write as _;

/// The page being written.
#[derive(Default, Clone)]
pub(super) struct Out(String);

impl Out {
    /// Appends markup written in this crate.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Appends `s` as element text: control and bidi characters made visible,
    /// HTML special characters as entities.
    pub fn text(&mut self, s: &str) -> &mut Self {
        push_escaped(&mut self.0, &visible(s));
        self
    }

    /// Appends a number.
    pub fn num(&mut self, n: impl Number) -> &mut Self {
        let _ = write!(self.0, "{n}");
        self
    }

    /// Appends ` name="value"` with `value` escaped.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.0.push(' ');
        self.0.push_str(name);
        self.0.push_str("=\"");
        push_escaped(&mut self.0, &visible(value));
        self.0.push('"');
        self
    }

    /// Appends ` name="n"`.
    pub fn attr_num(&mut self, name: &'static str, n: impl Number) -> &mut Self {
        let _ = write!(self.0, " {name}=\"{n}\"");
        self
    }

    /// Appends the output of another writer.
    pub fn append(&mut self, other: Out) -> &mut Self {
        self.0.push_str(&other.0);
        self
    }

    /// The page.
    pub fn finish(self) -> String {
        self.0
    }
}

/// Unsigned integers: their decimal form needs no escaping.
pub(super) trait Number: std::fmt::Display {}
impl Number for u32 {}
impl Number for u64 {}
impl Number for usize {}

/// HTML-escapes `s` into `out`: safe in element text and in quoted
/// attribute values.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut o = Out::default();
        o.raw("<p")
            .attr("title", "\"onerror=alert(1) x='")
            .raw(">")
            .text("<script>alert(1)</script> & \u{202e}")
            .raw("</p>");
        assert_eq!(
            o.finish(),
            "<p title=\"&quot;onerror=alert(1) x=&#39;\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\u{202e}</p>"
        );
    }

    #[test]
    fn numbers_are_plain() {
        let mut o = Out::default();
        o.raw("<rect").attr_num("width", 12u32).raw(">").num(7u64);
        assert_eq!(o.finish(), "<rect width=\"12\">7");
    }
}
