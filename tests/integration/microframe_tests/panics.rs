//! A panicking handler is a 500 with the generic text; the app, and the connection, keep
//! serving.

use microframe::{Microframe, Path, TestClient};

use crate::common::{Conn, get, serve};

async fn divide(Path((a, b)): Path<(i64, i64)>) -> String {
    if b == 0 {
        panic!("attempt to divide {a} by zero (secret detail)");
    }
    (a / b).to_string()
}

fn app() -> Microframe {
    Microframe::new().get("/divide/<a:int>/<b:int>", divide)
}

#[tokio::test]
async fn a_panicking_handler_is_500_and_the_app_keeps_serving() {
    let client = TestClient::new(app());
    client
        .get("/divide/1/0")
        .send()
        .await
        .assert_status(500)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Internal Server Error")
        .assert_body_lacks("secret");
    client.get("/divide/6/3").send().await.assert_status(200).assert_body("2");
    client.get("/divide/1/0").send().await.assert_status(500);
    client.get("/divide/9/3").send().await.assert_status(200).assert_body("3");
}

#[tokio::test]
async fn concurrent_requests_beside_a_panic_are_unaffected() {
    let client = TestClient::new(app());
    let (bad, good) = tokio::join!(client.get("/divide/1/0").send(), client.get("/divide/8/2").send());
    bad.assert_status(500).assert_body("Internal Server Error");
    good.assert_status(200).assert_body("4");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_socket_the_connection_stays_usable_after_a_panic() {
    let server = serve(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/divide/1/0")).await;
    let first = conn.response().await;
    assert_eq!((first.status, first.text().as_str()), (500, "Internal Server Error"));
    conn.send(&get("/divide/6/2")).await;
    let second = conn.response().await;
    assert_eq!((second.status, second.text().as_str()), (200, "3"), "same connection, next request");
}

/// A converter with a bug: it panics on `boom` (while routing, before any handler runs).
struct Fragile;

impl microframe::Converter for Fragile {
    type Value = String;
    fn parse(&self, text: &str) -> Option<String> {
        assert_ne!(text, "boom", "the converter fell over");
        Some(text.to_owned())
    }
    fn format(&self, value: &String) -> String {
        value.clone()
    }
}

async fn fragile_page(Path(word): Path<String>) -> String {
    word
}

fn fragile_app() -> Microframe {
    Microframe::new().converter("fragile", Fragile).get("/w/<word:fragile>", fragile_page)
}

#[tokio::test]
async fn a_panicking_converter_is_500_and_the_app_keeps_serving() {
    let client = TestClient::new(fragile_app());
    client.get("/w/boom").send().await.assert_status(500).assert_body("Internal Server Error");
    client.get("/w/fine").send().await.assert_status(200).assert_body("fine");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_socket_a_panicking_converter_keeps_the_connection() {
    let server = serve(fragile_app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/w/boom")).await;
    let first = conn.response().await;
    assert_eq!((first.status, first.text().as_str()), (500, "Internal Server Error"));
    conn.send(&get("/w/fine")).await;
    let second = conn.response().await;
    assert_eq!((second.status, second.text().as_str()), (200, "fine"), "same connection, next request");
}
