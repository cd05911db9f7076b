//! Every limit of `serve`: its default, and the [`Serve`] method that changes it (the table
//! in the [module docs](super#limits) says what the client gets).

use std::time::Duration;

use super::Serve;

/// The largest request head (request line and headers) accepted: 96 KiB.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_MAX_HEADER_SIZE, 96 * 1024);
/// ```
pub const DEFAULT_MAX_HEADER_SIZE: usize = 96 * 1024;
/// The default header read timeout.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_HEADER_READ_TIMEOUT, std::time::Duration::from_secs(10));
/// ```
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default bound on draining in-flight requests at shutdown.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_SHUTDOWN_TIMEOUT, std::time::Duration::from_secs(30));
/// ```
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);
/// The default minimum request-body rate, in bytes a second, after the grace.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_MIN_BODY_RATE, 500);
/// ```
pub const DEFAULT_MIN_BODY_RATE: u64 = 500;
/// The default grace before the minimum body rate applies (waiting time, from the end of
/// the head).
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_BODY_RATE_GRACE, std::time::Duration::from_secs(10));
/// ```
pub const DEFAULT_BODY_RATE_GRACE: Duration = Duration::from_secs(10);
/// The default write timeout: this long without progress sending a response closes the
/// connection.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_WRITE_TIMEOUT, std::time::Duration::from_secs(30));
/// ```
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The default bound on what hyper buffers per connection (hyper's `max_buf_size`): 256 KiB.
/// The write queue stops taking response chunks at this bound, and the read buffer grows
/// to at most twice it (its capacity doubles, and a read fills it): about 1 MiB a connection
/// in all, besides what the app holds.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_MAX_BUFFER_SIZE, 256 * 1024);
/// ```
pub const DEFAULT_MAX_BUFFER_SIZE: usize = 256 * 1024;
/// The default cap on concurrent connections (lowered to what the descriptor limit allows).
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_MAX_CONNECTIONS, 10_000);
/// ```
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
/// The default length of the listen backlog, where new connections wait at the cap.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::server::DEFAULT_LISTEN_BACKLOG, 1024);
/// ```
pub const DEFAULT_LISTEN_BACKLOG: u32 = 1024;
/// The smallest buffer bound hyper accepts.
pub(super) const MIN_BUFFER_SIZE: usize = 8192;

/// The builder's limits: timeouts, sizes and counts.
impl<S> Serve<S> {
    /// Time allowed to receive a request head, from the connection's start or the end of
    /// the previous response; it also closes idle keep-alive connections.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).header_read_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.header_read_timeout = timeout;
        self
    }

    /// Time without request-body bytes, while the service waits for them, before a 408
    /// (`None` waits forever). [`serve`](crate::serve)'s `GatewayService` applies it to the
    /// app's input; for [`serve_service`](crate::serve_service) the connection does.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).body_read_timeout(Some(std::time::Duration::from_secs(5)));
    /// ```
    pub fn body_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.body_read_timeout = timeout;
        self
    }

    /// The minimum request-body rate in bytes a second, averaged over the time the service
    /// waits for body bytes once the [grace](Self::body_rate_grace) is spent: a client
    /// below it gets 408 and the connection is closed. `None` (or 0) turns it off.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// assert_eq!(gateway_tower::server::DEFAULT_MIN_BODY_RATE, 500);
    /// let _uploads_over_slow_links = gateway_tower::serve("127.0.0.1:0", hello).min_body_rate(Some(100));
    /// ```
    pub fn min_body_rate(mut self, bytes_per_second: Option<u64>) -> Self {
        self.config.min_body_rate = bytes_per_second;
        self
    }

    /// How long the service may wait for body bytes before the
    /// [minimum rate](Self::min_body_rate) applies; each byte received then buys
    /// `1 / rate` seconds more.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).body_rate_grace(std::time::Duration::from_secs(20));
    /// ```
    pub fn body_rate_grace(mut self, grace: Duration) -> Self {
        self.config.body_rate_grace = grace;
        self
    }

    /// Time without progress sending a response (the client reads nothing) before the
    /// connection is reset and its buffers freed; `None` waits forever.
    ///
    /// hyper has no write timeout, so without one a client that never reads its response
    /// keeps its connection, and the response's buffers, forever (10 clients with small
    /// receive buffers took a server from 5 to 58 MB). When the timeout fires, hyper drops
    /// the connection and everything it buffered, the app's response body with it; the
    /// socket is reset rather than closed (`SO_LINGER` 0), so the kernel frees the bytes it
    /// still holds for the client too. Any progress restarts the timeout: a slow but reading
    /// client keeps its download.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).write_timeout(Some(std::time::Duration::from_secs(60)));
    /// ```
    pub fn write_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.write_timeout = timeout;
        self
    }

    /// How long in-flight requests may take to finish after the shutdown signal.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).shutdown_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.config.shutdown_timeout = timeout;
        self
    }

    /// The largest request head in bytes; beyond it hyper answers 431.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).max_header_size(16 * 1024);
    /// ```
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.config.max_header_size = bytes;
        self
    }

    /// The bound on what hyper buffers for a connection (hyper's `max_buf_size`): the
    /// response body is polled only while less than this is waiting to be sent, so a client
    /// that reads slowly slows the app's body stream down instead of filling memory; and
    /// the read buffer, so a read of the request body returns at most twice this (the
    /// buffer's capacity grows by doubling, and a read fills it). A head must fit in it too:
    /// below [`max_header_size`](Self::max_header_size), this is the head's limit (431).
    ///
    /// # Panics
    /// When `bytes` is under 8 KiB, hyper's minimum.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// assert_eq!(gateway_tower::server::DEFAULT_MAX_BUFFER_SIZE, 256 * 1024);
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).max_buffer_size(64 * 1024);
    /// ```
    pub fn max_buffer_size(mut self, bytes: usize) -> Self {
        assert!(bytes >= MIN_BUFFER_SIZE, "max_buffer_size must be at least {MIN_BUFFER_SIZE} bytes (hyper's minimum)");
        self.config.max_buffer_size = bytes;
        self
    }

    /// The most connections open at once; never more than the descriptor limit allows
    /// (see [`Server::max_connections`](super::Server::max_connections)). At the cap,
    /// idle keep-alive connections are closed oldest first, then heads still incomplete
    /// after [`SHED_HEADS_AFTER`](super::SHED_HEADS_AFTER); new connections wait in the
    /// listen backlog meanwhile.
    ///
    /// A connection is shed only for a client that is waiting, so at most `cap + 1`
    /// sockets are open, and a busy connection (its request being served) is never shed:
    /// when nothing can go, new connections wait. An idle keep-alive client sees a clean
    /// close between requests, exactly as after the idle timeout (and retries a request it
    /// raced with the close, as clients must for keep-alive).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let server = gateway_tower::serve("127.0.0.1:0", hello).max_connections(100).bind().await.unwrap();
    /// assert_eq!(server.max_connections(), 100);
    /// # });
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.config.max_connections = connections;
        self
    }

    /// The length of the listen backlog, where new connections wait while the server is at
    /// its cap (the kernel caps it at `net.core.somaxconn`). Applied to a listener the
    /// caller bound too.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).listen_backlog(4096);
    /// ```
    pub fn listen_backlog(mut self, backlog: u32) -> Self {
        self.config.listen_backlog = backlog;
        self
    }
}
