//! The connection cap: at the cap, new connections wait in the listen backlog while room
//! is made, by closing idle keep-alive connections oldest first, then heads still
//! incomplete after a second; a busy connection is never closed. Before, there was no cap:
//! with the descriptors used up, a legitimate request waited 20 s.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::server::SHED_HEADS_AFTER;
use http::StatusCode;
use tokio::sync::Semaphore;

use super::{run, still_serves};
use crate::common::{Conn, PATIENCE, SLACK, get, serve_with};

/// `GET /busy` holds its request until the test adds a permit to `release` (and says it
/// started by adding one to `started`); everything else is `ok` at once.
#[derive(Clone)]
struct Gate {
    started: Arc<Semaphore>,
    release: Arc<Semaphore>,
}

impl Gate {
    fn new() -> Self {
        Self { started: Arc::new(Semaphore::new(0)), release: Arc::new(Semaphore::new(0)) }
    }

    fn app(
        &self,
    ) -> impl Fn(Environ, StartResponse) -> std::pin::Pin<Box<dyn Future<Output = Response> + Send>>
    + Clone
    + Send
    + Sync
    + 'static {
        let gate = self.clone();
        move |environ: Environ, start: StartResponse| {
            let gate = gate.clone();
            Box::pin(async move {
                if environ.path_info() == "/busy" {
                    gate.started.add_permits(1);
                    gate.release.acquire().await.expect("open").forget();
                }
                start.start(StatusCode::OK, ()).body("ok")
            })
        }
    }

    /// A connection whose request is being served (busy) until [`release`](Self::release).
    async fn busy_connection(&self, addr: SocketAddr) -> Conn {
        let mut conn = Conn::open(addr).await;
        conn.send(&get("/busy")).await;
        let started = tokio::time::timeout(PATIENCE, self.started.acquire()).await.expect("the busy request started");
        started.expect("open").forget();
        conn
    }

    fn release(&self) {
        self.release.add_permits(1);
    }
}

/// A connection that has been answered once and now waits for its next request.
async fn idle_connection(addr: SocketAddr) -> Conn {
    let mut conn = Conn::open(addr).await;
    conn.send(&get("/")).await;
    assert_eq!(conn.response().await.status, 200);
    conn
}

/// The connection is still open: no close (and no bytes) comes within a moment.
async fn assert_open(conn: &mut Conn, what: &str) {
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut byte = [0_u8; 1];
    match conn.stream.try_read(&mut byte) {
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("{what} should be open and quiet: {other:?}"),
    }
}

