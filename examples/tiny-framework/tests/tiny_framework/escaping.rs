//! User data in HTML is escaped: `& < > " '` as `&amp; &lt; &gt; &#34; &#39;`.

use crate::{Checked, HTML};

/// `(raw payload, percent-encoded for the path, escaped in the page)`.
const PAYLOADS: [(&str, &str, &str); 5] = [
    ("<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("\"quoted\"", "%22quoted%22", "&#34;quoted&#34;"),
    ("it's", "it's", "it&#39;s"),
    ("Tom & Jerry", "Tom%20%26%20Jerry", "Tom &amp; Jerry"),
    ("<img src=x onerror='a()'>", "%3Cimg%20src%3Dx%20onerror%3D'a()'%3E", "&lt;img src=x onerror=&#39;a()&#39;&gt;"),
];

#[tokio::test]
async fn the_hello_name_is_escaped() {
    let client = Checked::new();
    for (raw, encoded, escaped) in PAYLOADS {
        client
            .get(&format!("/hello/{encoded}"))
            .send()
            .await
            .assert_status(200)
            .assert_header("content-type", HTML)
            .assert_body(&format!("Hello {escaped}!"))
            .assert_body_lacks(raw);
    }
}

#[tokio::test]
async fn a_script_tag_never_reaches_the_page() {
    let client = Checked::new();
    client.get("/hello/%3Cscript%3E").send().await.assert_body_contains("&lt;script&gt;").assert_body_lacks("<script>");
}

#[tokio::test]
async fn an_ampersand_that_looks_like_an_entity_is_escaped_again() {
    let client = Checked::new();
    client.get("/hello/%26lt%3B").send().await.assert_body("Hello &amp;lt;!");
}
