//! Graceful shutdown (`with_graceful_shutdown`): in-flight requests finish, idle
//! connections do not hold the server, and the drain is bounded by the shutdown timeout.

use std::sync::Arc;
use std::time::Duration;

use gateway_core::{Environ, StartResponse};
use http::StatusCode;
use tokio::sync::Notify;

use crate::common::{Conn, PATIENCE, SLACK, get, serve, serve_with};

/// An app that tells the test when a request arrived, then sleeps `delay` before answering.
fn sleeper(delay: Duration) -> (impl gateway_core::App, Arc<Notify>) {
    let arrived = Arc::new(Notify::new());
    let app = {
        let arrived = Arc::clone(&arrived);
        move |_: Environ, start: StartResponse| {
            let arrived = Arc::clone(&arrived);
            async move {
                arrived.notify_one();
                tokio::time::sleep(delay).await;
                start.start(StatusCode::OK, ()).body("done")
            }
        }
    };
    (app, arrived)
}

#[tokio::test(flavor = "multi_thread")]
async fn in_flight_request_completes_then_run_returns() {
    let delay = Duration::from_millis(300);
    let (app, arrived) = sleeper(delay);
    let server = serve(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/slow")).await;
    tokio::time::timeout(PATIENCE, arrived.notified()).await.expect("the request reached the app");
    let (took, reply) = tokio::join!(server.shutdown(), conn.response());
    assert_eq!((reply.status, reply.text().as_str()), (200, "done"), "the in-flight request was answered");
    assert!(took <= delay + SLACK, "run() returned {took:?} after the signal");
    let (rest, _) = conn.closed_within(SLACK).await;
    assert!(rest.is_empty(), "the connection is closed after its last response");
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_do_not_delay_shutdown() {
    let ok = |_: Environ, start: StartResponse| async { start.start(StatusCode::OK, ()).body("ok") };
    let server = serve(ok).await;
    let addr = server.addr;
    let mut kept_alive = Conn::open(addr).await;
    kept_alive.send(&get("/")).await;
    assert_eq!(kept_alive.response().await.status, 200);
    let mut silent = Conn::open(addr).await;
    // Let the server accept the silent connection before the signal.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let took = server.shutdown().await;
    let bound = gateway_tower::server::NEW_CONNECTION_GRACE + SLACK;
    assert!(took <= bound, "idle connections held the shutdown for {took:?}");
    for conn in [&mut kept_alive, &mut silent] {
        let (rest, _) = conn.closed_within(SLACK).await;
        assert!(rest.is_empty(), "an idle connection is closed silently");
    }
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens after run() returned");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_accepted_before_the_signal_still_gets_its_request_answered() {
    let ok = |_: Environ, start: StartResponse| async { start.start(StatusCode::OK, ()).body("ok") };
    let server = serve(ok).await;
    let mut late = Conn::open(server.addr).await;
    // Accepted, nothing sent yet: hyper's own graceful shutdown would close it at once.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let shutdown = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(200)).await;
    late.send(&get("/")).await;
    let reply = late.try_response().await.expect("an answer, not a closed connection");
    assert_eq!((reply.status, reply.text().as_str()), (200, "ok"));
    let (rest, _) = late.closed_within(SLACK).await;
    assert!(rest.is_empty(), "draining: the connection closes after its response");
    shutdown.await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn drain_is_bounded_by_the_shutdown_timeout() {
    let shutdown_timeout = Duration::from_millis(200);
    let (app, arrived) = sleeper(Duration::from_secs(10));
    let server = serve_with(app, |serve| serve.shutdown_timeout(shutdown_timeout)).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&get("/stuck")).await;
    tokio::time::timeout(PATIENCE, arrived.notified()).await.expect("the request reached the app");
    let took = server.shutdown().await;
    assert!(took <= shutdown_timeout + SLACK, "run() returned {took:?} after the signal");
    // The connections still open at the bound are dropped, not left running.
    let (rest, _) = conn.closed_within(SLACK).await;
    assert!(rest.is_empty(), "no response for the dropped request: {:?}", String::from_utf8_lossy(&rest));
}
