//! Abuse: clients that misbehave on purpose, over real loopback sockets, one file per
//! promise of `serve` (gateway-tower's `server` docs, "Limits"): a client that never reads
//! its response (`slow_reader`), what hyper may buffer (`buffers`), a body that trickles
//! (`slow_body`), more connections than the cap (`cap`), the documented defaults
//! (`defaults`), and every other row of the hardening table (`weaknesses`). Every case runs
//! with short limits set through the builder, is bounded in time, asserts outcomes with
//! generous bounds (never "not before"), and ends with a normal request that must be
//! answered 200.

mod buffers;
mod cap;
mod defaults;
mod slow_body;
mod slow_reader;
mod weaknesses;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use gateway_core::{Body, BodyError, Environ, Response, StartResponse};
use gateway_tower::Serve;
use gateway_tower::server::ServeService;
use http::StatusCode;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

use crate::common::{Conn, PATIENCE, get};

/// A server run from its builder (any service: `serve` or `serve_service`), access log off;
/// dropping it triggers the graceful shutdown.
pub(crate) struct Running {
    pub(crate) addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Binds and runs `serve` in this process.
pub(crate) async fn run<S: ServeService>(serve: Serve<S>) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let server = serve.access_log(false).with_graceful_shutdown(shutdown).bind().await.expect("bind");
    let addr = server.local_addr();
    tokio::spawn(server.run());
    Running { addr, _stop: stop }
}

/// A new connection gets 200 for `GET /`: the server still serves after the abuse.
pub(crate) async fn still_serves(addr: SocketAddr) {
    let mut conn = Conn::open(addr).await;
    conn.send(&get("/")).await;
    let reply = tokio::time::timeout(PATIENCE, conn.response()).await.expect("answered within the patience");
    assert_eq!(reply.status, 200, "a normal request after the abuse: {}", reply.head);
}

/// A client whose receive buffer is about `bytes` (the kernel doubles it and turns off
/// its growth), so that a server's writes stall as soon as the client stops reading.
pub(crate) async fn small_window_client(addr: SocketAddr, bytes: u32) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(bytes).expect("SO_RCVBUF");
    let stream = socket.connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    stream
}

/// Counts what an endless response body produced, and how many such bodies are alive.
#[derive(Debug, Default)]
pub(crate) struct Produced {
    pub(crate) bytes: AtomicUsize,
    pub(crate) alive: AtomicUsize,
}

/// A response body of `chunk`-byte chunks that never ends, counted in `produced`; it
/// counts itself out of `alive` when dropped (when the server frees the response).
pub(crate) fn endless_body(produced: Arc<Produced>, chunk: usize) -> Body {
    struct Alive(Arc<Produced>);
    impl Drop for Alive {
        fn drop(&mut self) {
            self.0.alive.fetch_sub(1, Ordering::SeqCst);
        }
    }
    produced.alive.fetch_add(1, Ordering::SeqCst);
    let data = Bytes::from(vec![b'x'; chunk]);
    let alive = Alive(produced);
    Body::from_stream(futures_util::stream::unfold(alive, move |alive| {
        let data = data.clone();
        async move {
            alive.0.bytes.fetch_add(data.len(), Ordering::SeqCst);
            Some((Ok::<_, BodyError>(data), alive))
        }
    }))
}

/// `GET /` is `ok`; `GET /endless` streams [`endless_body`] into `produced`.
pub(crate) fn endless_app(
    produced: Arc<Produced>,
    chunk: usize,
) -> impl Fn(Environ, StartResponse) -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    move |environ: Environ, start: StartResponse| {
        let response = if environ.path_info() == "/endless" {
            start.start(StatusCode::OK, ()).body(endless_body(Arc::clone(&produced), chunk))
        } else {
            start.start(StatusCode::OK, ()).body("ok")
        };
        std::future::ready(response)
    }
}

/// Polls `condition` every 20 ms until it holds; `false` when `limit` passed first.
pub(crate) async fn eventually(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while !condition() {
        if started.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}
