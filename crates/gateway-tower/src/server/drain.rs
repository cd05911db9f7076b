//! Draining at shutdown: each connection finishes the request it serves, then closes.
//!
//! hyper's `graceful_shutdown` closes a connection at once when it has read nothing of a
//! request, which is right for a keep-alive connection waiting for its next request, and
//! wrong for one just accepted: its client has sent (or is sending) a request that hyper
//! has not read yet, and would see the connection close without an answer. The guestbook's
//! restart test (a new connection per request, no retries) lost one request in a few
//! thousand that way. So a connection that has not started its first request is given
//! [`NEW_CONNECTION_GRACE`] to start it before the graceful shutdown; one that sends
//! nothing in that time is closed then.

use std::future::poll_fn;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use hyper_util::server::graceful::GracefulConnection;
use tokio::sync::watch;

use super::state::ConnectionState;

/// How long a connection accepted but not yet read gets to start its request once the
/// server drains.
///
/// # Examples
/// ```
/// assert!(gateway_tower::server::NEW_CONNECTION_GRACE < gateway_tower::server::DEFAULT_SHUTDOWN_TIMEOUT);
/// ```
pub const NEW_CONNECTION_GRACE: Duration = Duration::from_secs(1);

/// Serves `connection` until it ends; once `draining` changes (or its sender is gone), lets
/// it finish what it serves and close.
pub(super) async fn serve_until_drained<C: GracefulConnection>(
    connection: C,
    state: &ConnectionState,
    mut draining: watch::Receiver<()>,
) -> Result<(), C::Error> {
    let mut connection = pin!(connection);
    tokio::select! {
        result = connection.as_mut() => return result,
        _ = draining.changed() => {}
    }
    if state.is_new() {
        // The phase changes only inside the connection's own poll (its service is called
        // there), so checking after each poll misses no change.
        let started = poll_fn(|cx| match connection.as_mut().poll(cx) {
            Poll::Ready(result) => Poll::Ready(Some(result)),
            Poll::Pending if state.is_new() => Poll::Pending,
            Poll::Pending => Poll::Ready(None),
        });
        tokio::select! {
            ended = started => if let Some(result) = ended {
                return result;
            },
            () = tokio::time::sleep(NEW_CONNECTION_GRACE) => {}
        }
    }
    connection.as_mut().graceful_shutdown();
    connection.await
}
