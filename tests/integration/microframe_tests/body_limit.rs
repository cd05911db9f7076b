//! The body limit of a `Microframe`: 2 MiB by default, per app, per route; a declared
//! length over it is refused before the handler runs, a streamed body is cut at it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use microframe::{DEFAULT_BODY_LIMIT, Form, Microframe, TestClient};

use super::{send_in_process, streamed};
use crate::common::{Conn, serve};

type Pairs = Form<Vec<(String, String)>>;

/// How many pairs the form had (reading it goes through the limit).
async fn count(Form(pairs): Pairs) -> String {
    format!("{} pairs", pairs.len())
}

/// A form request of exactly `len` bytes (`a=xxxx…`).
fn body_of(len: usize) -> String {
    format!("a={}", "x".repeat(len - 2))
}

/// A POST route whose handler counts its calls and never reads the body.
fn counting_app(calls: &Arc<AtomicUsize>) -> Microframe {
    let calls = Arc::clone(calls);
    Microframe::new().post("/", move || {
        calls.fetch_add(1, Ordering::SeqCst);
        async { "ran" }
    })
}

#[tokio::test]
async fn the_default_limit_is_2_mib_and_a_declared_length_over_it_is_413_before_the_handler_runs() {
    assert_eq!(DEFAULT_BODY_LIMIT, 2 * 1024 * 1024);
    let calls = Arc::new(AtomicUsize::new(0));
    let client = TestClient::new(counting_app(&calls));
    client
        .post("/")
        .body(vec![b'x'; 2 * 1024 * 1024 + 1])
        .send()
        .await
        .assert_status(413)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Payload Too Large");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler did not run");
    client.post("/").body(vec![b'x'; 2 * 1024 * 1024]).send().await.assert_status(200).assert_body("ran");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_body_of_exactly_2_mib_is_read_whole() {
    let client = TestClient::new(Microframe::new().post("/", count));
    let body = body_of(2 * 1024 * 1024);
    client
        .post("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .assert_status(200)
        .assert_body("1 pairs");
}

#[tokio::test]
async fn the_app_limit_applies_to_declared_and_streamed_bodies() {
    let app = Microframe::new().body_limit(8).post("/", count);
    let client = TestClient::new(app.clone());
    client.post("/").form(&[("a", "123456")]).send().await.assert_status(200).assert_body("1 pairs");
    client.post("/").form(&[("a", "1234567")]).send().await.assert_status(413).assert_body("Payload Too Large");

    let request = |chunks| {
        http::Request::post("/")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(streamed(chunks))
            .expect("a valid request")
    };
    assert_eq!(send_in_process(app.clone(), request(&["a=12", "3456"])).await, (200, "1 pairs".into()));
    assert_eq!(send_in_process(app, request(&["a=12", "3456", "7"])).await, (413, "Payload Too Large".into()));
}

#[tokio::test]
async fn a_route_limit_raises_or_lowers_the_app_limit_for_that_route_only() {
    let app = Microframe::new()
        .body_limit(8)
        .post("/big", count)
        .limit(16)
        .post("/small", count)
        .limit(4)
        .post("/plain", count);
    let client = TestClient::new(app.clone());
    let twelve = body_of(12);
    let six = body_of(6);
    let post = |target: &'static str, body: &str| {
        client.post(target).header("content-type", "application/x-www-form-urlencoded").body(body.to_owned())
    };
    post("/big", &twelve).send().await.assert_status(200).assert_body("1 pairs");
    post("/plain", &twelve).send().await.assert_status(413).assert_body("Payload Too Large");
    post("/plain", &six).send().await.assert_status(200);
    post("/small", &six).send().await.assert_status(413).assert_body("Payload Too Large");
    post("/big", &body_of(17)).send().await.assert_status(413);

    // Streamed, the route's limit replaces the app's too.
    let request = |target, chunks| {
        http::Request::post(target)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(streamed(chunks))
            .expect("a valid request")
    };
    assert_eq!(send_in_process(app.clone(), request("/big", &["a=xxxx", "xxxxxx"])).await, (200, "1 pairs".into()));
    assert_eq!(send_in_process(app.clone(), request("/small", &["a=x", "xx"])).await.0, 413);
    assert_eq!(send_in_process(app, request("/plain", &["a=xxxx", "xxxxxx"])).await.0, 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_socket_a_declared_length_over_the_limit_is_413_before_the_body_is_sent() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = serve(counting_app(&calls).body_limit(1024)).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1025\r\n\r\n").await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (413, "Payload Too Large"));
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler did not run");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_socket_a_chunked_body_is_cut_at_the_limit_with_413() {
    let server = serve(Microframe::new().body_limit(16).post("/", count)).await;
    let mut conn = Conn::open(server.addr).await;
    // The head and one chunk past the limit, then nothing: the server must answer without
    // waiting for the rest.
    let head = "POST / HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    conn.send(format!("{head}14\r\na={}\r\n", "x".repeat(18)).as_bytes()).await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (413, "Payload Too Large"));

    // Within the limit, the same chunked framing is read whole.
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!("{head}6\r\na=xxxx\r\n4\r\nxxxx\r\n0\r\n\r\n").as_bytes()).await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "1 pairs"));
}
