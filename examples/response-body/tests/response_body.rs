//! Step 4 behaves as docs/example-behaviour.md says, in process and over a real socket.

use std::time::Duration;

use bytes::Bytes;
use example_response_body::{CHUNKS, DELAY, app};
use test_support::child::ExampleServer;
use test_support::{client, in_process};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn text() -> String {
    CHUNKS.concat()
}

#[tokio::test]
async fn buffered_body_has_content_length_in_bytes() {
    let reply = in_process::send(app, in_process::get("/")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), text());
    assert_eq!(reply.text().lines().next(), Some("Héllo wörld ✓"));
    assert_eq!(reply.header("content-length"), "185");
    assert_eq!(text().len(), 185);
    assert_eq!(text().chars().count(), 181, "the length counts bytes, not characters");
}

#[tokio::test]
async fn streamed_body_has_no_content_length() {
    let reply = in_process::send(app, in_process::get("/stream")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert!(reply.headers.get("content-length").is_none(), "{:?}", reply.headers);
    assert_eq!(reply.text(), text());
}

#[tokio::test]
async fn head_has_the_get_headers_and_no_body() {
    let reply = in_process::send(app, in_process::request("HEAD", "/", Bytes::new())).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.header("content-length"), "185");
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn other_paths_are_not_found() {
    let reply = in_process::send(app, in_process::get("/nope")).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.text(), "Not Found");
}

/// Splits a raw HTTP/1.1 response into its head and its chunked body's chunks.
fn dechunk(raw: &[u8]) -> (String, Vec<Bytes>) {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head") + 4;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let (mut rest, mut chunks) = (&raw[split..], Vec::new());
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").expect("a chunk-size line");
        let size = std::str::from_utf8(&rest[..line_end]).ok().and_then(|hex| usize::from_str_radix(hex, 16).ok());
        let size = size.expect("a hex chunk size");
        if size == 0 {
            assert_eq!(&rest[line_end..], b"\r\n\r\n", "the last chunk ends the response");
            return (head, chunks);
        }
        let data = &rest[line_end + 2..];
        chunks.push(Bytes::copy_from_slice(&data[..size]));
        assert_eq!(&data[size..size + 2], b"\r\n");
        rest = &data[size + 2..];
    }
}

/// Whether `haystack` contains `needle`.
fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn binary_streams_heads_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(env!("CARGO_BIN_EXE_example-response-body"), &[]);
    let log = |server: &ExampleServer| server.access_log_line();

    let reply = client::get(server.addr, "/").await;
    assert_eq!((reply.status.as_u16(), reply.header("content-length")), (200, "185"));
    assert_eq!(reply.text(), text());
    assert!(log(&server).ends_with("\"GET / HTTP/1.1\" 200 185"));

    // HEAD, as raw bytes: the head of GET, and nothing after it.
    let raw = client::raw(server.addr, b"HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await;
    assert!(raw.starts_with("HTTP/1.1 200 OK\r\n"), "{raw}");
    let lower = raw.to_ascii_lowercase();
    assert!(lower.contains("\r\ncontent-length: 185\r\n"), "{raw}");
    assert!(lower.contains("\r\ncontent-type: text/plain; charset=utf-8\r\n"), "{raw}");
    assert!(raw.ends_with("\r\n\r\n"), "no body after the head: {raw:?}");
    assert!(log(&server).ends_with("\"HEAD / HTTP/1.1\" 200 -"));

    // The stream: the first chunk is readable while the server still sleeps before the
    // last one, (CHUNKS.len() - 1) * DELAY later.
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET /stream HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await.expect("write");
    let mut received = Vec::new();
    let first = async {
        while !contains(&received, CHUNKS[0]) {
            assert_ne!(stream.read_buf(&mut received).await.expect("read"), 0, "closed early");
        }
    };
    tokio::time::timeout(Duration::from_secs(5), first).await.expect("the first chunk within 5 s");
    let last = CHUNKS[CHUNKS.len() - 1];
    assert!(!contains(&received, last), "the first chunk came only with the last one, {DELAY:?} apart");
    received.extend_from_slice(client::read_until_close(&mut stream).await.as_bytes());
    let (head, chunks) = dechunk(&received);
    assert!(head.contains("\r\ntransfer-encoding: chunked\r\n"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert_eq!(chunks, CHUNKS.map(|c| Bytes::from_static(c.as_bytes())), "one HTTP chunk per body chunk");
    assert!(log(&server).ends_with("\"GET /stream HTTP/1.1\" 200 185"));

    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check(
        "response-body.md",
        "example-response-body",
        env!("CARGO_BIN_EXE_example-response-body"),
    );
    assert_eq!(ran, 5, "every command of the chapter ran");
}
