//! A client that never reads its response (the write timeout): ten clients with small
//! receive buffers that ask for an endless response and read nothing lose their
//! connections within the write timeout, and the server frees their responses (before:
//! all ten were still open after 40 s, the server at 58 MB). A client that reads slowly
//! but steadily keeps its download: any progress restarts the timeout.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use gateway_core::{Body, BodyError, Environ, Response, StartResponse};
use http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Produced, endless_app, eventually, small_window_client, still_serves};
use crate::common::{PATIENCE, SLACK, serve_with};

const WRITE_TIMEOUT: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread")]
async fn clients_that_never_read_lose_their_connections_and_their_responses_within_the_write_timeout() {
    let produced = Arc::new(Produced::default());
    let app = endless_app(Arc::clone(&produced), 64 * 1024);
    let server = serve_with(app, |serve| serve.write_timeout(Some(WRITE_TIMEOUT))).await;
    let mut clients = Vec::new();
    for _ in 0..10 {
        let mut client = small_window_client(server.addr, 4096).await;
        client.write_all(b"GET /endless HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("the request");
        clients.push(client);
    }
    assert!(eventually(PATIENCE, || produced.alive.load(Ordering::SeqCst) == 10).await, "ten responses started");
    let started = Instant::now();
    // Stalled from the start: each connection goes within the write timeout (+ a tick).
    let bound = WRITE_TIMEOUT + SLACK;
    assert!(
        eventually(bound, || produced.alive.load(Ordering::SeqCst) == 0).await,
        "{} responses still alive after {:?}",
        produced.alive.load(Ordering::SeqCst),
        started.elapsed()
    );
    eprintln!("slow readers: 10 responses freed {:?} after they started", started.elapsed());
    for mut client in clients {
        // What the kernel held for the client, then the reset (or EOF): never the end.
        let mut sink = vec![0; 64 * 1024];
        let closed = tokio::time::timeout(PATIENCE, async {
            loop {
                match client.read(&mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        });
        closed.await.expect("the connection is closed, not just quiet");
    }
    still_serves(server.addr).await;
}

/// A response of `size` bytes in 16 KiB chunks.
async fn sized(_: Environ, start: StartResponse) -> Response {
    const SIZE: usize = 256 * 1024;
    let chunks = (0..SIZE / (16 * 1024)).map(|_| Ok::<_, BodyError>(Bytes::from(vec![b'y'; 16 * 1024])));
    start.start(StatusCode::OK, ()).body(Body::from_sized_stream(futures_util::stream::iter(chunks), SIZE as u64))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_reads_slowly_but_steadily_keeps_its_download() {
    let server = serve_with(sized, |serve| serve.write_timeout(Some(WRITE_TIMEOUT))).await;
    let mut client = small_window_client(server.addr, 4096).await;
    client.write_all(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await.expect("the request");
    let started = Instant::now();
    let mut received = Vec::new();
    let mut chunk = [0_u8; 4096];
    // About 4 KiB every 50 ms: each write waits well under the write timeout, for seconds.
    loop {
        match tokio::time::timeout(PATIENCE, client.read(&mut chunk)).await.expect("bytes keep coming") {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&chunk[..n]),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let took = started.elapsed();
    let body_at = received.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    assert_eq!(received.len() - body_at, 256 * 1024, "the whole body, read over {took:?}");
    assert!(took > WRITE_TIMEOUT, "the download outlasted the write timeout ({took:?}), so the test means something");
    still_serves(server.addr).await;
}
