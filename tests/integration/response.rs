//! Responses on the wire: Content-Length in bytes, HEAD without a body, streams chunked
//! and flushed as produced.

use std::sync::Arc;

use bytes::Bytes;
use gateway_core::{Body, BodyError, Environ, Response, StartResponse};
use http::StatusCode;
use test_support::in_process;
use tokio::sync::Notify;

use crate::common::{Conn, PATIENCE, gated_stream, get, serve};

const NON_ASCII: &str = "Héllo wörld ✓"; // 13 characters, 17 bytes

async fn non_ascii(_: Environ, start: StartResponse) -> Response {
    start.start(StatusCode::OK, ()).body(NON_ASCII)
}

async fn hello(_: Environ, start: StartResponse) -> Response {
    start.start(StatusCode::OK, ()).body("Hello world!")
}

fn stream(chunks: &'static [&'static str]) -> impl futures_util::Stream<Item = Result<Bytes, BodyError>> + Send {
    futures_util::stream::iter(chunks.iter().map(|c| Ok(Bytes::from_static(c.as_bytes()))))
}

#[tokio::test(flavor = "multi_thread")]
async fn content_length_counts_bytes_not_characters() {
    let reply = in_process::send(non_ascii, in_process::get("/")).await;
    assert_eq!(reply.header("content-length"), "17");
    let server = serve(non_ascii).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.header("content-length"), Some("17"));
    assert_eq!(reply.text(), NON_ASCII);
}

#[tokio::test(flavor = "multi_thread")]
async fn head_sends_the_get_headers_and_not_one_body_byte() {
    let server = serve(hello).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await;
    let (bytes, _) = conn.closed_within(PATIENCE).await;
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 200 ok\r\n"), "{text}");
    assert!(text.contains("\r\ncontent-length: 12\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\n"), "nothing after the head: {text:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn head_on_keep_alive_leaves_nothing_before_the_next_response() {
    let server = serve(hello).await;
    let mut conn = Conn::open(server.addr).await;
    let mut both = b"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n".to_vec();
    both.extend_from_slice(&get("/"));
    conn.send(&both).await;
    let head = conn.head_response().await;
    assert_eq!((head.status, head.header("content-length")), (200, Some("12")));
    let next = conn.response().await;
    assert!(next.head.starts_with("HTTP/1.1 200"), "the next bytes are a status line: {}", next.head);
    assert_eq!(next.text(), "Hello world!");
}

#[tokio::test(flavor = "multi_thread")]
async fn streamed_body_is_chunked() {
    let app = |_: Environ, start: StartResponse| async {
        start.start(StatusCode::OK, ()).body(Body::from_stream(stream(&["a", "bc", "d"])))
    };
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.header("transfer-encoding"), Some("chunked"));
    assert_eq!(reply.header("content-length"), None);
    assert_eq!(reply.text(), "abcd");
}

#[tokio::test(flavor = "multi_thread")]
async fn sized_stream_is_sent_with_its_content_length() {
    let app = |_: Environ, start: StartResponse| async {
        start.start(StatusCode::OK, ()).body(Body::from_sized_stream(stream(&["ab", "cd"]), 4))
    };
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.header("content-length"), Some("4"));
    assert_eq!(reply.header("transfer-encoding"), None);
    assert_eq!(reply.text(), "abcd");
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_chunks_are_flushed_as_produced() {
    let go = Arc::new(Notify::new());
    let app = {
        let go = Arc::clone(&go);
        move |_: Environ, start: StartResponse| {
            let go = Arc::clone(&go);
            async move {
                let chunks = gated_stream::<BodyError>(go, "first|", "second");
                start.start(StatusCode::OK, ()).body(Body::from_stream(chunks))
            }
        }
    };
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    // The second chunk waits for this test, so the first must arrive on its own.
    assert!(conn.wait_for(b"first|").await, "the first chunk arrived before the stream ended");
    go.notify_one();
    assert_eq!(conn.response().await.text(), "first|second");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_content_has_neither_length_nor_chunks() {
    let app = |_: Environ, start: StartResponse| async { start.start(StatusCode::NO_CONTENT, ()).body("") };
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("content-length"), None, "{}", reply.head);
    assert_eq!(reply.header("transfer-encoding"), None, "{}", reply.head);
}
