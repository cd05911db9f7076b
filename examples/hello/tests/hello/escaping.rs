//! Every template variable is HTML-escaped: `& < > " '` as `&amp; &lt; &gt; &#34; &#39;`.
//! The greeting's `name` comes from the path; the form's `action` and the greeting's link
//! `back` come from `url_for`, which starts with the raw mount prefix of the request.

use microframe::Microframe;

use crate::{Checked, form_action};

/// `(raw payload, percent-encoded for a path or query, escaped in the page)`.
const PAYLOADS: [(&str, &str, &str); 5] = [
    ("<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("\"quoted\"", "%22quoted%22", "&#34;quoted&#34;"),
    ("it's", "it%27s", "it&#39;s"),
    ("Tom & Jerry", "Tom%20%26%20Jerry", "Tom &amp; Jerry"),
    ("<b>bob</b>", "%3Cb%3Ebob%3C%2Fb%3E", "&lt;b&gt;bob&lt;/b&gt;"),
];

#[tokio::test]
async fn the_name_is_escaped_in_the_heading_and_the_title() {
    let client = Checked::new();
    for (raw, encoded, escaped) in PAYLOADS {
        client
            .page(&format!("/hello/{encoded}"))
            .await
            .assert_body_contains(&format!("<h1>Hello {escaped}!</h1>"))
            .assert_body_contains(&format!("<title>Hello {escaped}</title>"))
            .assert_body_lacks(raw);
    }
}

#[tokio::test]
async fn a_payload_sent_through_the_form_is_encoded_then_escaped() {
    let client = Checked::new();
    for (raw, encoded, escaped) in PAYLOADS {
        let location = client.redirect(&format!("/greet?name={encoded}")).await;
        assert!(
            location.starts_with("/hello/") && !location[7..].contains(['<', '>', '"', '\'', '&', '/']),
            "{location}"
        );
        client.page(&location).await.assert_body_contains(&format!("Hello {escaped}!")).assert_body_lacks(raw);
    }
}

/// A mount prefix with the characters HTML must escape that a raw path may carry (`http`'s
/// URI parser refuses a raw `<` or `>`, so no request target can bring them).
const PREFIX: &str = "/it's&\"co\"";

#[tokio::test]
async fn the_prefix_is_escaped_in_the_form_action_and_the_link_back() {
    let client = Checked::around(Microframe::new().mount(PREFIX, example_hello::app()));
    let page = client.page(&format!("{PREFIX}/")).await.assert_body_lacks(PREFIX).text();
    assert_eq!(form_action(&page), "/it&#39;s&amp;&#34;co&#34;/greet");
    assert_eq!(client.redirect(&format!("{PREFIX}/greet?name=bob")).await, format!("{PREFIX}/hello/bob"));
    client
        .page(&format!("{PREFIX}/hello/bob"))
        .await
        .assert_body_contains(r#"<a href="/it&#39;s&amp;&#34;co&#34;/">"#)
        .assert_body_lacks(PREFIX);
}
