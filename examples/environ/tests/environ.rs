//! Step 1 behaves as docs/example-behaviour.md says, in process and over a real socket.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use example_environ::app;
use http::HeaderValue;
use test_support::child::ExampleServer;
use test_support::{client, in_process};

/// The request of docs/example-behaviour.md: `GET /anything?x=1` with `X-Custom-Thing: yes`.
fn custom_request() -> http::Request<http_body_util::Full<bytes::Bytes>> {
    let mut request = in_process::get("/anything?x=1");
    request.headers_mut().insert("x-custom-thing", HeaderValue::from_static("yes"));
    request
}

/// The body's lines as `(key, value)` pairs, failing on a line that is not `KEY: value`.
fn entries(text: &str) -> Vec<(&str, &str)> {
    assert!(text.ends_with('\n'), "every line ends with a newline: {text:?}");
    text.lines().map(|line| line.split_once(": ").unwrap_or_else(|| panic!("not `KEY: value`: {line:?}"))).collect()
}

/// Checks what every environ dump must show, wherever it was served.
fn assert_dump(text: &str) {
    let entries = entries(text);
    for expected in [
        ("HTTP_X_CUSTOM_THING", "yes"),
        ("QUERY_STRING", "x=1"),
        ("REQUEST_METHOD", "GET"),
        ("PATH_INFO", "/anything"),
        ("SCRIPT_NAME", ""),
        ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("gateway.input", "<input>"),
        ("gateway.run_once", "false"),
    ] {
        assert!(entries.contains(&expected), "{expected:?} missing from\n{text}");
    }
    let keys: Vec<&str> = entries.iter().map(|(key, _)| *key).collect();
    assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "keys not sorted (or repeated):\n{text}");
    for key in keys {
        let cgi = matches!(
            key,
            "REQUEST_METHOD" | "SCRIPT_NAME" | "PATH_INFO" | "QUERY_STRING" | "CONTENT_TYPE" | "CONTENT_LENGTH"
        ) || key.starts_with("SERVER_")
            || key.starts_with("REMOTE_")
            || key.starts_with("HTTP_")
            || key.starts_with("gateway.");
        assert!(cgi, "{key} is not a CGI, HTTP_ or gateway.* key");
    }
}

#[tokio::test]
async fn dump_shows_the_request_under_cgi_names_sorted() {
    let reply = in_process::send(app, custom_request()).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.header("content-length"), reply.body.len().to_string());
    assert_dump(&reply.text());
}

#[tokio::test]
async fn in_process_has_no_peer_address() {
    let text = in_process::send(app, custom_request()).await.text();
    assert!(entries(&text).iter().all(|(key, _)| !key.starts_with("REMOTE_")), "{text}");
}

#[tokio::test]
async fn any_path_and_method_answers_the_same_way() {
    let reply = in_process::send(app, in_process::request("POST", "/some/where", "a=1".into())).await;
    assert_eq!(reply.status, 200);
    let text = reply.text();
    let entries = entries(&text);
    assert!(entries.contains(&("REQUEST_METHOD", "POST")), "{text}");
    assert!(entries.contains(&("PATH_INFO", "/some/where")), "{text}");
    assert!(entries.contains(&("QUERY_STRING", "")), "QUERY_STRING is never absent:\n{text}");
}

#[tokio::test]
async fn binary_shows_the_peer_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(env!("CARGO_BIN_EXE_example-environ"), &[]);
    let reply = client::send(server.addr, custom_request()).await;
    assert_eq!(reply.status, 200);
    let text = reply.text();
    assert_dump(&text);
    let entries = entries(&text);
    assert!(entries.contains(&("REMOTE_ADDR", "127.0.0.1")), "{text}");
    let port = server.addr.port().to_string();
    assert!(entries.contains(&("SERVER_PORT", port.as_str())), "{text}");
    let line = server.access_log_line();
    let logged = format!("] \"GET /anything?x=1 HTTP/1.1\" 200 {}", reply.body.len());
    assert!(line.starts_with("127.0.0.1 - - [") && line.ends_with(&logged), "{line}");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

/// The name and value of a variable put in the server's own OS environment.
const CANARY: (&str, &str) = ("MICROFRAME_ENVIRON_CANARY", "canary-7f3a9c");

#[tokio::test]
async fn no_os_environment_variable_appears() {
    // Started by hand (not `ExampleServer`) to give the child a variable of its own.
    let mut child = Command::new(env!("CARGO_BIN_EXE_example-environ"))
        .arg("127.0.0.1:0")
        .env(CANARY.0, CANARY.1)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the example");
    let mut first = String::new();
    let mut stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
    stderr.read_line(&mut first).expect("the `Listening on` line");
    let addr: SocketAddr = first
        .trim_end()
        .strip_prefix("Listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| panic!("expected `Listening on http://ADDR/`, got {first:?}"));
    let text = client::send(addr, custom_request()).await.text();
    let _ = child.kill();
    let _ = child.wait();
    assert_dump(&text);
    assert!(!text.contains(CANARY.0) && !text.contains(CANARY.1), "the OS environment leaked:\n{text}");
    // The child inherited this process's variables too: PATH and HOME, for instance.
    for (name, value) in std::env::vars().filter(|(name, _)| ["PATH", "HOME"].contains(&name.as_str())) {
        assert!(entries(&text).iter().all(|(key, _)| *key != name), "{name} leaked:\n{text}");
        // A value as short as `/` would be found in any dump; longer ones are telling.
        assert!(value.len() < 5 || !text.contains(&value), "the value of {name} leaked:\n{text}");
    }
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("environ.md", "example-environ", env!("CARGO_BIN_EXE_example-environ"));
    assert_eq!(ran, 4, "every command of the chapter ran");
}
