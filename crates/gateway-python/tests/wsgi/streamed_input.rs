//! `wsgi.input` over a long body: streamed as the app reads it, a stalled client holding up
//! no other request, memory flat, and a failed body answered with its status.

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use gateway_python::{PythonApp, READ_WHOLE_UP_TO};
use http_body_util::Full;
use test_support::client;
use tokio::io::AsyncWriteExt;

use crate::serve;

/// `len` bytes of lines of varying length, and their SHA-256 as Python prints it.
fn body(len: usize) -> (Vec<u8>, String) {
    let mut body = Vec::with_capacity(len);
    let mut line = 0usize;
    while body.len() < len {
        body.extend(std::iter::repeat_n(b'a' + u8::try_from(line % 26).unwrap(), line % 300));
        body.push(b'\n');
        line += 1;
    }
    body.truncate(len);
    let digest = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&body)?;
            child.wait_with_output()
        })
        .unwrap();
    let digest = String::from_utf8(digest.stdout).unwrap().split_whitespace().next().unwrap().to_owned();
    (body, digest)
}

fn post(target: &str, body: Vec<u8>) -> http::Request<Full<Bytes>> {
    http::Request::post(target).header("host", "t").body(Full::new(Bytes::from(body))).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_body_streams_into_reads_and_iteration_with_memory_flat() {
    let server = serve("input_apps:digest");
    // The first body warms the process up (allocator, buffers); the second, sixteen times as
    // long, must grow it by far less than its length (read whole, it would grow by more).
    let mut peaks = Vec::new();
    for length in [8 * 1024 * 1024, 128 * 1024 * 1024] {
        let (bytes, digest) = body(length);
        let reply = client::send(server.addr, post("/", bytes)).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text(), format!("{length} {digest}"));
        peaks.push(server.peak_rss_kib());
    }
    // VmHWM is the kernel's approximate count: it may read a little lower later.
    let grown = peaks[1].saturating_sub(peaks[0]);
    assert!(grown < 32 * 1024, "128 MiB after 8 MiB grew the server by {grown} KiB");

    let server = serve("input_apps:lines");
    let (bytes, _) = body(2 * 1024 * 1024);
    let lines = bytes.iter().filter(|&&byte| byte == b'\n').count() + usize::from(bytes.last() != Some(&b'\n'));
    let reply = client::send(server.addr, post("/", bytes)).await;
    assert_eq!(reply.text(), format!("{lines} lines, longest 300"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_body_holds_up_no_other_request_and_is_answered_once_it_comes() {
    let server = serve("input_apps:digest");
    let length = usize::try_from(READ_WHOLE_UP_TO).unwrap() * 4;
    let (bytes, digest) = body(length);
    let mut stalled = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
    stalled.write_all(head.as_bytes()).await.unwrap();
    stalled.write_all(&bytes[..100_000]).await.unwrap();
    // The app now waits inside `read` for the rest: the other requests go on meanwhile.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..5 {
        let reply = tokio::time::timeout(Duration::from_secs(5), client::get(server.addr, "/")).await;
        assert_eq!(reply.expect("answered while the other body stalls").status, 200);
    }
    stalled.write_all(&bytes[100_000..]).await.unwrap();
    let answer = client::read_until_close(&mut stalled).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with(&format!("{length} {digest}")), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_stalls_past_the_timeout_is_a_408_whatever_the_app_made_of_it() {
    let apps = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"));
    let app = PythonApp::load_from(apps, "input_apps:digest", 2).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = gateway_tower::serve("127.0.0.1:0", app)
        .access_log(false)
        .body_read_timeout(Some(Duration::from_millis(300)))
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
        })
        .bind()
        .await
        .unwrap();
    let addr = server.local_addr();
    let running = tokio::spawn(server.run());
    let head = "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 500000\r\n\r\n0123456789";
    let answer = tokio::time::timeout(Duration::from_secs(10), client::raw(addr, head.as_bytes())).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    let _ = stop.send(());
    running.await.unwrap().unwrap();
}
