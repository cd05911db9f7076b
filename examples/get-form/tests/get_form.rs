//! Step 2 behaves as docs/example-behaviour.md says, in process and over a real socket.

use std::time::Duration;

use example_get_form::app;
use test_support::child::ExampleServer;
use test_support::{Reply, client, in_process};

/// The tutorial's request.
const FILLED: &str = "/?age=10&hobbies=software&hobbies=tunning";

/// The page for `target`, checked to be a 200 HTML page.
async fn page(target: &str) -> String {
    let reply = in_process::send(app, in_process::get(target)).await;
    assert_html(&reply);
    reply.text()
}

fn assert_html(reply: &Reply) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(reply.header("content-length"), reply.body.len().to_string());
}

/// The text of the results paragraph (the page's last `<p>`), whitespace collapsed.
fn results(page: &str) -> String {
    let start = page.rfind("<p>").expect("a results paragraph") + "<p>".len();
    let end = start + page[start..].find("</p>").expect("the paragraph ends");
    page[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `<input ...>` tag that contains `needle`.
fn input<'a>(page: &'a str, needle: &str) -> &'a str {
    let at = page.find(needle).unwrap_or_else(|| panic!("{needle:?} not in\n{page}"));
    let start = page[..at].rfind("<input").expect("inside an input tag");
    let end = at + page[at..].find('>').expect("the tag ends");
    &page[start..=end]
}

