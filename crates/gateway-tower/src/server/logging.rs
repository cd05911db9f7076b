//! Logging that is seen: a stderr subscriber at WARN for programs that set up none (when and
//! why is in [`Serve::log_subscriber`](super::Serve::log_subscriber)'s docs).

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
