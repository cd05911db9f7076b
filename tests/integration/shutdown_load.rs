//! Shutdown under load, on a child process (`probe_server`) and its real signal: SIGTERM
//! while 50 slow requests are in flight lets all 50 finish, refuses new connections and
//! exits 0 within the drain bound; a request still running at the bound is cut, and the
//! process exits anyway.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use test_support::child::ExampleServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PROBE: &str = env!("CARGO_BIN_EXE_probe_server");

/// Sends `GET target` and returns the open connection once the request is written.
async fn send(addr: SocketAddr, target: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes()).await.expect("write");
    stream
}

/// Everything the server sends until it closes the connection (bounded by `within`).
async fn read_all(mut stream: TcpStream, within: Duration) -> String {
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(within, stream.read_to_end(&mut bytes)).await.expect("the server closes in time");
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_50_slow_requests_lets_all_finish_refuses_new_ones_and_exits_0() {
    let mut server = ExampleServer::start(PROBE, &["--no-access-log", "--shutdown-timeout", "10000"]);
    let addr = server.addr;
    let mut in_flight = Vec::new();
    for _ in 0..50 {
        in_flight.push(send(addr, "/sleep/1500").await);
    }
    // Let the server read the 50 heads (each then sleeps 1.5 s in the app).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(TcpStream::connect(addr).await.is_err(), "the listener is closed at the signal");
    let answers: Vec<_> =
        in_flight.into_iter().map(|stream| tokio::spawn(read_all(stream, Duration::from_secs(10)))).collect();
    for answer in answers {
        let answer = answer.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.ends_with("slept 1500"), "{answer:?}");
        assert!(answer.to_ascii_lowercase().contains("connection: close"), "the last response says close: {answer:?}");
    }
    let status = server.wait(Duration::from_secs(10)).expect("the process exits after the drain");
    assert_eq!(status.code(), Some(0));
    assert!(signalled.elapsed() < Duration::from_secs(10), "exited within the drain bound ({:?})", signalled.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_past_the_drain_bound_is_cut_and_the_process_still_exits() {
    let mut server = ExampleServer::start(PROBE, &["--no-access-log", "--shutdown-timeout", "500"]);
    let stuck = send(server.addr, "/sleep/30000").await;
    let quick = send(server.addr, "/sleep/100").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.terminate();
    assert_eq!(read_all(stuck, Duration::from_secs(5)).await, "", "cut with no response at the bound");
    let status = server.wait(Duration::from_secs(5)).expect("the process exits at the bound");
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(took < Duration::from_secs(5), "exited {took:?} after the signal, not at the 0.5 s bound");
    let answer = read_all(quick, Duration::from_secs(5)).await;
    assert!(answer.ends_with("slept 100"), "the quick one finished before the bound: {answer:?}");
}