/// Whether the checkbox for `hobby` is checked.
fn checked(page: &str, hobby: &str) -> bool {
    let tag = input(page, &format!("value=\"{hobby}\""));
    assert!(tag.contains(r#"type="checkbox""#) && tag.contains(r#"name="hobbies""#), "{tag}");
    tag.contains(" checked")
}

#[tokio::test]
async fn filled_query_refills_the_form_and_shows_the_results() {
    let page = page(FILLED).await;
    assert!(page.contains(r#"<form method="get" action="">"#), "{page}");
    assert_eq!(input(&page, r#"name="age""#), r#"<input type="text" name="age" value="10">"#);
    assert!(checked(&page, "software") && checked(&page, "tunning"), "{page}");
    assert_eq!(results(&page), "Age: 10<br> Hobbies: software, tunning");
    assert!(page.contains("Age: 10<br>"), "{page}");
    assert_eq!(page.matches("<p>").count(), 4, "three in the form, one for the results");
}

#[tokio::test]
async fn each_placeholder_stands_on_its_own() {
    let cases = [
        ("/", "Age: Empty<br> Hobbies: No Hobbies", [false, false]),
        ("/?age=", "Age: Empty<br> Hobbies: No Hobbies", [false, false]),
        ("/?age=42", "Age: 42<br> Hobbies: No Hobbies", [false, false]),
        ("/?hobbies=tunning", "Age: Empty<br> Hobbies: tunning", [false, true]),
        ("/?hobbies=tunning&hobbies=knitting", "Age: Empty<br> Hobbies: tunning, knitting", [false, true]),
        ("/?age=&hobbies=software", "Age: Empty<br> Hobbies: software", [true, false]),
    ];
    for (target, expected, [software, tunning]) in cases {
        let page = page(target).await;
        assert_eq!(results(&page), expected, "{target}");
        assert_eq!((checked(&page, "software"), checked(&page, "tunning")), (software, tunning), "{target}");
    }
    let empty = page("/").await;
    assert_eq!(input(&empty, r#"name="age""#), r#"<input type="text" name="age" value="">"#);
}

#[tokio::test]
async fn script_in_the_age_is_escaped_everywhere() {
    let page = page("/?age=%3Cscript%3Ex%3C%2Fscript%3E").await;
    assert!(!page.contains("<script>") && !page.contains("</script>"), "{page}");
    assert_eq!(results(&page), "Age: &lt;script&gt;x&lt;/script&gt;<br> Hobbies: No Hobbies");
    assert!(page.contains(r#"value="&lt;script&gt;x&lt;/script&gt;">"#), "{page}");
}

#[tokio::test]
async fn quotes_and_ampersands_are_escaped_in_text_and_attribute() {
    // age = a"b'c&d, hobbies = "x'&<y>
    let page = page("/?age=a%22b%27c%26d&hobbies=%22x%27%26%3Cy%3E&hobbies=software").await;
    assert_eq!(input(&page, r#"name="age""#), r#"<input type="text" name="age" value="a&#34;b&#39;c&amp;d">"#);
    assert_eq!(results(&page), "Age: a&#34;b&#39;c&amp;d<br> Hobbies: &#34;x&#39;&amp;&lt;y&gt;, software");
    assert!(checked(&page, "software") && !checked(&page, "tunning"));
    assert!(!page.contains("<y>") && !page.contains("'&"), "{page}");
}

#[tokio::test]
async fn malformed_queries_still_answer_with_what_they_hold() {
    let cases = [
        ("/?age=%zz", "%zz", "Age: %zz<br> Hobbies: No Hobbies"),
        ("/?age=%", "%", "Age: %<br> Hobbies: No Hobbies"),
        ("/?age=%ff", "\u{fffd}", "Age: \u{fffd}<br> Hobbies: No Hobbies"),
        ("/?&&age=5&&hobbies=software&&", "5", "Age: 5<br> Hobbies: software"),
        ("/?&&", "", "Age: Empty<br> Hobbies: No Hobbies"),
        ("/?=x", "", "Age: Empty<br> Hobbies: No Hobbies"),
        ("/?=x&age=3", "3", "Age: 3<br> Hobbies: No Hobbies"),
        ("/?age=1&age=2", "1", "Age: 1<br> Hobbies: No Hobbies"),
        ("/?age=&age=2", "", "Age: Empty<br> Hobbies: No Hobbies"),
        ("/?age=ten+years&hobbies=a%2Bb", "ten years", "Age: ten years<br> Hobbies: a+b"),
        ("/?hobbies=%zz&hobbies=", "", "Age: Empty<br> Hobbies: %zz,"),
        ("/?age=%26amp%3B", "&amp;amp;", "Age: &amp;amp;<br> Hobbies: No Hobbies"),
    ];
    for (target, value, expected) in cases {
        let page = page(target).await;
        assert_eq!(results(&page), expected, "{target}");
        let tag = format!(r#"<input type="text" name="age" value="{value}">"#);
        assert_eq!(input(&page, r#"name="age""#), tag, "{target}");
    }
}

#[tokio::test]
async fn a_space_is_a_value_not_a_blank() {
    let page = page("/?age=+").await;
    assert!(page.contains("Age:  <br>"), "{page}");
}

#[tokio::test]
async fn any_path_and_method_shows_the_page_from_the_query() {
    let page = page("/some/where?age=3").await;
    assert_eq!(results(&page), "Age: 3<br> Hobbies: No Hobbies");
    let post = in_process::request("POST", "/?hobbies=software", "age=99".into());
    let reply = in_process::send(app, post).await;
    assert_html(&reply);
    assert_eq!(results(&reply.text()), "Age: Empty<br> Hobbies: software", "the body is never read");
}

#[tokio::test]
async fn head_has_the_headers_of_get_and_no_body() {
    let get = in_process::send(app, in_process::get(FILLED)).await;
    let head = in_process::send(app, in_process::request("HEAD", FILLED, Default::default())).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn binary_serves_the_form_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(env!("CARGO_BIN_EXE_example-get-form"), &[]);
    let reply = client::get(server.addr, FILLED).await;
    assert_html(&reply);
    assert_eq!(reply.text(), page(FILLED).await, "the socket and in-process pages are the same");
    let line = server.access_log_line();
    let logged = format!("] \"GET {FILLED} HTTP/1.1\" 200 {}", reply.body.len());
    assert!(line.starts_with("127.0.0.1 - - [") && line.ends_with(&logged), "{line}");

    // A browser percent-encodes `<` and `>` (hyper refuses them raw in a request target).
    let answer = client::get(server.addr, "/?age=%3Cscript%3Ex%3C/script%3E").await.text();
    assert!(!answer.contains("<script>") && answer.contains("Age: &lt;script&gt;x&lt;/script&gt;<br>"), "{answer}");

    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("get-parsing.md", "example-get-form", env!("CARGO_BIN_EXE_example-get-form"));
    assert_eq!(ran, 6, "every command of the chapter ran");
}
