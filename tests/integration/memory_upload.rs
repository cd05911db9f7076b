//! A 1 GiB file part streamed through `Multipart` keeps the server's memory flat: the peak
//! resident size (`VmHWM`) of the `upload_server` child grows by at most 16 MiB.

use test_support::child::ExampleServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const UPLOAD: &str = env!("CARGO_BIN_EXE_upload_server");

/// The file part's size: 1 GiB.
const FILE: u64 = 1 << 30;

/// Posts one multipart body of a `size`-byte file part of zeros, generated on the fly in
/// 64 KiB chunks; returns the response's status line and body.
async fn upload(addr: std::net::SocketAddr, size: u64) -> (String, String) {
    let boundary = "memory-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"zeros.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let length = head.len() as u64 + size + tail.len() as u64;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /upload HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {length}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n{head}"
    );
    stream.write_all(request.as_bytes()).await.expect("write the head");
    let zeros = vec![0_u8; 64 * 1024];
    let mut left = size;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        stream.write_all(&zeros[..n]).await.expect("write a chunk");
        left -= n as u64;
    }
    stream.write_all(tail.as_bytes()).await.expect("write the closing boundary");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read the response");
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or_default().to_owned(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_gib_upload_keeps_the_servers_peak_memory_flat() {
    let server = ExampleServer::start(UPLOAD, &[]);
    // Warm up (the runtime's threads, hyper's buffers, the code paths), then measure.
    assert_eq!(upload(server.addr, 4 << 20).await, ("HTTP/1.1 200 OK".to_owned(), (4_u64 << 20).to_string()));
    let idle = server.peak_rss_kib();
    let (status, body) = upload(server.addr, FILE).await;
    let peak = server.peak_rss_kib();
    println!("peak RSS idle {idle} KiB, after a 1 GiB upload {peak} KiB");
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 200 OK", "1073741824"));
    assert!(peak <= idle + 16 * 1024, "VmHWM grew from {idle} KiB to {peak} KiB, more than 16 MiB, for a 1 GiB upload");
}
