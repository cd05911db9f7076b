//! Requests over a real socket.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http::header::HOST;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::Reply;

/// How long a socket read may wait before the helper gives up.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends one request on a new connection with hyper's client (adding `Host`) and reads
/// the whole response.
///
/// # Panics
/// When the connection or the exchange fails.
///
/// # Examples
/// ```no_run
/// # async fn run(addr: std::net::SocketAddr) {
/// let reply = test_support::client::send(addr, test_support::in_process::get("/")).await;
/// assert_eq!(reply.status, 200);
/// # }
/// ```
pub async fn send(addr: SocketAddr, request: http::Request<Full<Bytes>>) -> Reply {
    exchange(TcpStream::connect(addr).await.expect("connect"), addr, request).await
}

/// As [`send`], from a socket bound to `local_ip` (another loopback address, `127.0.0.2`,
/// to be a client that is not the proxy on `127.0.0.1`).
///
/// # Panics
/// When binding, the connection or the exchange fails.
///
/// # Examples
/// ```no_run
/// # async fn run(addr: std::net::SocketAddr) {
/// let local = "127.0.0.2".parse().unwrap();
/// let reply = test_support::client::send_from(local, addr, test_support::in_process::get("/")).await;
/// # }
/// ```
pub async fn send_from(local_ip: std::net::IpAddr, addr: SocketAddr, request: http::Request<Full<Bytes>>) -> Reply {
    let socket = if local_ip.is_ipv4() { tokio::net::TcpSocket::new_v4() } else { tokio::net::TcpSocket::new_v6() };
    let socket = socket.expect("a socket");
    socket.bind(SocketAddr::new(local_ip, 0)).expect("bind the client's address");
    let stream = tokio::time::timeout(READ_TIMEOUT, socket.connect(addr)).await.expect("connect in time");
    exchange(stream.expect("connect"), addr, request).await
}

/// One request on `stream`, `Host` added when missing, the whole response read.
async fn exchange(stream: TcpStream, addr: SocketAddr, mut request: http::Request<Full<Bytes>>) -> Reply {
    if !request.headers().contains_key(HOST) {
        let host = addr.to_string().parse().expect("an address is a valid Host");
        request.headers_mut().insert(HOST, host);
    }
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(connection);
    let exchange = async {
        let response = sender.send_request(request).await.expect("request");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("body").to_bytes();
        Reply { status: parts.status, headers: parts.headers, body }
    };
    tokio::time::timeout(READ_TIMEOUT, exchange).await.expect("response within the read timeout")
}

/// `GET target` over a real socket.
///
/// # Examples
/// ```no_run
/// # async fn run(addr: std::net::SocketAddr) {
/// let reply = test_support::client::get(addr, "/").await;
/// # }
/// ```
pub async fn get(addr: SocketAddr, target: &str) -> Reply {
    send(addr, crate::in_process::get(target)).await
}

/// Writes `bytes` on a new connection and reads until the server closes it (or the read
/// timeout passes); for requests a client library would refuse to send.
///
/// # Examples
/// ```no_run
/// # async fn run(addr: std::net::SocketAddr) {
/// let answer = test_support::client::raw(addr, b"GET / HTTP/1.1\r\n\r\n").await;
/// assert!(answer.starts_with("HTTP/1.1 400"));
/// # }
/// ```
pub async fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    read_until_close(&mut stream).await
}

/// Reads from `stream` until EOF, an error, or the read timeout; returns what came.
///
/// # Examples
/// ```no_run
/// # async fn run(mut stream: tokio::net::TcpStream) {
/// let text = test_support::client::read_until_close(&mut stream).await;
/// # }
/// ```
pub async fn read_until_close(stream: &mut TcpStream) -> String {
    let mut all = Vec::new();
    let _ = tokio::time::timeout(READ_TIMEOUT, stream.read_to_end(&mut all)).await;
    String::from_utf8_lossy(&all).into_owned()
}

/// Writes `bytes` on a new connection, reads what one read brings (a response head, or
/// all of a short response), and returns the connection still open with that text: for
/// tests of what happens to an idle keep-alive connection.
///
/// # Examples
/// ```no_run
/// # async fn run(addr: std::net::SocketAddr) {
/// let (_open, head) = test_support::client::request_and_hold(addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
/// assert!(head.starts_with("HTTP/1.1 200 "));
/// # }
/// ```
pub async fn request_and_hold(addr: SocketAddr, bytes: &[u8]) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    let mut buffer = vec![0; 4096];
    let read = tokio::time::timeout(READ_TIMEOUT, stream.read(&mut buffer)).await.expect("a response").expect("read");
    let text = String::from_utf8_lossy(&buffer[..read]).into_owned();
    (stream, text)
}
