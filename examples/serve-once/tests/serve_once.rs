//! Step 8 behaves as docs/example-behaviour.md says: one request, its log line, exit 0.

use std::time::Duration;

use example_serve_once::app;
use gateway_core::{Environ, Response, StartResponse, Validate};
use http::StatusCode;
use test_support::child::ExampleServer;
use test_support::{client, in_process};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long the process may take to exit once it has answered.
const EXIT_WITHIN: Duration = Duration::from_secs(5);

#[tokio::test]
async fn any_path_says_hello() {
    for target in ["/", "/any/path?x=1"] {
        let reply = in_process::send(app, in_process::get(target)).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(reply.text(), "Hello world!");
    }
}

fn server() -> ExampleServer {
    ExampleServer::start(env!("CARGO_BIN_EXE_example-serve-once"), &[])
}

#[tokio::test]
async fn an_empty_connection_does_not_count_then_one_request_and_exit_0() {
    let mut server = server();
    drop(TcpStream::connect(server.addr).await.expect("connect"));
    // Give the server time to see that connection close; it must still be running.
    assert!(server.wait(Duration::from_millis(300)).is_none(), "exited without a request");

    let reply = client::get(server.addr, "/first").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "Hello world!");
    let line = server.stderr_line(EXIT_WITHIN).expect("an access-log line");
    assert!(line.starts_with("127.0.0.1 - - [") && line.ends_with("] \"GET /first HTTP/1.1\" 200 12"), "{line}");

    let status = server.wait(EXIT_WITHIN).expect("exits after the first response");
    assert!(status.success(), "{status}");
    assert_eq!(server.stderr_line(Duration::from_millis(100)), None, "one log line only");
    assert!(TcpStream::connect(server.addr).await.is_err(), "nothing listens any more");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_does_not_keep_it_running() {
    let mut server = server();
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("write");
    let mut received = Vec::new();
    let response = async {
        while !received.ends_with(b"Hello world!") {
            assert_ne!(stream.read_buf(&mut received).await.expect("read"), 0, "closed before the body");
        }
    };
    tokio::time::timeout(EXIT_WITHIN, response).await.expect("the response");
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"));
    // The connection is still open on this side; the server closes it and exits.
    let status = server.wait(EXIT_WITHIN).expect("exits with a keep-alive connection open");
    assert!(status.success(), "{status}");
    let mut rest = Vec::new();
    assert_eq!(stream.read_to_end(&mut rest).await.map(|_| rest.len()).unwrap_or(0), 0, "no second response");
}

#[tokio::test]
async fn sigterm_before_any_request_exits_0() {
    let mut server = server();
    server.terminate();
    let status = server.wait(EXIT_WITHIN).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn the_app_sees_gateway_run_once_true() {
    async fn probe(environ: Environ, start_response: StartResponse) -> Response {
        let run_once = environ.get("gateway.run_once").unwrap_or_default().into_owned();
        start_response.start(StatusCode::OK, ()).body(run_once)
    }
    let app = Validate::new(probe);
    let report = app.report();
    let server = gateway_tower::serve("127.0.0.1:0", app)
        .once()
        .access_log(false)
        .with_graceful_shutdown(std::future::pending()) // no signal handlers in the test process
        .bind()
        .await
        .expect("bind");
    let addr = server.local_addr();
    let running = tokio::spawn(server.run());
    assert_eq!(client::get(addr, "/").await.text(), "true");
    let stopped = tokio::time::timeout(EXIT_WITHIN, running).await.expect("run returns after one response");
    assert!(matches!(stopped, Ok(Ok(()))), "{stopped:?}");
    assert!(report.is_empty(), "{:?}", report.violations());
}

/// Reads `stream` until the server closes it and counts the responses in what came.
async fn responses_until_close(stream: &mut TcpStream) -> usize {
    client::read_until_close(stream).await.matches("HTTP/1.1 200 OK\r\n").count()
}

#[tokio::test]
async fn a_second_request_on_the_same_connection_is_not_answered() {
    let mut server = server();
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("write");
    assert_eq!(responses_until_close(&mut stream).await, 1, "exactly one request is served");
    let status = server.wait(EXIT_WITHIN).expect("exits after the first response");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("serving.md", "example-serve-once", env!("CARGO_BIN_EXE_example-serve-once"));
    assert_eq!(ran, 2, "each block's one command ran");
}
