//! The mistakes a WSGI app can make (`tests/apps/bad_apps.py`), each answered as PEP 3333
//! and the host's rules say, and the host features they exercise.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use test_support::client;

use crate::serve;

/// Every line the server has written on stderr so far.
fn stderr(server: &test_support::child::ExampleServer) -> String {
    std::iter::from_fn(|| server.stderr_line(Duration::from_millis(300))).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_mistake_before_the_body_is_a_500_with_the_cause_on_stderr() {
    for (app, cause) in [
        ("raises_before_start", "Error"),
        ("raises_after_start", "Error"),
        ("start_twice", "start_response called a second time without exc_info"),
        ("returns_none", "TypeError"),
        ("returns_str", "yielded str, not bytes"),
        ("status_without_reason", "is not a code and a reason phrase"),
        ("header_with_newline", "holds a control character"),
        ("header_not_latin1", "is not Latin-1"),
    ] {
        let server = serve(&format!("bad_apps:{app}"));
        let reply = client::get(server.addr, "/").await;
        assert_eq!((reply.status.as_u16(), reply.text().as_str()), (500, "Internal Server Error"), "{app}");
        assert!(reply.headers.get("x-injected").is_none(), "{app}: no header injected");
        let logged = stderr(&server);
        assert!(logged.contains(cause), "{app}: {cause} in\n{logged}");
    }
}

#[test]
fn a_generator_that_raises_midway_cuts_the_connection() {
    let server = serve("bad_apps:generator_raises_midway");
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("chunk 1\n") && answer.contains("chunk 2\n"), "what was made goes out first: {answer:?}");
    assert!(!answer.ends_with("0\r\n\r\n"), "the chunked body never ends, so it cannot look complete: {answer:?}");
}

#[test]
fn close_runs_when_the_client_goes_away_mid_body() {
    let scratch = test_support::Scratch::new("wsgi-close");
    let marker = scratch.join("closed");
    let server = serve("bad_apps:slow_generator_with_close");
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    let target = format!("/?marker={}", marker.display()).replace('/', "%2F").replacen("%2F?", "/?", 1);
    stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes()).unwrap();
    let mut first = [0_u8; 256];
    let _ = stream.read(&mut first).unwrap();
    drop(stream);
    let deadline = Instant::now() + Duration::from_secs(10);
    // The marker may exist before close() has written its line: wait for the whole line.
    let said = loop {
        let said = std::fs::read_to_string(&marker).unwrap_or_default();
        if said.ends_with('\n') || Instant::now() > deadline {
            break said;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let chunks: u32 = said
        .trim()
        .strip_prefix("closed after ")
        .and_then(|rest| rest.strip_suffix(" chunks"))
        .unwrap_or_else(|| panic!("close() ran and wrote its marker: {said:?}"))
        .parse()
        .unwrap();
    assert!(chunks < 100, "the iteration stopped when the client left: {said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn write_exc_info_file_wrapper_and_input_lines_work() {
    let server = serve("bad_apps:uses_write");
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.status, 200);
    assert!(!reply.body.is_empty(), "write() sent the body");

    let server = serve("bad_apps:exc_info_replaces_headers");
    let reply = client::get(server.addr, "/").await;
    assert_eq!((reply.status.as_u16(), reply.text().as_str()), (500, "replaced\n"));
    assert!(reply.headers.contains_key("x-replaced") && !reply.headers.contains_key("x-first"));

    let server = serve("bad_apps:file_wrapper");
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.body, std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps/bad_apps.py")).unwrap());

    let server = serve("bad_apps:reads_input_lines");
    let request = http::Request::post("/")
        .body(http_body_util::Full::new(bytes::Bytes::from_static(b"one\ntwo\nthree\nfour-five\nsix")))
        .unwrap();
    let said: serde_json::Value = serde_json::from_slice(&client::send(server.addr, request).await.body).unwrap();
    assert_eq!(said["lines"], serde_json::json!(["one\n", "two\n", "three\n"]));
    assert_eq!(
        (said["readline_4"].as_str(), said["rest"].as_str(), said["after_end"].as_str()),
        (Some("four"), Some("-five\nsix"), Some(""))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_shorter_than_its_content_length_is_never_sent_as_complete() {
    let server = serve("bad_apps:short_body");
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.status, 500, "Content-Length 100 for 10 bytes is the contract's 500, logged");
    assert!(stderr(&server).contains("content-length-matches-body"));
}
