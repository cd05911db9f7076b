//! The binary over a real socket: a visitor's walk through the pages, the access log, and
//! a clean stop on a signal.

use std::time::Duration;

use nix::sys::signal::Signal;
use test_support::child::ExampleServer;
use test_support::client;

use crate::{HTML, form_action};

const BINARY: &str = env!("CARGO_BIN_EXE_example-hello");

#[tokio::test]
async fn binary_walks_a_visitor_from_the_form_to_the_greeting_and_logs_each_step() {
    let server = ExampleServer::start(BINARY, &[]);
    let form = client::get(server.addr, "/").await;
    assert_eq!((form.status.as_u16(), form.header("content-type")), (200, HTML));
    let page = form.text();
    assert_eq!(form_action(&page), "/greet");
    server.assert_logged("GET / HTTP/1.1", &format!("200 {}", form.body.len()));

    let redirect = client::get(server.addr, "/greet?name=x%2Fy").await;
    assert_eq!((redirect.status.as_u16(), redirect.header("location")), (303, "/hello/x%2Fy"));
    assert!(redirect.body.is_empty());
    server.assert_logged("GET /greet?name=x%2Fy HTTP/1.1", "303 -");

    let greeting = client::get(server.addr, "/hello/x%2Fy").await;
    assert_eq!((greeting.status.as_u16(), greeting.header("content-type")), (200, HTML));
    assert!(greeting.text().contains("<h1>Hello x/y!</h1>"), "{}", greeting.text());
    server.assert_logged("GET /hello/x%2Fy HTTP/1.1", &format!("200 {}", greeting.body.len()));

    let back = client::get(server.addr, "/greet?name=").await;
    assert_eq!((back.status.as_u16(), back.header("location")), (303, "/"));
    server.assert_logged("GET /greet?name= HTTP/1.1", "303 -");
}

#[tokio::test]
async fn binary_escapes_the_name_on_the_wire() {
    let server = ExampleServer::start(BINARY, &[]);
    let page = client::get(server.addr, "/hello/%3Cb%3Ebob%3C%2Fb%3E").await.text();
    assert!(page.contains("Hello &lt;b&gt;bob&lt;/b&gt;!") && !page.contains("<b>"), "{page}");
    let reply = client::get(server.addr, "/nope").await;
    assert_eq!((reply.status.as_u16(), reply.text().as_str()), (404, "Not Found"));
}

#[tokio::test]
async fn binary_stops_on_sigterm_with_exit_code_0() {
    let mut server = ExampleServer::start(BINARY, &[]);
    assert_eq!(client::get(server.addr, "/greet?name=bob").await.header("location"), "/hello/bob");
    server.assert_logged("GET /greet?name=bob HTTP/1.1", "303 -");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn binary_stops_on_sigint_at_once_despite_an_idle_keep_alive_connection() {
    let mut server = ExampleServer::start(BINARY, &[]);
    let (stream, head) =
        client::request_and_hold(server.addr, b"GET /greet?name=bob HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(head.starts_with("HTTP/1.1 303 ") && head.contains("location: /hello/bob\r\n"), "{head}");
    // The connection stays open and idle while the signal arrives.
    server.signal(Signal::SIGINT);
    let status = server.wait(Duration::from_secs(2)).expect("exits within 2 s, idle connection or not");
    assert!(status.success(), "{status}");
    drop(stream);
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("the-framework.md", "example-hello", BINARY);
    assert_eq!(ran, 8, "every command of the chapter ran");
}
