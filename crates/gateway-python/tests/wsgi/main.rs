//! `microframe-wsgi` serving the Python apps of `tests/apps/` over a real socket, and
//! `PythonApp` composed with microframe and axum (`mounted`).

mod bad_input;
mod frameworks;
mod mounted;
mod pep3333;
mod streamed_input;

use std::process::Command;
use std::time::Duration;

use test_support::child::ExampleServer;
use test_support::client;

const BINARY: &str = env!("CARGO_BIN_EXE_microframe-wsgi");

/// `microframe-wsgi SPEC 127.0.0.1:0`, run from `tests/apps` (on `sys.path` as the working
/// directory).
pub(crate) fn serve(spec: &str) -> ExampleServer {
    let mut command = Command::new(BINARY);
    command.arg(spec).arg("127.0.0.1:0").current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"));
    command.env_remove("VIRTUAL_ENV");
    ExampleServer::from_command(command)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_body_goes_out_whole_with_its_length() {
    let server = serve("basics:hello");
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-length"), "13");
    assert_eq!(reply.text(), "Hello, World!");
    server.assert_logged("GET / HTTP/1.1", "200 13");
}

#[tokio::test(flavor = "multi_thread")]
async fn path_info_is_latin1_of_the_raw_bytes_as_pep_3333_says() {
    let server = serve("basics:path");
    let reply = client::get(server.addr, "/caf%C3%A9").await;
    assert_eq!(reply.text(), "'/cafÃ©' '/café'");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generator_is_streamed() {
    let server = serve("basics:stream");
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.header("transfer-encoding"), "chunked");
    assert_eq!(reply.text(), "chunk 0\nchunk 1\nchunk 2\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exception_is_a_500_with_the_traceback_on_stderr_only() {
    let server = serve("basics:boom");
    let reply = client::get(server.addr, "/").await;
    assert_eq!((reply.status.as_u16(), reply.text().as_str()), (500, "Internal Server Error"));
    let stderr: Vec<String> = std::iter::from_fn(|| server.stderr_line(Duration::from_millis(500))).collect();
    let stderr = stderr.join("\n");
    assert!(stderr.contains("Traceback") && stderr.contains("ValueError: the secret cause"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_set_cookie_reaches_the_client_and_the_body_is_read() {
    let server = serve("basics:cookies");
    let request = http::Request::post("/").body(http_body_util::Full::new(bytes::Bytes::from("posted"))).unwrap();
    let reply = client::send(server.addr, request).await;
    let cookies: Vec<_> = reply.headers.get_all("set-cookie").iter().map(|value| value.to_str().unwrap()).collect();
    assert_eq!(cookies, ["a=1", "b=2"]);
    assert_eq!(reply.text(), "posted");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_os_environment_never_reaches_the_environ() {
    let server = serve("basics:no_os_environment");
    assert_eq!(client::get(server.addr, "/").await.text(), "False");
}

#[test]
fn a_missing_module_or_callable_is_one_line_and_exit_2() {
    for (spec, expected) in [
        ("no_such_module:app", "microframe-wsgi: no module named \"no_such_module\""),
        ("basics:missing", "microframe-wsgi: module \"basics\" has no attribute \"missing\""),
    ] {
        let output = Command::new(BINARY)
            .arg(spec)
            .arg("127.0.0.1:0")
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with(expected), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line, no traceback: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn head_with_the_get_content_length_and_no_body_passes_unchanged() {
    let server = serve("basics:head_like_flask");
    let head = client::raw(server.addr, b"HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("content-length: 13\r\n"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "no body: {head}");
    assert_eq!(client::get(server.addr, "/").await.text(), "Hello, World!");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_one_cpu_it_runs_a_current_thread_runtime_that_serves_streams_and_stops() {
    let mut command = Command::new(test_support::tools::command("taskset"));
    command.args(["--cpu-list", "0", BINARY, "basics:stream", "127.0.0.1:0"]);
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps")).env_remove("TOKIO_WORKER_THREADS");
    let mut server = ExampleServer::from_command(command);
    let threads: Vec<String> = std::fs::read_dir(format!("/proc/{}/task", server.pid()))
        .unwrap()
        .map(|task| std::fs::read_to_string(task.unwrap().path().join("comm")).unwrap().trim().to_owned())
        .collect();
    assert!(!threads.iter().any(|name| name.starts_with("tokio-rt-worker")), "{threads:?}");
    assert!(threads.iter().any(|name| name.starts_with("python-")), "{threads:?}");
    for _ in 0..3 {
        let reply = client::get(server.addr, "/").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text(), "chunk 0\nchunk 1\nchunk 2\n");
    }
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}
