//! Draining at shutdown: each connection finishes the request it serves, then closes (a new
//! connection's grace is in [`NEW_CONNECTION_GRACE`]'s docs).

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::time::Duration;

use hyper_util::server::graceful::GracefulConnection;
use tokio::sync::watch;

use super::state::ConnectionState;

/// How long a connection accepted but not yet read gets to start its request once the
/// server drains.
///
/// hyper's `graceful_shutdown` closes a connection at once when it has read nothing of a
/// request, which is right for a keep-alive connection waiting for its next request, and
/// wrong for one just accepted: its client has sent (or is sending) a request that hyper
/// has not read yet, and would see the connection close without an answer (the guestbook's
/// restart test, a new connection per request and no retries, lost one request in a few
/// thousand that way). So at shutdown a connection that has not started its first request
/// is given this long to start it; one that sends nothing in that time is closed then.
///
/// # Examples
/// ```
/// assert!(gateway_tower::server::NEW_CONNECTION_GRACE < gateway_tower::server::DEFAULT_SHUTDOWN_TIMEOUT);
/// ```
pub const NEW_CONNECTION_GRACE: Duration = Duration::from_secs(1);

/// Where a connection is in the drain.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drain {
    /// The server accepts: serve on.
    Serving,
    /// Draining, and the connection has not started its first request: wait for it, up to
    /// the grace.
    AwaitingRequest,
    /// Told to shut down gracefully: it finishes what it serves, then closes.
    Closing,
}

/// Serves `connection` until it ends; once `draining` changes (or its sender is gone), lets
/// it finish what it serves and close.
///
/// One `poll_fn`, with the connection polled in one place: the connection's poll is most of
/// a request's work, and a single call site lets the compiler inline it as it did for
/// hyper-util's graceful wrapper (measured: three call sites cost about 100 instructions a
/// request in the bench's `hello`).
pub(super) async fn serve_until_drained<C: GracefulConnection>(
    connection: C,
    state: &ConnectionState,
    mut draining: watch::Receiver<()>,
) -> Result<(), C::Error> {
    let mut connection = pin!(connection);
    let mut told = pin!(draining.changed());
    let mut drain = Drain::Serving;
    let mut grace: Option<Pin<Box<tokio::time::Sleep>>> = None;
    poll_fn(|cx| {
        if drain == Drain::Serving && told.as_mut().poll(cx).is_ready() {
            drain = Drain::AwaitingRequest;
            grace = Some(Box::pin(tokio::time::sleep(NEW_CONNECTION_GRACE)));
        }
        if drain == Drain::AwaitingRequest {
            // The phase changes only inside the connection's own poll (its service is
            // called there), so a check before each poll misses no change: one that
            // happens in the poll below is seen at the wake-up right after it.
            let waited = grace.as_mut().is_some_and(|grace| grace.as_mut().poll(cx).is_ready());
            if !state.is_new() || waited {
                drain = Drain::Closing;
                connection.as_mut().graceful_shutdown();
            }
        }
        let polled = connection.as_mut().poll(cx);
        if polled.is_pending() && drain == Drain::AwaitingRequest && !state.is_new() {
            // Its first request started in that poll: poll again soon, to shut down.
            cx.waker().wake_by_ref();
        }
        polled
    })
    .await
}
