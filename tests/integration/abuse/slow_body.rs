//! A body that trickles (R-U-Dead-Yet): after the grace, a client below the minimum rate
//! gets 408 and loses its connection, where before any byte restarted the no-progress
//! timeout; an app that itself reads slowly is not cut (only time spent waiting for the
//! client counts); and `serve_service` (an axum `Router`) is held to the same rules, its
//! no-progress timeout included.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

use super::{run, still_serves};
use crate::common::{Conn, PATIENCE, SLACK, serve_with};

const GRACE: Duration = Duration::from_secs(1);

/// Reads the whole body and answers with its length; a bodiless request gets `ok`.
async fn reads_body(mut environ: Environ, start: StartResponse) -> Response {
    match environ.input().read_to_end(1 << 20).await {
        Ok(body) if body.is_empty() => start.start(StatusCode::OK, ()).body("ok"),
        Ok(body) => start.start(StatusCode::OK, ()).body(body.len().to_string()),
        Err(error) => start.reject(&error),
    }
}

/// Promises a 1000-byte body and sends one byte every 200 ms (5 bytes/s, a hundredth of
/// the minimum) until the server answers; returns the answer, the time it took and what
/// followed it.
async fn trickle(addr: SocketAddr, target: &str) -> (crate::common::RawResponse, Duration, Vec<u8>) {
    let mut conn = Conn::open(addr).await;
    let started = Instant::now();
    conn.send(format!("POST {target} HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n").as_bytes()).await;
    loop {
        assert!(started.elapsed() < PATIENCE, "no answer while trickling for {PATIENCE:?}");
        if conn.stream.try_write(b"a").is_err() {
            break; // closed by the server
        }
        if tokio::time::timeout(Duration::from_millis(200), conn.stream.readable()).await.is_ok() {
            break; // the answer is there
        }
    }
    let reply = conn.try_response().await.expect("a response before the close");
    let took = started.elapsed();
    let (rest, _) = conn.closed_within(SLACK).await;
    (reply, took, rest)
}

fn assert_408_and_close(reply: &crate::common::RawResponse, took: Duration, rest: &[u8]) {
    assert_eq!((reply.status, reply.text().as_str()), (408, "Request Timeout"), "{}", reply.head);
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(took <= GRACE + SLACK, "408 within the grace (+ 2 bytes' worth) + slack, took {took:?}");
    assert!(rest.is_empty(), "nothing after the 408, then the close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_trickles_below_the_minimum_rate_is_408_and_closed_after_the_grace() {
    // The no-progress timeout (30 s) alone would never fire: a byte comes every 200 ms.
    let server = serve_with(reads_body, |serve| serve.min_body_rate(Some(500)).body_rate_grace(GRACE)).await;
    let (reply, took, rest) = trickle(server.addr, "/").await;
    eprintln!("trickling body: 408 after {took:?}");
    assert_408_and_close(&reply, took, &rest);
    still_serves(server.addr).await;
}

/// Waits, then reads the body a chunk at a time with a pause after each: slower than any
/// client, on purpose.
async fn reads_slowly(mut environ: Environ, start: StartResponse) -> Response {
    tokio::time::sleep(3 * GRACE / 2).await;
    let mut total = 0;
    while let Some(chunk) = environ.input().chunk().await {
        match chunk {
            Ok(chunk) => total += chunk.len(),
            Err(error) => return start.reject(&error),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start.start(StatusCode::OK, ()).body(total.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_that_reads_its_body_slowly_is_not_cut() {
    // 100 bytes with the head, 100 more after 1.7 s. The app reads nothing for 1.5 s, so it
    // waits only 0.2 s for the client: within the grace. Counted from the end of the head,
    // the body would be 200 bytes in 1.7 s, under 500 bytes/s after a 1 s grace: cut.
    let server = serve_with(reads_slowly, |serve| serve.min_body_rate(Some(500)).body_rate_grace(GRACE)).await;
    let mut conn = Conn::open(server.addr).await;
    let part = "b".repeat(100);
    conn.send(format!("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 200\r\n\r\n{part}").as_bytes()).await;
    let started = Instant::now();
    tokio::time::sleep(17 * GRACE / 10).await;
    conn.send(part.as_bytes()).await;
    let reply = conn.response().await;
    let took = started.elapsed();
    assert_eq!((reply.status, reply.text().as_str()), (200, "200"), "{}", reply.head);
    assert!(took > GRACE, "the exchange outlasted the grace ({took:?}), so the test means something");
    assert_eq!(reply.header("connection"), None, "the connection is kept");
    conn.send(&crate::common::get("/")).await;
    assert_eq!(conn.response().await.status, 200, "and serves the next request");
}

/// An axum `Router` whose `POST /` buffers the body and `GET /` answers `ok`.
fn axum_router() -> axum::Router {
    axum::Router::new().route(
        "/",
        axum::routing::get(|| async { "ok" }).post(|body: bytes::Bytes| async move { body.len().to_string() }),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_axum_router_on_serve_service_is_held_to_the_minimum_rate() {
    let serve = gateway_tower::serve_service("127.0.0.1:0", axum_router());
    let server = run(serve.min_body_rate(Some(500)).body_rate_grace(GRACE)).await;
    let (reply, took, rest) = trickle(server.addr, "/").await;
    assert_408_and_close(&reply, took, &rest);
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_axum_router_on_serve_service_gets_the_no_progress_timeout() {
    // No minimum rate: the body stops after three bytes, and the no-progress timeout,
    // which `serve`'s apps get from `GatewayService`, comes from the connection here.
    const NO_PROGRESS: Duration = Duration::from_millis(300);
    let serve = gateway_tower::serve_service("127.0.0.1:0", axum_router());
    let server = run(serve.min_body_rate(None).body_read_timeout(Some(NO_PROGRESS))).await;
    let mut conn = Conn::open(server.addr).await;
    let started = Instant::now();
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc").await;
    let reply = conn.response().await;
    let took = started.elapsed();
    assert_eq!((reply.status, reply.text().as_str()), (408, "Request Timeout"), "{}", reply.head);
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(took <= NO_PROGRESS + SLACK, "{took:?}");
    let (rest, _) = conn.closed_within(SLACK).await;
    assert!(rest.is_empty());
    still_serves(server.addr).await;
}
