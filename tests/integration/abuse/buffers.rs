//! What hyper may buffer per connection (`max_buffer_size`, hyper's `max_buf_size`): a
//! response body is polled only as the client reads, so a client that reads nothing holds
//! the buffer bound and what the kernel holds, never more; and a fast upload reaches the
//! app in chunks of at most twice the bound (hyper's read buffer doubles as it grows, and a
//! read fills it).
//!
//! The kernel's share is made small and known: the server's listener has a 16 KiB send
//! buffer (accepted sockets inherit it, and a set size stops the kernel's autotuning, which
//! on loopback grows it to megabytes), the client a 4 KiB receive buffer.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::server::DEFAULT_MAX_BUFFER_SIZE;
use http::StatusCode;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpSocket;

use super::{Produced, endless_app, run, small_window_client, still_serves};
use crate::common::{Conn, serve_with};

const CHUNK: usize = 64 * 1024;

/// What the kernel may hold between the server and the client (the server's send buffer
/// and the client's receive buffer, each doubled by the kernel), with room to spare.
const KERNEL: usize = 128 * 1024;

/// A listener on `127.0.0.1:0` whose accepted sockets have a 16 KiB send buffer.
fn listener_with_small_send_buffers() -> tokio::net::TcpListener {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_send_buffer_size(16 * 1024).expect("SO_SNDBUF");
    socket.bind("127.0.0.1:0".parse().expect("an address")).expect("bind");
    socket.listen(1024).expect("listen")
}

/// Bytes the endless body produced once the client has read nothing for a while: the
/// count stops growing when the buffers are full.
async fn produced_for_a_client_that_reads_nothing(max_buffer_size: Option<usize>) -> usize {
    let produced = Arc::new(Produced::default());
    let app = endless_app(Arc::clone(&produced), CHUNK);
    let serve = gateway_tower::serve(listener_with_small_send_buffers(), app);
    let server = run(match max_buffer_size {
        Some(bytes) => serve.max_buffer_size(bytes),
        None => serve,
    })
    .await;
    let mut client = small_window_client(server.addr, 4096).await;
    client.write_all(b"GET /endless HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("the request");
    let mut last = usize::MAX;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = produced.bytes.load(Ordering::SeqCst);
        if now == last {
            break;
        }
        last = now;
    }
    still_serves(server.addr).await;
    drop(client);
    last
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_reads_nothing_holds_at_most_the_buffer_bound_and_the_kernel_buffers() {
    let small = produced_for_a_client_that_reads_nothing(Some(128 * 1024)).await;
    let default = produced_for_a_client_that_reads_nothing(None).await;
    eprintln!("produced for a client that reads nothing: {small} bytes (bound 128 KiB), {default} (default bound)");
    assert!(small <= 128 * 1024 + CHUNK + KERNEL, "{small} bytes produced with a bound of 128 KiB");
    assert!(default <= DEFAULT_MAX_BUFFER_SIZE + CHUNK + KERNEL, "{default} bytes produced with the default bound");
}

/// Reads the body chunk by chunk and answers with the largest chunk's size.
async fn largest_chunk(mut environ: Environ, start: StartResponse) -> Response {
    let mut largest = 0;
    let mut total = 0;
    while let Some(chunk) = environ.input().chunk().await {
        match chunk {
            Ok(chunk) => {
                largest = largest.max(chunk.len());
                total += chunk.len();
            }
            Err(error) => return start.reject(&error),
        }
    }
    start.start(StatusCode::OK, ()).body(format!("{largest} {total}"))
}

async fn largest_chunk_of_a_fast_upload(max_buffer_size: usize) -> usize {
    const UPLOAD: usize = 8 * 1024 * 1024;
    let server = serve_with(largest_chunk, move |serve| serve.max_buffer_size(max_buffer_size)).await;
    let mut conn = Conn::open(server.addr).await;
    let head = format!("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {UPLOAD}\r\n\r\n");
    let mut request = head.into_bytes();
    request.extend(std::iter::repeat_n(b'u', UPLOAD));
    conn.send(&request).await;
    let reply = conn.response().await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = reply.text();
    let (largest, total) = text.split_once(' ').expect("two numbers");
    assert_eq!(total, UPLOAD.to_string());
    still_serves(server.addr).await;
    largest.parse().expect("a number")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fast_upload_reaches_the_app_in_chunks_of_at_most_twice_the_bound() {
    let small = largest_chunk_of_a_fast_upload(16 * 1024).await;
    let default = largest_chunk_of_a_fast_upload(DEFAULT_MAX_BUFFER_SIZE).await;
    eprintln!("largest body chunk: {small} (bound 16 KiB), {default} (default bound)");
    assert!(small <= 2 * 16 * 1024, "{small}");
    assert!(default <= 2 * DEFAULT_MAX_BUFFER_SIZE, "{default}");
}
