//! The HTML escaper for askama templates (what it writes and how a crate selects it are in
//! [`HtmlEntities`]'s docs).

use std::fmt::{self, Write};

/// Escapes `& < > " '` for HTML text and attribute values, as `&amp; &lt; &gt; &#34; &#39;`.
///
/// askama 0.16's own HTML escaper writes `&#60;`/`&#62;` for `<`/`>`. Both are correct
/// HTML; this one writes the named entities that Jinja's markupsafe (Flask) writes and the
/// examples of docs/example-behaviour.md show, so `<b>` in user data reads as `&lt;b&gt;` in
/// the page source. A crate selects it for its `.html` templates in its `askama.toml`, next
/// to its `Cargo.toml` (the whole file: [Getting started](crate#getting-started)):
///
/// ```toml
/// [[escaper]]
/// path = "::microframe::HtmlEntities"
/// extensions = ["html", "htm", "xml", "svg"]
/// ```
///
/// # Examples
/// ```
/// use askama::filters::Escaper;
///
/// let mut out = String::new();
/// microframe::HtmlEntities.write_escaped_str(&mut out, r#"<a href="x">Tom & 'Jerry'</a>"#).unwrap();
/// assert_eq!(out, "&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlEntities;

impl askama::filters::Escaper for HtmlEntities {
    fn write_escaped_str<W: Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let mut plain_from = 0;
        for (index, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&#34;",
                b'\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&text[plain_from..index])?;
            dest.write_str(entity)?;
            plain_from = index + 1;
        }
        dest.write_str(&text[plain_from..])
    }
}