/// Sends `GET /` on a new connection and returns the answer's status, how long it took,
/// and the connection (kept open, idle).
async fn timed_get(addr: SocketAddr) -> (u16, Duration, Conn) {
    let started = Instant::now();
    let mut conn = Conn::open(addr).await;
    conn.send(&get("/")).await;
    let reply = tokio::time::timeout(PATIENCE, conn.response()).await.expect("answered within the patience");
    (reply.status, started.elapsed(), conn)
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_cap_idle_connections_are_closed_oldest_first_and_the_new_client_is_served() {
    let gate = Gate::new();
    let server = serve_with(gate.app(), |serve| serve.max_connections(3)).await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(idle_connection(server.addr).await);
    }
    let (status, waited, _fourth) = timed_get(server.addr).await;
    assert_eq!(status, 200, "a fourth client is served");
    eprintln!("connection cap: a new client waited {waited:?} for an idle connection to be closed");
    let (bytes, _) = idle[0].closed_within(SLACK).await;
    assert!(bytes.is_empty(), "the oldest idle connection is closed cleanly, between requests");
    assert_open(&mut idle[1], "the second oldest").await;
    assert_open(&mut idle[2], "the newest").await;
    // Another client: the next oldest goes (the fourth client's connection is idle too, and younger).
    let (status, _, _fifth) = timed_get(server.addr).await;
    assert_eq!(status, 200);
    let (bytes, _) = idle[1].closed_within(SLACK).await;
    assert!(bytes.is_empty());
    assert_open(&mut idle[2], "the newest").await;
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_cap_a_head_incomplete_for_a_second_is_closed_before_a_busy_connection() {
    let gate = Gate::new();
    let server = serve_with(gate.app(), |serve| serve.max_connections(2)).await;
    let mut busy = gate.busy_connection(server.addr).await;
    let mut partial = Conn::open(server.addr).await;
    partial.send(b"GET / HTTP/1.1\r\nHost: t\r\n").await;
    // Nothing is idle, the head is young: the new client waits until the head is a second old.
    let (status, waited, _client) = timed_get(server.addr).await;
    assert_eq!(status, 200);
    eprintln!("connection cap: a new client waited {waited:?} for a partial head to age");
    assert!(waited <= SHED_HEADS_AFTER + SLACK, "{waited:?}");
    let (bytes, _) = partial.closed_within(SLACK).await;
    assert!(bytes.is_empty(), "the partial head is closed without an answer");
    assert_open(&mut busy, "the busy connection").await;
    gate.release();
    assert_eq!(busy.response().await.status, 200, "the busy request completes");
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_keep_alive_connection_that_starts_a_head_counts_as_a_head_not_as_idle() {
    let gate = Gate::new();
    let server = serve_with(gate.app(), |serve| serve.max_connections(3)).await;
    let mut oldest = idle_connection(server.addr).await;
    let mut started_a_head = idle_connection(server.addr).await;
    let mut newest = idle_connection(server.addr).await;
    started_a_head.send(b"GET / HTTP/1.1\r\nHost:").await;
    // Two new clients: the two idle connections go, the younger one before the head.
    tokio::time::sleep(Duration::from_millis(100)).await; // the head's bytes are read
    let (status, _, _fourth) = timed_get(server.addr).await;
    assert_eq!(status, 200);
    assert!(oldest.closed_within(SLACK).await.0.is_empty());
    let (status, _, _fifth) = timed_get(server.addr).await;
    assert_eq!(status, 200);
    assert!(newest.closed_within(SLACK).await.0.is_empty(), "idle, so closed before the older head");
    assert_open(&mut started_a_head, "the head in progress").await;
    started_a_head.send(b" t\r\n\r\n").await;
    assert_eq!(started_a_head.response().await.status, 200, "and its request is served when it completes");
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_cap_a_busy_connection_is_never_closed_and_the_new_client_waits_for_it() {
    let gate = Gate::new();
    let server = serve_with(gate.app(), |serve| serve.max_connections(1)).await;
    let mut busy = gate.busy_connection(server.addr).await;
    let mut waiting = Conn::open(server.addr).await; // in the backlog
    waiting.send(&get("/")).await;
    let quiet = tokio::time::timeout(SHED_HEADS_AFTER + SLACK / 4, waiting.stream.readable()).await;
    assert!(quiet.is_err(), "nothing for the waiting client while the only connection is busy");
    assert_open(&mut busy, "the busy connection").await;
    gate.release();
    let reply = busy.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "ok"), "the busy request completes, whole");
    let reply = tokio::time::timeout(PATIENCE, waiting.response()).await.expect("served once the busy one is idle");
    assert_eq!(reply.status, 200);
    still_serves(server.addr).await;
}

/// Holds the only connection busy, opens `count` connections that must each connect
/// within 900 ms (a dropped SYN is sent again after 1 s), then lets them all be served.
async fn backlog_holds(addr: SocketAddr, gate: &Gate, count: usize) {
    let mut busy = gate.busy_connection(addr).await;
    let mut waiting = Vec::new();
    for n in 0..count {
        let connect = tokio::time::timeout(Duration::from_millis(900), Conn::open(addr));
        let mut conn = connect.await.unwrap_or_else(|_| panic!("connection {n} waited for its SYN to be resent"));
        conn.send(&get("/")).await;
        waiting.push(conn);
    }
    gate.release();
    assert_eq!(busy.response().await.status, 200);
    let started = Instant::now();
    for conn in &mut waiting {
        let reply = tokio::time::timeout(PATIENCE, conn.response()).await.expect("served in turn");
        assert_eq!(reply.status, 200);
    }
    eprintln!("connection cap 1: {count} connections from the backlog served in {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn new_connections_wait_in_a_backlog_of_1024_not_128() {
    // tokio's and std's 128 would drop the SYNs of all but 129 of these.
    let gate = Gate::new();
    let server = serve_with(gate.app(), |serve| serve.max_connections(1)).await;
    backlog_holds(server.addr, &gate, 300).await;
    still_serves(server.addr).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listener_the_caller_bound_gets_the_backlog_too() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind"); // backlog 128
    let gate = Gate::new();
    let server = run(gateway_tower::serve(listener, gate.app()).max_connections(1)).await;
    backlog_holds(server.addr, &gate, 300).await;
    still_serves(server.addr).await;
}
