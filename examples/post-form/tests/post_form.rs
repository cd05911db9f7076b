//! Step 3 behaves as docs/example-behaviour.md says, in process (every call under `Validate`).

use bytes::Bytes;
use example_post_form::app;
use test_support::{Reply, in_process};

/// The tutorial's form, as a POST body.
const FILLED: &str = "age=10&hobbies=software&hobbies=tunning";
const FORM_TYPE: &str = "application/x-www-form-urlencoded";
const LIMIT: usize = microframe::DEFAULT_BODY_LIMIT as usize;

/// `POST target` with `body` and the given headers (`Content-Length` only when listed).
fn post(target: &str, headers: &[(&str, &str)], body: impl Into<Bytes>) -> http::Request<http_body_util::Full<Bytes>> {
    let mut request = in_process::request("POST", target, body.into());
    for (name, value) in headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        request.headers_mut().append(name, value.parse().expect("a header value"));
    }
    request
}

/// A POST of `body` as a form, with its `Content-Length`.
fn post_form(body: &str) -> http::Request<http_body_util::Full<Bytes>> {
    let length = body.len().to_string();
    post("/", &[("content-type", FORM_TYPE), ("content-length", &length)], body.to_owned())
}

fn assert_html(reply: &Reply) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
}

fn assert_text(reply: &Reply, status: u16, text: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), text);
}

