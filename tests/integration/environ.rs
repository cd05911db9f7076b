//! The environ a real connection produces (docs/design.md §2): CGI keys, peer and server
//! addresses, protocol, joined headers, and nothing from the OS environment.

use std::collections::BTreeMap;

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

use crate::common::{Conn, TestServer, serve};

/// Prints every key, sorted, one `KEY: value` line each (the environ example's format).
async fn dump(environ: Environ, start: StartResponse) -> Response {
    let lines: String = environ.iter().map(|(key, value)| format!("{key}: {value}\n")).collect();
    start.start(StatusCode::OK, ()).body(lines)
}

/// The environ the app saw for the raw `request`, and the client port it came from.
async fn environ_for(server: &TestServer, request: &[u8]) -> (BTreeMap<String, String>, u16) {
    let mut conn = Conn::open(server.addr).await;
    let port = conn.stream.local_addr().expect("client address").port();
    conn.send(request).await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 200, "{}", reply.head);
    let text = reply.text();
    let map =
        text.lines().filter_map(|line| line.split_once(": ")).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    (map, port)
}

fn key<'a>(environ: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    environ.get(name).map(String::as_str)
}

#[tokio::test(flavor = "multi_thread")]
async fn cgi_keys_of_a_plain_get() {
    let server = serve(dump).await;
    let (environ, _) = environ_for(&server, b"GET /caf%C3%A9/a%2Fb?x=%20&y HTTP/1.1\r\nHost: t\r\n\r\n").await;
    let expected = [
        ("REQUEST_METHOD", "GET"),
        ("SCRIPT_NAME", ""),
        ("PATH_INFO", "/café/a/b"),
        ("QUERY_STRING", "x=%20&y"),
        ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("gateway.raw_uri", "/caf%C3%A9/a%2Fb?x=%20&y"),
        ("gateway.raw_path_info", "/caf%C3%A9/a%2Fb"),
        ("gateway.raw_script_name", ""),
        ("gateway.url_scheme", "http"),
        ("gateway.version", "1.0"),
        ("gateway.input", "<input>"),
        ("gateway.multithread", "true"),
        ("gateway.multiprocess", "false"),
        ("gateway.run_once", "false"),
        ("HTTP_HOST", "t"),
    ];
    for (name, value) in expected {
        assert_eq!(key(&environ, name), Some(value), "{name}");
    }
    assert_eq!(key(&environ, "CONTENT_LENGTH"), None, "absent without a body");
    assert_eq!(key(&environ, "CONTENT_TYPE"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn content_type_and_length_are_cgi_keys_not_http_keys() {
    let server = serve(dump).await;
    let request = b"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
    let (environ, _) = environ_for(&server, request).await;
    assert_eq!(key(&environ, "CONTENT_TYPE"), Some("text/plain"));
    assert_eq!(key(&environ, "CONTENT_LENGTH"), Some("2"));
    assert_eq!(key(&environ, "HTTP_CONTENT_TYPE"), None);
    assert_eq!(key(&environ, "HTTP_CONTENT_LENGTH"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_addr_and_port_are_the_peer() {
    let server = serve(dump).await;
    let (environ, port) = environ_for(&server, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await;
    assert_eq!(key(&environ, "REMOTE_ADDR"), Some("127.0.0.1"));
    assert_eq!(key(&environ, "REMOTE_PORT"), Some(port.to_string().as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn server_name_and_port_come_from_host() {
    let server = serve(dump).await;
    let cases = [
        ("example.test:8080", "example.test", "8080"),
        ("example.test", "example.test", "80"),
        ("[::1]:9000", "[::1]", "9000"),
    ];
    for (host, name, port) in cases {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let (environ, _) = environ_for(&server, request.as_bytes()).await;
        assert_eq!(key(&environ, "SERVER_NAME"), Some(name), "Host: {host}");
        assert_eq!(key(&environ, "SERVER_PORT"), Some(port), "Host: {host}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn http_1_0_without_host_names_the_bound_address() {
    let server = serve(dump).await;
    let (environ, _) = environ_for(&server, b"GET / HTTP/1.0\r\n\r\n").await;
    assert_eq!(key(&environ, "SERVER_PROTOCOL"), Some("HTTP/1.0"));
    assert_eq!(key(&environ, "SERVER_NAME"), Some("127.0.0.1"));
    assert_eq!(key(&environ, "SERVER_PORT"), Some(server.addr.port().to_string().as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_headers_are_joined_and_cookies_with_semicolons() {
    let server = serve(dump).await;
    let request = b"GET / HTTP/1.1\r\nHost: t\r\nX-Multi: a\r\nCookie: a=1\r\nX-Multi: b\r\nCookie: b=2\r\n\r\n";
    let (environ, _) = environ_for(&server, request).await;
    assert_eq!(key(&environ, "HTTP_X_MULTI"), Some("a, b"));
    assert_eq!(key(&environ, "HTTP_COOKIE"), Some("a=1; b=2"));
}

#[tokio::test(flavor = "multi_thread")]
async fn header_bytes_are_latin_1_and_underscored_names_get_no_key() {
    let server = serve(dump).await;
    let request = b"GET / HTTP/1.1\r\nHost: t\r\nX-Name: caf\xe9\r\nX_User: spoofed\r\n\r\n";
    let (environ, _) = environ_for(&server, request).await;
    assert_eq!(key(&environ, "HTTP_X_NAME"), Some("café"));
    assert_eq!(key(&environ, "HTTP_X_USER"), None, "X_User must not pose as X-User");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_os_environment_variable_leaks_in() {
    let server = serve(dump).await;
    let (environ, _) = environ_for(&server, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await;
    let cgi = [
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REMOTE_PORT",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
    ];
    for name in environ.keys() {
        let allowed = cgi.contains(&name.as_str()) || name.starts_with("HTTP_") || name.starts_with("gateway.");
        assert!(allowed, "unexpected environ key {name}");
    }
    let os_keys: Vec<String> = std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()).collect();
    assert!(!os_keys.is_empty(), "a test process has some environment (PATH, CARGO_*)");
    for name in os_keys.iter().filter(|name| !cgi.contains(&name.as_str())) {
        assert!(!environ.contains_key(name), "OS variable {name} leaked into the environ");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_url_scheme_is_the_transports_never_the_request_targets() {
    let server = serve(dump).await;
    let (environ, _) = environ_for(&server, b"GET https://bank.example/x HTTP/1.1\r\nHost: bank.example\r\n\r\n").await;
    assert_eq!(key(&environ, "gateway.url_scheme"), Some("http"));
    assert_eq!(key(&environ, "SERVER_PORT"), Some("80"), "the port of plain http, not 443");
    assert_eq!(key(&environ, "PATH_INFO"), Some("/x"));
}
