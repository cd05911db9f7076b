//! The server's limits and HTTP/1.1 rules (docs/design.md §4): head size and header count (431),
//! request-target length (414), the `Host` rule (400), and TCP_NODELAY under pipelining.

use std::time::{Duration, Instant};

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

use crate::common::{Conn, PATIENCE, RawResponse, TestServer, serve};

/// 96 KiB: the default largest request head.
const MAX_HEAD: usize = 96 * 1024;

async fn ok(_: Environ, start: StartResponse) -> Response {
    start.start(StatusCode::OK, ()).body("ok")
}

/// Sends one request that asks to close, and returns its response and whatever followed.
async fn exchange(server: &TestServer, request: &[u8]) -> RawResponse {
    let mut conn = Conn::open(server.addr).await;
    conn.send(request).await;
    let response = conn.try_response().await.expect("a response before the close");
    let (rest, _) = conn.closed_within(PATIENCE).await;
    assert!(rest.is_empty(), "nothing after the response: {:?}", String::from_utf8_lossy(&rest));
    response
}

/// A GET whose head is exactly `size` bytes, padded with one header.
fn head_of_size(size: usize) -> Vec<u8> {
    let prefix = "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Pad: ";
    let pad = size - prefix.len() - "\r\n\r\n".len();
    format!("{prefix}{}\r\n\r\n", "a".repeat(pad)).into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn head_of_96_kib_is_served_one_byte_more_is_431() {
    let server = serve(ok).await;
    let at_limit = exchange(&server, &head_of_size(MAX_HEAD)).await;
    assert_eq!(at_limit.status, 200, "a head of exactly 96 KiB is accepted");
    let over = exchange(&server, &head_of_size(MAX_HEAD + 1)).await;
    assert_eq!(over.status, 431);
    assert!(over.body.is_empty(), "hyper's own 431 has no body");
    let far_over = exchange(&server, &head_of_size(MAX_HEAD + 4096)).await;
    assert_eq!(far_over.status, 431);
}

fn with_headers(count: usize) -> Vec<u8> {
    // `count` headers in all: Host, Connection, and the rest `X-N`.
    let mut head = String::from("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    for n in 0..count - 2 {
        head.push_str(&format!("X-{n}: v\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn hundred_headers_are_served_one_more_is_431() {
    let server = serve(ok).await;
    assert_eq!(exchange(&server, &with_headers(100)).await.status, 200);
    let over = exchange(&server, &with_headers(101)).await;
    assert_eq!(over.status, 431);
    assert!(over.body.is_empty());
}

fn target_of_length(length: usize) -> Vec<u8> {
    let target = format!("/{}", "t".repeat(length - 1));
    format!("GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn target_of_65534_bytes_is_served_one_more_is_414() {
    let server = serve(ok).await;
    assert_eq!(exchange(&server, &target_of_length(65_534)).await.status, 200);
    let over = exchange(&server, &target_of_length(65_535)).await;
    assert_eq!(over.status, 414);
    assert!(over.body.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn http_1_1_without_exactly_one_host_is_400_bad_request_and_close() {
    let server = serve(ok).await;
    let cases: [&[u8]; 2] = [b"GET / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"];
    for request in cases {
        let reply = exchange(&server, request).await;
        assert_eq!(reply.status, 400, "{:?}", String::from_utf8_lossy(request));
        assert_eq!(reply.text(), "Bad Request");
        assert_eq!(reply.header("connection"), Some("close"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn http_1_0_without_host_is_served() {
    let server = serve(ok).await;
    let reply = exchange(&server, b"GET / HTTP/1.0\r\n\r\n").await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "ok"));
}

/// TCP_NODELAY: without it, every batch of pipelined responses waits for the client's
/// delayed ACK (about 40 ms on Linux: `axum::serve` took 4.4 s for 100 batches of 100).
/// With it a batch takes well under a millisecond per response. The median batch time is
/// compared with that stall, so one slow batch on a loaded machine changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn pipelined_batches_are_not_held_back_by_nagle() {
    const BATCHES: usize = 30;
    const PER_BATCH: usize = 100;
    let server = serve(ok).await;
    let mut conn = Conn::open(server.addr).await;
    let batch: Vec<u8> = crate::common::get("/").repeat(PER_BATCH);
    let started = Instant::now();
    let mut times = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        let batch_started = Instant::now();
        conn.send(&batch).await;
        for _ in 0..PER_BATCH {
            assert_eq!(conn.response().await.text(), "ok");
        }
        times.push(batch_started.elapsed());
    }
    let total = started.elapsed();
    times.sort();
    let median = times[BATCHES / 2];
    eprintln!("pipelining: {} requests in {total:?}, median batch {median:?}", BATCHES * PER_BATCH);
    assert!(median < Duration::from_millis(30), "median batch {median:?}: Nagle's stall is ~40 ms");
    assert!(total < Duration::from_secs(5), "{total:?}");
}

async fn form_size(microframe::Form(fields): microframe::Form<Vec<(String, String)>>) -> String {
    fields.len().to_string()
}

/// A response sent before the request body was read says `Connection: close`, then the
/// connection closes: a request pipelined after the body is not silently lost.
#[tokio::test(flavor = "multi_thread")]
async fn a_response_sent_without_reading_the_body_says_connection_close() {
    let app = microframe::Microframe::new().body_limit(64 * 1024).post("/", form_size);
    let server = serve(app).await;
    let head = "POST / HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n";
    let big = "a".repeat(70_000);
    let cases = [
        ("a declared length over the limit, the head only", format!("{head}Content-Length: 70000\r\n\r\n")),
        ("a declared length over the limit, the body sent", format!("{head}Content-Length: 70000\r\n\r\n{big}")),
        (
            "a chunked body cut at the limit while it is read",
            format!("{head}Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n", big.len()),
        ),
    ];
    for (case, request) in cases {
        let mut conn = Conn::open(server.addr).await;
        conn.send(format!("{request}GET / HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes()).await;
        let refused = conn.try_response().await.expect("the 413");
        assert_eq!((refused.status, refused.text().as_str()), (413, "Payload Too Large"), "{case}");
        assert_eq!(refused.header("connection"), Some("close"), "{case}: {}", refused.head);
    }

    // A body read to its end keeps the connection, with no such header.
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=1").await;
    let read = conn.response().await;
    assert_eq!((read.status, read.header("connection")), (200, None));
    conn.send(&crate::common::get("/")).await;
    assert_eq!(conn.response().await.status, 405, "the same connection serves the next request");
}