/// The text of the results paragraph (the page's last `<p>`), whitespace collapsed.
fn results(page: &str) -> String {
    let start = page.rfind("<p>").expect("a results paragraph") + "<p>".len();
    let end = start + page[start..].find("</p>").expect("the paragraph ends");
    page[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Step 2's page for `query`, with the form's method turned into `post`.
async fn step_two_page(query: &str) -> String {
    let reply = in_process::send(example_get_form::app, in_process::get(&format!("/?{query}"))).await;
    reply.text().replacen(r#"<form method="get""#, r#"<form method="post""#, 1)
}

#[tokio::test]
async fn get_shows_the_empty_post_form() {
    for target in ["/", "/?age=10&hobbies=software", "/any/path"] {
        let reply = in_process::send(app, in_process::get(target)).await;
        assert_html(&reply);
        let page = reply.text();
        assert!(page.contains(r#"<form method="post" action="">"#), "{page}");
        assert_eq!(results(&page), "Age: Empty<br> Hobbies: No Hobbies", "{target}: the query is not read");
        assert_eq!(page, step_two_page("").await);
    }
}

#[tokio::test]
async fn post_fills_the_page_as_step_two_does() {
    let reply = in_process::send(app, post_form(FILLED)).await;
    assert_html(&reply);
    assert_eq!(results(&reply.text()), "Age: 10<br> Hobbies: software, tunning");
    assert_eq!(reply.text(), step_two_page(FILLED).await, "the same page, method aside");
}

#[tokio::test]
async fn post_without_content_length_is_read_to_its_end() {
    let reply = in_process::send(app, post("/somewhere", &[("content-type", FORM_TYPE)], FILLED)).await;
    assert_html(&reply);
    assert_eq!(results(&reply.text()), "Age: 10<br> Hobbies: software, tunning");
}

#[tokio::test]
async fn no_or_empty_body_is_the_empty_form_whatever_its_type() {
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[("content-length", "0")],
        &[("content-type", FORM_TYPE)],
        &[("content-type", "text/plain"), ("content-length", "0")],
        &[("content-type", "application/json")],
    ];
    for headers in cases {
        let reply = in_process::send(app, post("/", headers, "")).await;
        assert_html(&reply);
        assert_eq!(results(&reply.text()), "Age: Empty<br> Hobbies: No Hobbies", "{headers:?}");
    }
}

#[tokio::test]
async fn content_type_is_matched_case_insensitively_without_parameters() {
    for content_type in [
        "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
        "APPLICATION/X-WWW-FORM-URLENCODED",
        "application/x-www-form-urlencoded;charset=utf-8",
    ] {
        let reply = in_process::send(app, post("/", &[("content-type", content_type)], FILLED)).await;
        assert_html(&reply);
        assert_eq!(results(&reply.text()), "Age: 10<br> Hobbies: software, tunning", "{content_type}");
    }
}

#[tokio::test]
async fn non_empty_body_of_another_type_is_415() {
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[("content-type", "text/plain")],
        &[("content-type", "application/json; charset=utf-8")],
        &[("content-type", "multipart/form-data; boundary=x")],
        &[("content-type", "application/x-www-form-urlencodedx")],
    ];
    for headers in cases {
        let reply = in_process::send(app, post("/", headers, FILLED)).await;
        assert_text(&reply, 415, "Expected Content-Type: application/x-www-form-urlencoded");
    }
}

#[tokio::test]
async fn body_over_two_mib_is_413_declared_or_streamed() {
    let body = format!("age={}", "a".repeat(LIMIT - 3));
    assert_eq!(body.len(), LIMIT + 1);
    let declared = in_process::send(app, post_form(&body)).await;
    assert_text(&declared, 413, "Payload Too Large");
    let streamed = in_process::send(app, post("/", &[("content-type", FORM_TYPE)], body)).await;
    assert_text(&streamed, 413, "Payload Too Large");
}

#[tokio::test]
async fn body_of_exactly_two_mib_is_accepted() {
    let age = "a".repeat(LIMIT - 4);
    let reply = in_process::send(app, post_form(&format!("age={age}"))).await;
    assert_html(&reply);
    assert!(reply.text().contains(&format!("Age: {age}<br>")));
}

#[tokio::test]
async fn content_length_that_is_not_a_number_is_400_before_the_app() {
    let reply = in_process::send(app, post("/", &[("content-type", FORM_TYPE), ("content-length", "abc")], "")).await;
    assert_text(&reply, 400, "Bad Request");
}

#[tokio::test]
async fn posted_values_are_escaped() {
    let reply = in_process::send(app, post_form("age=%3Cscript%3Ex%3C%2Fscript%3E&hobbies=a%22b%27c%26d")).await;
    let page = reply.text();
    assert!(!page.contains("<script>"), "{page}");
    assert_eq!(results(&page), "Age: &lt;script&gt;x&lt;/script&gt;<br> Hobbies: a&#34;b&#39;c&amp;d");
    assert!(page.contains(r#"name="age" value="&lt;script&gt;x&lt;/script&gt;">"#), "{page}");
    let quotes = in_process::send(app, post_form("age=a%22b%27c%26d")).await.text();
    assert!(quotes.contains(r#"name="age" value="a&#34;b&#39;c&amp;d">"#), "{quotes}");
}

#[tokio::test]
async fn malformed_bodies_keep_what_they_can() {
    let cases = [
        ("age=%zz&&=x&hobbies=%", "Age: %zz<br> Hobbies: %"),
        ("age=%ff&age=2", "Age: \u{fffd}<br> Hobbies: No Hobbies"),
        ("&&", "Age: Empty<br> Hobbies: No Hobbies"),
        ("age=ten+years", "Age: ten years<br> Hobbies: No Hobbies"),
    ];
    for (body, expected) in cases {
        let reply = in_process::send(app, post_form(body)).await;
        assert_html(&reply);
        assert_eq!(results(&reply.text()), expected, "{body}");
    }
}

#[tokio::test]
async fn head_options_and_other_methods() {
    let get = in_process::send(app, in_process::get("/")).await;
    let head = in_process::send(app, in_process::request("HEAD", "/", Bytes::new())).await;
    assert_eq!((head.status, head.header("content-length")), (get.status, get.header("content-length")));
    assert!(head.body.is_empty());

    let options = in_process::send(app, in_process::request("OPTIONS", "/", Bytes::new())).await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), "GET, HEAD, OPTIONS, POST");
    assert!(options.body.is_empty());

    for method in ["PUT", "DELETE", "PATCH"] {
        let reply = in_process::send(app, in_process::request(method, "/", FILLED.into())).await;
        assert_text(&reply, 405, "Method Not Allowed");
        assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS, POST", "{method}");
    }
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran =
        test_support::guide::check("post-parsing.md", "example-post-form", env!("CARGO_BIN_EXE_example-post-form"));
    assert_eq!(ran, 14, "every command of the chapter ran");
}
