//! Serving a 1 GiB file keeps the server's memory flat: files are streamed in chunks, never
//! read whole (on a child process, `probe_server --static DIR`, whose peak RSS is read from
//! `/proc/<pid>/status`).

use std::time::Duration;

use test_support::child::ExampleServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PROBE: &str = env!("CARGO_BIN_EXE_probe_server");
const GIB: u64 = 1 << 30;
/// How much the peak RSS may grow while the file is sent.
const SLACK_KIB: u64 = 16 * 1024;

/// Reads the response head, then counts the body bytes to the end of `Content-Length`.
async fn download(stream: &mut tokio::net::TcpStream) -> (String, u64) {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.expect("the response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: u64 = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase().strip_prefix("content-length: ").map(|n| n.trim().parse().unwrap_or(0))
        })
        .expect("a Content-Length");
    let mut buffer = vec![0_u8; 256 * 1024];
    let mut received = 0_u64;
    while received < length {
        let read = stream.read(&mut buffer).await.expect("the body");
        assert_ne!(read, 0, "the body ended after {received} of {length} bytes");
        received += read as u64;
    }
    (head, received)
}

#[tokio::test(flavor = "multi_thread")]
async fn serving_a_gibibyte_file_keeps_the_peak_rss_flat() {
    let dir = std::env::temp_dir().join(format!("microframe-memory-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = std::fs::File::create(dir.join("big.bin")).expect("the big file");
    file.set_len(GIB).expect("a sparse 1 GiB file");
    let server = ExampleServer::start(PROBE, &["--no-access-log", "--static", dir.to_str().unwrap_or_default()]);
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET /files/empty.none HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("a warm-up request");
    let mut warm = [0_u8; 512];
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut warm)).await;
    let idle = server.peak_rss_kib();

    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("the request");
    let (head, received) = download(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(received, GIB);
    let peak = server.peak_rss_kib();
    let _ = std::fs::remove_dir_all(&dir);
    println!("peak RSS idle {idle} KiB, after 1 GiB {peak} KiB");
    assert!(peak <= idle + SLACK_KIB, "peak RSS {peak} KiB against {idle} KiB idle: more than 16 MiB more");
}
