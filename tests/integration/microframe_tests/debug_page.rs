//! `Microframe::debug`: off by default; when on, the panic message (500) and the route table
//! (404), escaped, for a loopback client with no proxy headers only, ahead of a registered
//! error page; everyone else gets what they get with it off.

use std::net::SocketAddr;

use http::StatusCode;
use microframe::{ErrorStatus, Microframe, Path, TestClient, TestResponse};

use crate::common::{Conn, get, serve};

async fn divide(Path((a, b)): Path<(i64, i64)>) -> String {
    if b == 0 {
        panic!("attempt to divide {a} by zero in <script>alert('x')</script>");
    }
    (a / b).to_string()
}

async fn page(ErrorStatus(status): ErrorStatus) -> String {
    format!("page {}", status.as_u16())
}

async fn post() -> &'static str {
    "a post"
}

/// A named route whose pattern holds `<script>`, another route, a mount.
fn app() -> Microframe {
    let blog = Microframe::new().get("/post/<id:int>", post);
    Microframe::new()
        .get("/divide/<a:int>/<b:int>", divide)
        .name("divide")
        .route(&[http::Method::GET, http::Method::POST], "/tag/<script>", post)
        .mount("/blog", blog)
}

const LOOPBACK: &str = "127.0.0.1:40000";
const REMOTE: &str = "192.0.2.1:40000";

fn from(client: &TestClient, target: &str, peer: &str) -> microframe::TestRequest {
    client.get(target).remote_addr(peer.parse::<SocketAddr>().expect("a socket address"))
}

fn assert_plain_500(response: TestResponse) {
    response
        .assert_status(500)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Internal Server Error");
}

#[tokio::test]
async fn off_by_default_a_loopback_client_sees_the_plain_500_and_404() {
    let client = TestClient::new(app());
    assert_plain_500(from(&client, "/divide/1/0", LOOPBACK).send().await);
    from(&client, "/nope", LOOPBACK).send().await.assert_status(404).assert_body("Not Found");
    let switched_off = TestClient::new(app().debug(true).debug(false));
    assert_plain_500(from(&switched_off, "/divide/1/0", LOOPBACK).send().await);
}

#[tokio::test]
async fn on_a_loopback_client_sees_the_panic_message_escaped() {
    let client = TestClient::new(app().debug(true));
    from(&client, "/divide/1/0", LOOPBACK)
        .send()
        .await
        .assert_status(500)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body_contains("<code>GET /divide/1/0</code>")
        .assert_body_contains(
            "<pre>attempt to divide 1 by zero in &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</pre>",
        )
        .assert_body_lacks("<script>");
    from(&client, "/divide/6/3", "[::1]:40000").send().await.assert_status(200).assert_body("2");
}

#[tokio::test]
async fn on_a_loopback_client_sees_the_route_table_escaped_on_a_404() {
    let client = TestClient::new(app().debug(true));
    from(&client, "/nope", "[::ffff:127.0.0.1]:40000")
        .send()
        .await
        .assert_status(404)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body_contains("<code>GET /nope</code>")
        .assert_body_contains("<tr><td>GET</td><td>/divide/&lt;a:int&gt;/&lt;b:int&gt;</td><td>divide</td></tr>")
        .assert_body_contains("<tr><td>GET, POST</td><td>/tag/&lt;script&gt;</td><td></td></tr>")
        .assert_body_contains("<tr><td>mount</td><td>/blog/…</td><td></td></tr>")
        .assert_body_lacks("<script>");
}

#[tokio::test]
async fn routes_added_after_debug_are_in_the_table() {
    let client = TestClient::new(Microframe::new().debug(true).get("/late", post).name("late"));
    from(&client, "/nope", LOOPBACK).send().await.assert_body_contains("<td>GET</td><td>/late</td><td>late</td>");
}

#[tokio::test]
async fn on_a_non_loopback_peer_sees_the_plain_pages() {
    let client = TestClient::new(app().debug(true));
    assert_plain_500(from(&client, "/divide/1/0", REMOTE).send().await);
    assert_plain_500(from(&client, "/divide/1/0", "[::ffff:192.0.2.1]:40000").send().await);
    from(&client, "/nope", REMOTE).send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn on_an_in_process_request_with_no_peer_sees_the_plain_pages() {
    let client = TestClient::new(app().debug(true));
    assert_plain_500(client.get("/divide/1/0").send().await);
    client.get("/nope").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn on_a_loopback_peer_with_x_forwarded_for_sees_the_plain_pages() {
    let client = TestClient::new(app().debug(true));
    assert_plain_500(from(&client, "/divide/1/0", LOOPBACK).header("x-forwarded-for", "1.2.3.4").send().await);
    let proxied = from(&client, "/nope", LOOPBACK).header("X-Forwarded-Proto", "https");
    proxied.send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn on_a_loopback_peer_with_forwarded_sees_the_plain_pages() {
    let client = TestClient::new(app().debug(true));
    assert_plain_500(from(&client, "/divide/1/0", LOOPBACK).header("forwarded", "for=1.2.3.4").send().await);
    from(&client, "/nope", LOOPBACK).header("forwarded", "for=1.2.3.4").send().await.assert_body("Not Found");
}

#[tokio::test]
async fn with_error_handlers_a_remote_client_gets_the_handlers_page_and_a_loopback_one_the_debug_page() {
    let app = app()
        .error_handler(StatusCode::INTERNAL_SERVER_ERROR, page)
        .error_handler(StatusCode::NOT_FOUND, page)
        .debug(true);
    let client = TestClient::new(app);
    from(&client, "/divide/1/0", REMOTE).send().await.assert_status(500).assert_body("page 500");
    from(&client, "/nope", REMOTE).send().await.assert_status(404).assert_body("page 404");
    let proxied = from(&client, "/divide/1/0", LOOPBACK).header("x-forwarded-for", "1.2.3.4");
    proxied.send().await.assert_status(500).assert_body("page 500");
    from(&client, "/divide/1/0", LOOPBACK)
        .send()
        .await
        .assert_status(500)
        .assert_body_contains("attempt to divide 1 by zero")
        .assert_body_lacks("page 500");
    from(&client, "/nope", LOOPBACK).send().await.assert_status(404).assert_body_contains("<h2>Routes</h2>");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_loopback_socket_the_debug_page_is_shown() {
    let server = serve(app().debug(true)).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/divide/1/0")).await;
    let response = conn.response().await;
    assert_eq!(response.status, 500);
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(response.text().contains("attempt to divide 1 by zero in &lt;script&gt;"), "{}", response.text());
    conn.send(b"GET /divide/1/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n").await;
    let proxied = conn.response().await;
    assert_eq!((proxied.status, proxied.text().as_str()), (500, "Internal Server Error"));
}
