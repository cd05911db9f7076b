//! Panics: caught per request (500, connection kept), or, once the head is out, the
//! response is aborted and the server keeps serving.

use bytes::Bytes;
use gateway_core::{Body, BodyError, Environ, Response, StartResponse};
use http::StatusCode;
use test_support::in_process;

use crate::common::{Conn, PATIENCE, get, serve};

/// Panics on `/panic`, streams a body that panics on `/panic-later`, says hello otherwise.
async fn fragile(environ: Environ, start: StartResponse) -> Response {
    match environ.path_info().as_ref() {
        "/panic" => panic!("deliberate panic in the app (test)"),
        "/panic-later" => {
            let chunks = futures_util::stream::unfold(0_u8, |step| async move {
                match step {
                    0 => Some((Ok::<_, BodyError>(Bytes::from_static(b"partial")), 1)),
                    _ => {
                        // Pending first, so the head and the first chunk are flushed.
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        panic!("deliberate panic in the body stream (test)")
                    }
                }
            });
            start.start(StatusCode::OK, ()).body(Body::from_stream(chunks))
        }
        _ => start.start(StatusCode::OK, ()).body("fine"),
    }
}

#[tokio::test]
async fn panic_in_process_is_500() {
    let reply = in_process::send(fragile, in_process::get("/panic")).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.text(), "Internal Server Error");
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
}

#[tokio::test(flavor = "multi_thread")]
async fn panic_is_500_and_the_same_connection_serves_the_next_request() {
    let server = serve(fragile).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/panic")).await;
    let first = conn.response().await;
    assert_eq!(first.status, 500);
    assert_eq!(first.text(), "Internal Server Error");
    assert_eq!(first.header("connection"), None, "a panic does not close the connection");
    conn.send(&get("/after")).await;
    let second = conn.response().await;
    assert_eq!((second.status, second.text().as_str()), (200, "fine"));
}

#[tokio::test(flavor = "multi_thread")]
async fn panic_in_a_streaming_body_aborts_that_response_and_the_server_goes_on() {
    let server = serve(fragile).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/panic-later")).await;
    let (bytes, _) = conn.closed_within(PATIENCE).await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("HTTP/1.1 200"), "the head was sent: {text}");
    assert!(text.contains("partial"), "the first chunk was sent: {text}");
    assert!(!text.ends_with("0\r\n\r\n"), "the chunked body must not look complete: {text:?}");
    for _ in 0..2 {
        let mut fresh = Conn::open(server.addr).await;
        fresh.send(&get("/")).await;
        assert_eq!(fresh.response().await.text(), "fine");
    }
}
