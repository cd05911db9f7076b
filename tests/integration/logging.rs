//! Logging that is seen (on a child process, `probe_server`, since it is the process's
//! stderr): a 500's cause at ERROR through the subscriber `serve` installs when the program
//! has none; nothing but `Listening on` (checked by `ExampleServer::start`, which reads it
//! as the first line) and the access log in normal operation; the option that turns the
//! subscriber off.

use test_support::child::ExampleServer;
use test_support::client;

const PROBE: &str = env!("CARGO_BIN_EXE_probe_server");

/// The lines the server writes until the access-log line of `request` (included).
fn lines_until_logged(server: &ExampleServer, request: &str) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let line = server.stderr_line(std::time::Duration::from_secs(5)).unwrap_or_else(|| {
            panic!("no access-log line for {request:?}; lines so far: {lines:?}");
        });
        let done = line.contains(&format!("\"{request} HTTP/1.1\""));
        lines.push(line);
        if done {
            return lines;
        }
    }
}

/// Requests `target`, expects `status`, and returns what the server wrote on stderr for it
/// (the access-log line last).
async fn request_lines(server: &ExampleServer, target: &str, status: u16) -> Vec<String> {
    assert_eq!(client::get(server.addr, target).await.status, status, "{target}");
    lines_until_logged(server, &format!("GET {target}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cause_of_a_500_is_logged_at_error_without_any_setup() {
    let server = ExampleServer::start(PROBE, &[]);
    let lines = request_lines(&server, "/wrong-path-type/bob", 500).await;
    assert_eq!(lines.len(), 2, "one error line, then the access log: {lines:?}");
    assert!(lines[0].contains("ERROR") && lines[0].contains("Path<T> does not fit"), "{lines:?}");
    assert!(lines[0].contains("i64"), "the wanted type is named: {lines:?}");

    let lines = request_lines(&server, "/unknown-route", 500).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("ERROR") && lines[0].contains("no-such-route"), "the route name is named: {lines:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn normal_operation_prints_the_access_log_alone() {
    let server = ExampleServer::start(PROBE, &[]);
    for target in ["/x", "/empty", "/x?y=1"] {
        let lines = request_lines(&server, target, 200).await;
        assert_eq!(lines.len(), 1, "only the access-log line for {target}: {lines:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_subscriber_can_be_switched_off() {
    let server = ExampleServer::start(PROBE, &["--no-log-subscriber"]);
    let lines = request_lines(&server, "/wrong-path-type/bob", 500).await;
    assert_eq!(lines.len(), 1, "no subscriber, so only the access-log line: {lines:?}");
}
