//! What a server is configured with, and the connection cap the descriptor limit allows.

use std::time::Duration;

use super::limits::*;

#[derive(Debug, Clone)]
pub(super) struct Config {
    pub(super) access_log: bool,
    pub(super) log_subscriber: bool,
    pub(super) header_read_timeout: Duration,
    pub(super) body_read_timeout: Option<Duration>,
    /// The service applies `body_read_timeout` itself (a `GatewayService`, under `serve`).
    pub(super) service_times_body: bool,
    pub(super) min_body_rate: Option<u64>,
    pub(super) body_rate_grace: Duration,
    pub(super) write_timeout: Option<Duration>,
    pub(super) shutdown_timeout: Duration,
    pub(super) max_header_size: usize,
    pub(super) max_buffer_size: usize,
    pub(super) max_connections: usize,
    pub(super) listen_backlog: u32,
    /// Bind with `SO_REUSEPORT`.
    pub(super) reuse_port: bool,
    pub(super) once: bool,
    /// Trusted proxy headers, applied to each request before anything else.
    pub(super) proxy: Option<std::sync::Arc<crate::ProxyHeaders>>,
}

impl Config {
    pub(super) fn new(service_times_body: bool) -> Self {
        Self {
            access_log: true,
            log_subscriber: true,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: Some(crate::DEFAULT_BODY_READ_TIMEOUT),
            service_times_body,
            min_body_rate: Some(DEFAULT_MIN_BODY_RATE),
            body_rate_grace: DEFAULT_BODY_RATE_GRACE,
            write_timeout: Some(DEFAULT_WRITE_TIMEOUT),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            max_header_size: DEFAULT_MAX_HEADER_SIZE,
            max_buffer_size: DEFAULT_MAX_BUFFER_SIZE,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            listen_backlog: DEFAULT_LISTEN_BACKLOG,
            reuse_port: false,
            once: false,
            proxy: None,
        }
    }

    /// The limits a request body is held to on this server's connections.
    pub(super) fn body_limits(&self) -> super::request_body::BodyLimits {
        super::request_body::BodyLimits {
            min_rate: self.min_body_rate.filter(|&rate| rate > 0),
            grace: self.body_rate_grace,
            no_progress: if self.service_times_body { None } else { self.body_read_timeout },
        }
    }

    /// The timeouts the coarse timers serve, for their tick.
    pub(super) fn coarse_timeouts(&self) -> impl Iterator<Item = Duration> {
        let body = self.body_limits();
        [Some(self.header_read_timeout), self.write_timeout, body.min_rate.map(|_| body.grace), body.no_progress]
            .into_iter()
            .flatten()
    }
}

/// The connection cap in force: `configured`, lowered so that the connections and a reserve
/// for everything else the process opens (its listener and runtime, the app's files and
/// database connections) fit in the descriptor limit (`RLIMIT_NOFILE`'s soft value): the
/// reserve is an eighth of the limit, at least 16. Without a known limit, `configured`.
pub(super) fn connection_cap(configured: usize) -> usize {
    match descriptor_limit() {
        Some(limit) => configured.min(limit.saturating_sub((limit / 8).max(16)).max(1)),
        None => configured.max(1),
    }
}

#[cfg(unix)]
fn descriptor_limit() -> Option<usize> {
    let (soft, _hard) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).ok()?;
    Some(usize::try_from(soft).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn descriptor_limit() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_cap_leaves_an_eighth_of_the_descriptors_and_at_least_16() {
        let limit = descriptor_limit().expect("a unix test machine has a limit");
        let cap = connection_cap(usize::MAX);
        assert_eq!(cap, limit.saturating_sub((limit / 8).max(16)).max(1));
        assert_eq!(connection_cap(3), 3.min(cap), "a lower configured cap is kept");
    }

    #[test]
    fn the_coarse_tick_follows_the_shortest_timeout() {
        let mut config = Config::new(false);
        config.write_timeout = Some(Duration::from_secs(1));
        assert_eq!(config.coarse_timeouts().min(), Some(Duration::from_secs(1)));
        assert_eq!(Config::new(true).coarse_timeouts().min(), Some(Duration::from_secs(10)), "header and grace");
    }
}
