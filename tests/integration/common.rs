//! Shared plumbing: an in-process server on `127.0.0.1:0` that a test stops, and a raw
//! HTTP/1.1 connection that reads responses byte for byte (so a test sees exactly what
//! the server wrote, and when it closed).

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gateway_core::App;
use gateway_tower::{GatewayService, Serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long any single wait of a test may take before the test fails (not a timing
/// assertion: a bound so that no test hangs).
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// Slack added to a configured timeout before it counts as "did not fire".
pub(crate) const SLACK: Duration = Duration::from_secs(2);

/// A server running in this process, stopped through `with_graceful_shutdown`.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    run: Option<JoinHandle<io::Result<()>>>,
}

/// Serves `app` with the access log off and no signal handlers.
pub(crate) async fn serve<A: App>(app: A) -> TestServer {
    serve_with(app, |serve| serve).await
}

/// Serves `app` after `configure` has set up the builder.
pub(crate) async fn serve_with<A: App>(
    app: A,
    configure: impl FnOnce(Serve<GatewayService<A>>) -> Serve<GatewayService<A>>,
) -> TestServer {
    let (stop, stopped) = oneshot::channel::<()>();
    let builder = gateway_tower::serve("127.0.0.1:0", app).access_log(false).with_graceful_shutdown(async move {
        let _ = stopped.await;
    });
    let server = configure(builder).bind().await.expect("bind 127.0.0.1:0");
    let addr = server.local_addr();
    TestServer { addr, stop: Some(stop), run: Some(tokio::spawn(server.run())) }
}

impl TestServer {
    /// Triggers the graceful shutdown and returns how long `run()` took to return.
    pub(crate) async fn shutdown(mut self) -> Duration {
        let started = Instant::now();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let run = self.run.take().expect("running");
        let result = tokio::time::timeout(PATIENCE, run).await.expect("run() returns after the shutdown signal");
        result.expect("the server task did not panic").expect("run() succeeds");
        started.elapsed()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// One response as it came off the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    /// The head exactly as received, status line included, up to the blank line.
    pub(crate) head: String,
    pub(crate) headers: Vec<(String, String)>,
    /// The body, de-chunked when it was chunked.
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// A header's value (names compared case-insensitively).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A raw client connection: write bytes, read responses, watch for the close.
pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    buffer: Vec<u8>,
}

impl Conn {
    pub(crate) async fn open(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("TCP_NODELAY on the client");
        Self { stream, buffer: Vec::new() }
    }

    pub(crate) async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("write the request");
    }

    /// Reads more bytes; `false` at EOF (or on a reset, which a test treats as a close).
    async fn fill(&mut self) -> bool {
        let mut chunk = [0_u8; 16 * 1024];
        match tokio::time::timeout(PATIENCE, self.stream.read(&mut chunk)).await {
            Ok(Ok(0) | Err(_)) => false,
            Ok(Ok(n)) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                true
            }
            Err(_) => panic!("no bytes and no close within {PATIENCE:?}"),
        }
    }

    /// Reads until `needle` has arrived (kept in the buffer for the response parser);
    /// `false` when the connection closed first.
    pub(crate) async fn wait_for(&mut self, needle: &[u8]) -> bool {
        while find(&self.buffer, needle).is_none() {
            if !self.fill().await {
                return false;
            }
        }
        true
    }

    /// The next response to a request that was not HEAD; `None` when the server closed the
    /// connection before a complete response.
    pub(crate) async fn try_response(&mut self) -> Option<RawResponse> {
        self.read_response(false).await
    }

    /// The next response; panics when the connection closes first.
    pub(crate) async fn response(&mut self) -> RawResponse {
        self.read_response(false).await.expect("a complete response before the connection closed")
    }

    /// The next response to a HEAD request (a head only, whatever Content-Length says).
    pub(crate) async fn head_response(&mut self) -> RawResponse {
        self.read_response(true).await.expect("a complete response head")
    }

    async fn read_response(&mut self, head_only: bool) -> Option<RawResponse> {
        let end = loop {
            if let Some(at) = find(&self.buffer, b"\r\n\r\n") {
                break at + 4;
            }
            if !self.fill().await {
                return None;
            }
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        self.buffer.drain(..end);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status code");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
        let mut response = RawResponse { status, head, headers, body: Vec::new() };
        if head_only || status < 200 || status == 204 || status == 304 {
            return Some(response);
        }
        if response.header("transfer-encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked")) {
            response.body = self.read_chunked().await?;
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().expect("a numeric Content-Length");
            while self.buffer.len() < length {
                if !self.fill().await {
                    return None;
                }
            }
            response.body = self.buffer.drain(..length).collect();
        } else {
            while self.fill().await {}
            response.body = std::mem::take(&mut self.buffer);
        }
        Some(response)
    }

    /// A chunked body; `None` when the connection ends before the last chunk.
    async fn read_chunked(&mut self) -> Option<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = find(&self.buffer, b"\r\n") {
                    break at;
                }
                if !self.fill().await {
                    return None;
                }
            };
            let size_text = String::from_utf8_lossy(&self.buffer[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).ok()?;
            while self.buffer.len() < line_end + 2 + size + 2 {
                if !self.fill().await {
                    return None;
                }
            }
            body.extend_from_slice(&self.buffer[line_end + 2..line_end + 2 + size]);
            self.buffer.drain(..line_end + 2 + size + 2);
            if size == 0 {
                return Some(body);
            }
        }
    }

    /// Waits for the server to close the connection; returns the bytes that came before the
    /// close (none for a silent close) and how long the close took.
    pub(crate) async fn closed_within(&mut self, limit: Duration) -> (Vec<u8>, Duration) {
        let started = Instant::now();
        let mut rest = std::mem::take(&mut self.buffer);
        let mut chunk = [0_u8; 16 * 1024];
        loop {
            let left = limit.saturating_sub(started.elapsed());
            match tokio::time::timeout(left, self.stream.read(&mut chunk)).await {
                Ok(Ok(0) | Err(_)) => return (rest, started.elapsed()),
                Ok(Ok(n)) => rest.extend_from_slice(&chunk[..n]),
                Err(_) => panic!("the connection was still open after {limit:?}"),
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// `GET target` with a Host header, keep-alive.
pub(crate) fn get(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").into_bytes()
}

/// A two-chunk body stream whose second chunk waits for `go`: a test sees the first chunk
/// arrive on its own before it lets the stream finish. Generic over the error type, so
/// both gateway bodies and axum bodies can be built from it.
pub(crate) fn gated_stream<E>(
    go: std::sync::Arc<tokio::sync::Notify>,
    first: &'static str,
    second: &'static str,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, E>> + Send + 'static {
    futures_util::stream::unfold(0_u8, move |step| {
        let go = std::sync::Arc::clone(&go);
        async move {
            match step {
                0 => Some((Ok(bytes::Bytes::from_static(first.as_bytes())), 1)),
                1 => {
                    go.notified().await;
                    Some((Ok(bytes::Bytes::from_static(second.as_bytes())), 2))
                }
                _ => None,
            }
        }
    })
}
