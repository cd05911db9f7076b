//! `gateway.input` over a real socket: already framed, exact bytes, one limit (413).
//!
//! Tests that hit the limit send the head only, or a first chunk and nothing more, so the
//! server never has unread body bytes coming at it (conventions: hyper may reset such a
//! connection).

use gateway_core::{Environ, Response, StartResponse};
use http::{HeaderName, HeaderValue, StatusCode};

use crate::common::{Conn, serve};

/// The limit the echo app reads with.
const LIMIT: u64 = 16;

static X_DECLARED: HeaderName = HeaderName::from_static("x-declared");

/// Echoes the body it reads (up to `LIMIT` bytes) and the `CONTENT_LENGTH` it was given.
async fn echo(mut environ: Environ, start: StartResponse) -> Response {
    let declared = environ.get("CONTENT_LENGTH").map_or_else(|| "absent".to_owned(), |v| v.into_owned());
    let declared = HeaderValue::from_str(&declared).unwrap_or(HeaderValue::from_static("unprintable"));
    match environ.input().read_to_end(LIMIT).await {
        Ok(body) => start.start(StatusCode::OK, [(X_DECLARED.clone(), declared)]).body(body),
        Err(error) => start.reject(&error),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn content_length_body_is_exactly_its_bytes_and_the_next_request_follows() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    let mut bytes = b"POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\n\x00\xff\r\nab".to_vec();
    bytes.extend_from_slice(b"POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz");
    conn.send(&bytes).await;
    let first = conn.response().await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-declared"), Some("6"));
    assert_eq!(first.body, b"\x00\xff\r\nab");
    let second = conn.response().await;
    assert_eq!((second.status, second.body.as_slice()), (200, &b"xyz"[..]), "framing kept the next request intact");
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_body_arrives_decoded() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nage=10\r\n3;ext=1\r\n&b=\r\n0\r\n\r\n",
    )
    .await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("x-declared"), Some("absent"));
    assert_eq!(reply.text(), "age=10&b=");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_body_is_an_empty_input() {
    let server = serve(echo).await;
    for request in
        [&b"GET / HTTP/1.1\r\nHost: t\r\n\r\n"[..], b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"]
    {
        let mut conn = Conn::open(server.addr).await;
        conn.send(request).await;
        let reply = conn.response().await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, b"");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn body_exactly_at_the_limit_is_read() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\n\r\n0123456789abcdef").await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "0123456789abcdef"));
}

#[tokio::test(flavor = "multi_thread")]
async fn declared_length_over_the_limit_is_413_before_reading() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n").await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(reply.text(), "Payload Too Large");
}

#[tokio::test(flavor = "multi_thread")]
async fn declared_length_over_the_limit_is_413_without_100_continue() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n").await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 413, "refused before the client was asked for the body: {}", reply.head);
    assert_eq!(reply.text(), "Payload Too Large");
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_body_over_the_limit_is_413() {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    // One chunk of 32 bytes and no last chunk: the limit is passed, nothing more is coming.
    conn.send(
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n0123456789abcdef0123456789abcdef\r\n",
    )
    .await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.text(), "Payload Too Large");
}

#[tokio::test]
async fn in_process_an_empty_body_keeps_its_declared_length_for_the_limit() {
    // The body says LIMIT + 1 bytes but carries nothing: the limit must still see the declared
    // length (as it would on a socket, where hyper waits for the bytes).
    let request = http::Request::post("/")
        .header("content-length", (LIMIT + 1).to_string())
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .expect("request");
    let reply = test_support::in_process::send(echo, request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.text(), "Payload Too Large");
}
