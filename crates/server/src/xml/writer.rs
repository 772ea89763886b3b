//! `Doc`: the one writer of the API's XML, built so that it can only emit well-formed
//! XML 1.0 whatever text it is given.
//!
//! Element names are `&'static str` (names are part of the program, never of the data),
//! attribute values are numbers, and every piece of text goes through [`text`], which
//! escapes markup and replaces each character XML 1.0 cannot carry at all (the C0
//! controls other than tab, line feed and carriage return, U+FFFE and U+FFFF; see the
//! `Char` production of XML 1.0 §2.2) with U+FFFD. A carriage return is written as
//! `&#xD;` so that a parser's end-of-line handling does not turn it into a line feed.
//! So a Notification quoting a TwiML document with `&#1;` in it, or a caller's stray
//! control byte, can never make a list unreadable.

use crate::page::Page;

/// An XML document under construction.
#[derive(Debug, Default)]
pub(super) struct Doc(String);

impl Doc {
    /// The document's text.
    pub(super) fn finish(self) -> String {
        self.0
    }

    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }

    /// `<tag>` on its own line.
    pub(super) fn open(&mut self, tag: &'static str) {
        self.0.push('<');
        self.line_end(tag, ">");
    }

    /// `</tag>` on its own line.
    pub(super) fn close(&mut self, tag: &'static str) {
        self.0.push_str("</");
        self.line_end(tag, ">");
    }

    fn line_end(&mut self, tag: &str, end: &str) {
        self.0.push_str(tag);
        self.line(end);
    }

    /// `<tag>value</tag>`, or `<tag/>` when the value is empty.
    pub(super) fn elem(&mut self, tag: &'static str, value: &str) {
        if value.is_empty() {
            self.0.push('<');
            self.line_end(tag, "/>");
        } else {
            self.0.push('<');
            self.0.push_str(tag);
            self.0.push('>');
            self.0.push_str(&text(value));
            self.0.push_str("</");
            self.line_end(tag, ">");
        }
    }

    /// The opening tag of a list with the 2008 paging attributes; self-closing when empty.
    pub(super) fn open_list(&mut self, tag: &'static str, page: &Page) {
        let s = format!(
            "<{tag} page=\"{}\" numpages=\"{}\" pagesize=\"{}\" total=\"{}\" start=\"{}\" end=\"{}\"{}",
            page.page,
            page.numpages,
            page.pagesize,
            page.total,
            page.start,
            page.end,
            if page.is_empty() { "/>" } else { ">" }
        );
        self.line(&s);
    }
}

impl Doc {
    /// The opening tag of a 2010 list with its paging attributes (URIs escaped as text);
    /// self-closing when empty.
    pub(super) fn open_list_2010(
        &mut self,
        tag: &'static str,
        page: &crate::view::ListPage,
        empty: bool,
    ) {
        let uri = |u: &Option<String>| text(u.as_deref().unwrap_or_default());
        let s = format!(
            "<{tag} page=\"{}\" pagesize=\"{}\" start=\"{}\" end=\"{}\" uri=\"{}\" firstpageuri=\"{}\" nextpageuri=\"{}\" previouspageuri=\"{}\"{}",
            page.page,
            page.page_size,
            page.start,
            page.end,
            text(&page.uri),
            text(&page.first_page_uri),
            uri(&page.next_page_uri),
            uri(&page.previous_page_uri),
            if empty { "/>" } else { ">" }
        );
        self.line(&s);
    }
}

/// `s` as XML character data: the five special characters escaped, a carriage return as
/// a character reference, and every character XML 1.0 cannot carry replaced by U+FFFD.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push(char::REPLACEMENT_CHARACTER),
        }
    }
    out
}

/// XML 1.0's `Char` production. A Rust `char` is never a surrogate, so what is left to
/// exclude is the C0 controls but tab, line feed and carriage return, and U+FFFE/U+FFFF.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_controls_are_replaced() {
        assert_eq!(text("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            text("<Dial>\u{1}</Dial>"),
            "&lt;Dial&gt;\u{FFFD}&lt;/Dial&gt;"
        );
        assert_eq!(text("\u{0}\u{8}\u{B}\u{C}\u{1F}"), "\u{FFFD}".repeat(5));
        assert_eq!(text("\u{FFFE}\u{FFFF}"), "\u{FFFD}\u{FFFD}");
        assert_eq!(text("tab\tlf\ncr\r"), "tab\tlf\ncr&#xD;");
        assert_eq!(text("é ☎ 𝄞"), "é ☎ 𝄞");
    }

    #[test]
    fn an_element_with_hostile_text_stays_well_formed() {
        let mut doc = Doc::default();
        doc.open("R");
        doc.elem("M", "\u{1}<x>&#1;]]>\u{7F}");
        doc.close("R");
        let xml = doc.finish();
        assert_eq!(
            xml,
            "<R>\n<M>\u{FFFD}&lt;x&gt;&amp;#1;]]&gt;\u{7F}</M>\n</R>\n"
        );
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}\n{xml}"),
            }
        }
    }

    proptest::proptest! {
        /// Whatever the text, what comes out holds only characters XML 1.0 allows and no
        /// raw markup.
        #[test]
        fn any_text_becomes_character_data(s in "\\PC*|[\\x00-\\x1F\\u{FFFE}\\u{FFFF}<>&]*") {
            let out = text(&s);
            proptest::prop_assert!(out.chars().all(|c| is_xml_char(c) && c != '\r'));
            proptest::prop_assert!(!out.contains('<') && !out.contains('>'));
            for (i, _) in out.match_indices('&') {
                let rest = &out[i..];
                proptest::prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#xD;"]
                    .iter()
                    .any(|e| rest.starts_with(e)));
            }
        }
    }
}
