//! Step 0 behaves as docs/example-behaviour.md says, in process and over a real socket.

use std::time::Duration;

use example_hello_gateway::app;
use test_support::child::ExampleServer;
use test_support::{client, in_process};

#[tokio::test]
async fn any_path_says_hello_in_plain_text() {
    for target in ["/", "/anything/else?x=1"] {
        let reply = in_process::send(app, in_process::get(target)).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(reply.header("content-length"), "12");
        assert_eq!(reply.text(), "Hello world!");
    }
}

#[tokio::test]
async fn post_is_answered_the_same() {
    let reply = in_process::send(app, in_process::request("POST", "/", "ignored".into())).await;
    assert_eq!(reply.text(), "Hello world!");
}

#[tokio::test]
async fn binary_serves_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(env!("CARGO_BIN_EXE_example-hello-gateway"), &[]);
    let reply = client::get(server.addr, "/?a=1").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "Hello world!");
    let line = server.access_log_line();
    assert!(line.starts_with("127.0.0.1 - - ["), "{line}");
    assert!(line.ends_with("] \"GET /?a=1 HTTP/1.1\" 200 12"), "{line}");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check(
        "app-interface.md",
        "example-hello-gateway",
        env!("CARGO_BIN_EXE_example-hello-gateway"),
    );
    assert_eq!(ran, 2, "both commands of the chapter ran");
}
