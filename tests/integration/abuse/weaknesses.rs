//! The other rows of the hardening table, each as an attacker sends it, and the rules that
//! held before (so none regresses): a form of many tiny fields, a panicking converter, the
//! trailing-slash redirect, a target that claims `https`, a refused body with a request
//! pipelined after it, a slow head, an oversized head, a missing or repeated `Host`. Every
//! case ends with a normal request answered 200.

use std::time::Duration;

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;
use microframe::{Converter, Microframe, MultiDict, Path};

use super::still_serves;
use crate::common::{Conn, PATIENCE, SLACK, get, serve, serve_with};

/// `GET /` is `ok`; `POST /form` parses its form and answers how many fields it had.
async fn form_app(mut environ: Environ, start: StartResponse) -> Response {
    if environ.method() == http::Method::POST {
        return match MultiDict::form(&mut environ).await {
            Ok(form) => start.start(StatusCode::OK, ()).body(form.len().to_string()),
            Err(refusal) => start.reject(&refusal),
        };
    }
    start.start(StatusCode::OK, ()).body("ok")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_of_a_million_tiny_fields_is_413() {
    let server = serve(form_app).await;
    let body: Vec<u8> = b"a&".iter().copied().cycle().take(2 << 20).collect();
    let mut conn = Conn::open(server.addr).await;
    let head = format!(
        "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len() - 1
    );
    conn.send(head.as_bytes()).await;
    conn.send(&body[..body.len() - 1]).await;
    let reply = tokio::time::timeout(PATIENCE, conn.response()).await.expect("an answer");
    assert_eq!((reply.status, reply.text().as_str()), (413, "Payload Too Large"), "{}", reply.head);
    still_serves(server.addr).await;
}

/// A converter that panics on `boom`.
struct Fragile;

impl Converter for Fragile {
    type Value = String;
    fn parse(&self, text: &str) -> Option<String> {
        assert!(text != "boom", "the converter fell over");
        Some(text.to_owned())
    }
    fn format(&self, value: &String) -> String {
        value.clone()
    }
}

async fn named(Path(name): Path<String>) -> String {
    name
}

fn router_app() -> Microframe {
    Microframe::new()
        .converter("fragile", Fragile)
        .get("/", named_root)
        .get("/f/<x:fragile>", named)
        .get("/<name>/", named)
}

async fn named_root() -> &'static str {
    "ok"
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_converter_is_a_500_on_a_connection_that_is_kept() {
    let server = serve(router_app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/f/boom")).await;
    assert_eq!(conn.response().await.status, 500);
    conn.send(&get("/f/fine")).await;
    let again = conn.response().await;
    assert_eq!((again.status, again.text().as_str()), (200, "fine"), "the same connection serves on");
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_trailing_slash_redirect_never_points_to_another_site() {
    let server = serve(router_app()).await;
    for target in ["/\\evil.com", "//evil.com", "/%5Cevil.com"] {
        let mut conn = Conn::open(server.addr).await;
        conn.send(&get(target)).await;
        let reply = conn.response().await;
        let location = reply.header("location").unwrap_or_default().to_owned();
        assert!(!location.starts_with("//") && !location.starts_with("/\\"), "{target}: Location {location:?}");
        assert!(
            reply.status == 404 || (reply.status == 308 && location.starts_with("/%5C")),
            "{target}: {}",
            reply.head
        );
    }
    still_serves(server.addr).await;
}

async fn scheme(environ: Environ, start: StartResponse) -> Response {
    start.start(StatusCode::OK, ()).body(if environ.path_info() == "/" { "ok" } else { environ.url_scheme() })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_that_claims_https_over_plain_tcp_is_http() {
    let server = serve(scheme).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"GET https://bank.example/x HTTP/1.1\r\nHost: bank.example\r\n\r\n").await;
    assert_eq!(conn.response().await.text(), "http");
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_refused_unread_says_close_and_the_pipelined_request_is_not_lost_silently() {
    let app = microframe::BodyLimit::new(form_app, 64 * 1024);
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    let body = vec![b'a'; 70_000];
    let head = format!(
        "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.send(head.as_bytes()).await;
    conn.send(&body).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.header("connection"), Some("close"), "the client learns its pipelined request was not read");
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rules_that_held_before_still_hold() {
    let ok = |_: Environ, start: StartResponse| async { start.start(StatusCode::OK, ()).body("ok") };
    let server = serve_with(ok, |serve| serve.header_read_timeout(Duration::from_millis(500))).await;
    // A head that never ends is closed at the header bound, silently.
    let mut slow = Conn::open(server.addr).await;
    slow.send(b"GET / HTTP/1.1\r\nHost: t\r\nX-a: 1\r\n").await;
    let (rest, took) = slow.closed_within(Duration::from_millis(500) + SLACK).await;
    assert!(rest.is_empty(), "closed without a response, after {took:?}");
    // An oversized head is 431; a missing or repeated Host is 400.
    let mut big = Conn::open(server.addr).await;
    big.send(format!("GET / HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n", "a".repeat(100 * 1024)).as_bytes()).await;
    assert_eq!(big.head_response().await.status, 431);
    for head in ["GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"] {
        let mut conn = Conn::open(server.addr).await;
        conn.send(head.as_bytes()).await;
        assert_eq!(conn.response().await.status, 400, "{head:?}");
    }
    still_serves(server.addr).await;
}
