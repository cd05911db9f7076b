//! What stops a server: SIGINT/SIGTERM by default, or a future the caller gives.

use std::future::Future;
use std::io;
use std::pin::Pin;

/// A future that completes when the server should stop accepting and drain.
pub(crate) type ShutdownSignal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Listens for SIGINT and SIGTERM. The handlers are registered now, not when the future is
/// first polled (`tokio::signal::ctrl_c` registers lazily, so a signal that arrives between
/// start-up and the first poll would kill the process).
#[cfg(unix)]
pub(crate) fn signals() -> io::Result<ShutdownSignal> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(Box::pin(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("SIGINT: shutting down"),
            _ = terminate.recv() => tracing::info!("SIGTERM: shutting down"),
        }
    }))
}

/// Listens for Ctrl-C (registered eagerly by polling once is not possible here; on
/// non-Unix systems this is the best tokio offers).
#[cfg(not(unix))]
pub(crate) fn signals() -> io::Result<ShutdownSignal> {
    Ok(Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    }))
}
