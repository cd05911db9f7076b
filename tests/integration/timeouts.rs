//! Timeouts that really fire (docs/design.md §4): the header read timeout on a half-sent head, on a
//! silent connection and on an idle keep-alive connection (a silent close each), and the
//! body read timeout (408). Each asserts "closed within timeout + slack", never "not before".

use std::time::Duration;

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

use crate::common::{Conn, SLACK, get, serve_with};

const HEADER_TIMEOUT: Duration = Duration::from_millis(400);
const BODY_TIMEOUT: Duration = Duration::from_millis(300);

/// Reads the whole body, then answers with its length.
async fn reads_body(mut environ: Environ, start: StartResponse) -> Response {
    match environ.input().read_to_end(1024).await {
        Ok(body) => start.start(StatusCode::OK, ()).body(body.len().to_string()),
        Err(error) => start.reject(&error),
    }
}

async fn header_timeout_server() -> crate::common::TestServer {
    serve_with(reads_body, |serve| serve.header_read_timeout(HEADER_TIMEOUT)).await
}

fn assert_silent(bytes: &[u8]) {
    assert!(bytes.is_empty(), "hyper closes without a response here: {:?}", String::from_utf8_lossy(bytes));
}

#[tokio::test(flavor = "multi_thread")]
async fn header_read_timeout_closes_a_half_sent_head() {
    let server = header_timeout_server().await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"GET / HTTP/1.1\r\nHost: t\r\n").await;
    let (bytes, took) = conn.closed_within(HEADER_TIMEOUT + SLACK).await;
    assert_silent(&bytes);
    assert!(took <= HEADER_TIMEOUT + SLACK, "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn header_read_timeout_closes_a_connection_that_sends_nothing() {
    let server = header_timeout_server().await;
    let mut conn = Conn::open(server.addr).await;
    let (bytes, took) = conn.closed_within(HEADER_TIMEOUT + SLACK).await;
    assert_silent(&bytes);
    assert!(took <= HEADER_TIMEOUT + SLACK, "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn header_read_timeout_closes_an_idle_keep_alive_connection() {
    let server = header_timeout_server().await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/")).await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("connection"), None, "kept alive after the response");
    let (bytes, took) = conn.closed_within(HEADER_TIMEOUT + SLACK).await;
    assert_silent(&bytes);
    assert!(took <= HEADER_TIMEOUT + SLACK, "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn header_read_timeout_also_bounds_a_head_sent_byte_by_byte() {
    // Slowloris: every byte resets nothing, the head must be complete in time.
    let server = header_timeout_server().await;
    let mut conn = Conn::open(server.addr).await;
    let started = std::time::Instant::now();
    let head = b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    for byte in head.iter().cycle().take(200) {
        if conn.stream.try_write(&[*byte]).is_err() {
            break; // closed by the server
        }
        if started.elapsed() > HEADER_TIMEOUT + SLACK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (bytes, _) = conn.closed_within(SLACK).await;
    assert_silent(&bytes);
    assert!(started.elapsed() <= HEADER_TIMEOUT + 2 * SLACK, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn body_read_timeout_is_408_request_timeout_and_close() {
    let server = serve_with(reads_body, |serve| serve.body_read_timeout(Some(BODY_TIMEOUT))).await;
    let mut conn = Conn::open(server.addr).await;
    let started = std::time::Instant::now();
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc").await;
    let reply = conn.response().await;
    let took = started.elapsed();
    assert_eq!(reply.status, 408);
    assert_eq!(reply.text(), "Request Timeout");
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(took <= BODY_TIMEOUT + SLACK, "408 within the body timeout + slack, took {took:?}");
    let (rest, _) = conn.closed_within(SLACK).await;
    assert!(rest.is_empty(), "nothing after the 408");
}
