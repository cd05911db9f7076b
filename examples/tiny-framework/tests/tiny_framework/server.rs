//! The binary over a real socket: the pages, the access log, and a clean stop on a signal.

use std::time::Duration;

use nix::sys::signal::Signal;
use test_support::child::ExampleServer;
use test_support::{client, in_process};

use crate::{HTML, TEXT};

const BINARY: &str = env!("CARGO_BIN_EXE_example-tiny-framework");

#[tokio::test]
async fn binary_serves_the_routes_and_logs_each_request() {
    let server = ExampleServer::start(BINARY, &[]);
    let reply = client::get(server.addr, "/hello/bob").await;
    assert_eq!((reply.status.as_u16(), reply.header("content-type"), reply.text().as_str()), (200, HTML, "Hello bob!"));
    server.assert_logged("GET /hello/bob HTTP/1.1", "200 10");

    let reply = client::get(server.addr, "/item/007").await;
    assert_eq!(reply.text(), "Item 7");
    server.assert_logged("GET /item/007 HTTP/1.1", "200 6");

    let reply = client::send(server.addr, in_process::request("POST", "/hello/bob", "x=1".into())).await;
    assert_eq!((reply.status.as_u16(), reply.header("allow")), (405, "GET, HEAD, OPTIONS"));
    assert_eq!(reply.text(), "Method Not Allowed");
    server.assert_logged("POST /hello/bob HTTP/1.1", "405 18");

    let reply = client::send(server.addr, in_process::request("OPTIONS", "/hello/bob", "".into())).await;
    assert_eq!((reply.status.as_u16(), reply.header("allow")), (204, "GET, HEAD, OPTIONS"));
    server.assert_logged("OPTIONS /hello/bob HTTP/1.1", "204 -");

    let reply = client::send(server.addr, in_process::request("HEAD", "/hello/bob", "".into())).await;
    assert_eq!((reply.status.as_u16(), reply.header("content-length"), reply.body.len()), (200, "10", 0));
    server.assert_logged("HEAD /hello/bob HTTP/1.1", "200 -");

    let reply = client::get(server.addr, "/about?x=1").await;
    assert_eq!((reply.status.as_u16(), reply.header("location")), (308, "/about/?x=1"));
    server.assert_logged("GET /about?x=1 HTTP/1.1", "308 -");

    let reply = client::get(server.addr, "/nope").await;
    assert_eq!((reply.status.as_u16(), reply.header("content-type"), reply.text().as_str()), (404, TEXT, "Not Found"));
    server.assert_logged("GET /nope HTTP/1.1", "404 9");
}

#[tokio::test]
async fn binary_serves_the_blog_and_raw_paths() {
    let server = ExampleServer::start(BINARY, &[]);
    let reply = client::get(server.addr, "/blog/post/7").await;
    assert_eq!(reply.header("content-type"), TEXT);
    assert_eq!(reply.text(), "SCRIPT_NAME=/blog PATH_INFO=/post/7 url=/blog/post/7");
    server.assert_logged("GET /blog/post/7 HTTP/1.1", &format!("200 {}", reply.body.len()));
    for (target, body) in [("/hello/..", "Hello ..!"), ("/hello/%2e%2e", "Hello ..!"), ("/hello/a%2Fb", "Hello a/b!")] {
        assert_eq!(client::get(server.addr, target).await.text(), body, "{target}");
        server.assert_logged(&format!("GET {target} HTTP/1.1"), &format!("200 {}", body.len()));
    }
    let reply = client::get(server.addr, "/hello/%3Cscript%3E").await;
    assert_eq!(reply.text(), "Hello &lt;script&gt;!");
}

#[tokio::test]
async fn binary_stops_on_sigterm_with_exit_code_0() {
    let mut server = ExampleServer::start(BINARY, &[]);
    assert_eq!(client::get(server.addr, "/").await.text(), "Index");
    server.assert_logged("GET / HTTP/1.1", "200 5");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn binary_stops_on_sigint_at_once_despite_an_idle_keep_alive_connection() {
    let mut server = ExampleServer::start(BINARY, &[]);
    let (stream, response) = client::request_and_hold(server.addr, b"GET /about/ HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(response.ends_with("\r\n\r\nAbout"), "{response:?}");
    // The connection stays open and idle while the signal arrives.
    server.signal(Signal::SIGINT);
    let status = server.wait(Duration::from_secs(2)).expect("exits within 2 s, idle connection or not");
    assert!(status.success(), "{status}");
    drop(stream);
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("growing-a-framework.md", "example-tiny-framework", BINARY);
    assert_eq!(ran, 12, "every command of the chapter ran");
}
