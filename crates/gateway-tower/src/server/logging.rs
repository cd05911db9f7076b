//! Logging that is seen: a stderr subscriber at WARN for programs that set up none.
//!
//! A 500's cause (a panic, a template that failed to render, a route name `url_for` does
//! not know, a missing `State<T>`) is logged through `tracing` at ERROR and never sent to
//! the client. `tracing` drops events when no subscriber is installed, so in a program
//! that installed none the cause would be lost. `serve` therefore installs one, the way
//! Rocket sets up its own logging: WARN and above, plain text on stderr. It does so only
//! when the program has none (a program with its own subscriber keeps it), at bind time,
//! before `Listening on`, and prints nothing itself: in normal operation stderr has
//! `Listening on` and the access log, nothing else. [`Serve::log_subscriber`](super::Serve::log_subscriber)
//! switches it off.

use tracing::Level;

/// Installs the WARN-level stderr subscriber as the global default, unless one is set.
pub(super) fn install_default() {
    if tracing::dispatcher::has_been_set() {
        return;
    }
    let subscriber =
        tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(Level::WARN).with_ansi(false).finish();
    // Another thread may have won the race; then its subscriber stays, which is the point.
    let _ = tracing::subscriber::set_global_default(subscriber);
}
