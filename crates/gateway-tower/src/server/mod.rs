//! `serve`: a ready HTTP/1.1 server on hyper and hyper-util.
//!
//! Defaults, each a measured weakness of bare hyper or `axum::serve` fixed (docs/design.md §4):
//!
//! | setting | default | what the client gets |
//! |---|---|---|
//! | header read timeout (also bounds idle keep-alive and a silent new connection) | 10 s | a silent close |
//! | body read timeout (no body bytes while the app reads) | 30 s | 408 `Request Timeout`, close |
//! | graceful-shutdown drain after SIGINT/SIGTERM | 30 s | in-flight responses, then exit |
//! | request head (request line + headers) | 96 KiB, 100 headers | 431 (from hyper) |
//! | request target | 65,534 bytes (hyper's fixed limit) | 414 (from hyper) |
//! | HTTP/1.1 request without exactly one `Host` | refused | 400 `Bad Request`, close |
//!
//! Every accepted socket gets `TCP_NODELAY`; hyper gets a real timer, so its header
//! timeout fires. The HTTP/1 builder is used, not the auto builder, whose protocol sniffing
//! has no timeout. An access-log line in Common Log Format goes to stderr per request that
//! reaches the service, and `Listening on http://ADDR/` is printed on start. A program that
//! installed no `tracing` subscriber gets one on stderr at WARN, so that the cause of a 500
//! is seen (see [`Serve::log_subscriber`]).

mod access_log;
mod connection;
mod either_body;
mod listen;
mod logging;
mod run;
mod shutdown;
mod timer;

use std::future::{Future, IntoFuture};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use gateway_core::App;

pub use listen::Listen;
pub use run::{ServeService, Server};

use crate::{ConnectionInfo, GatewayService, WithConnectionInfo};
use shutdown::ShutdownSignal;

/// The largest request head (request line and headers) accepted: 96 KiB.
pub const DEFAULT_MAX_HEADER_SIZE: usize = 96 * 1024;
/// The default header read timeout.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default bound on draining in-flight requests at shutdown.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves a gateway app: `serve("127.0.0.1:8051", app).await`.
///
/// # Errors
/// Binding fails, or the signal handlers cannot be installed.
///
/// # Examples
/// ```no_run
/// use gateway_core::{Environ, Response, StartResponse};
///
/// async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(http::StatusCode::OK, ()).body("Hello world!")
/// }
///
/// #[tokio::main]
/// async fn main() -> std::io::Result<()> {
///     gateway_tower::serve("127.0.0.1:8051", hello).await
/// }
/// ```
pub fn serve<A: App>(listen: impl Into<Listen>, app: A) -> Serve<GatewayService<A>> {
    let service = GatewayService::new(app);
    Serve::new(listen.into(), move |info, config| {
        service.on_connection(info).run_once(config.once).body_read_timeout(config.body_read_timeout)
    })
}

/// Serves any tower service (an axum `Router`, an app in tower-http layers) with the same
/// server; each request carries a [`ConnectionInfo`] extension.
///
/// # Examples
/// ```no_run
/// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
/// # async fn run() -> std::io::Result<()> {
/// let service = gateway_tower::GatewayService::new(hello);
/// gateway_tower::serve_service("127.0.0.1:8051", service).await
/// # }
/// ```
pub fn serve_service<S>(listen: impl Into<Listen>, service: S) -> Serve<WithConnectionInfo<S>>
where
    S: Clone + Send + Sync + 'static,
{
    Serve::new(listen.into(), move |info, _| WithConnectionInfo::new(service.clone(), info))
}

type MakeService<S> = Arc<dyn Fn(ConnectionInfo, &Config) -> S + Send + Sync>;

#[derive(Debug, Clone)]
struct Config {
    access_log: bool,
    log_subscriber: bool,
    header_read_timeout: Duration,
    body_read_timeout: Option<Duration>,
    shutdown_timeout: Duration,
    max_header_size: usize,
    once: bool,
}

/// A server being configured; `.await` it to run, or [`bind`](Serve::bind) first to learn
/// the address.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
/// let server = gateway_tower::serve("127.0.0.1:0", hello)
///     .access_log(false)
///     .with_graceful_shutdown(async {}) // stop at once
///     .bind()
///     .await
///     .unwrap();
/// assert_ne!(server.local_addr().port(), 0);
/// server.run().await.unwrap();
/// # });
/// ```
#[must_use = "a server does nothing until awaited"]
pub struct Serve<S> {
    listen: Listen,
    make: MakeService<S>,
    config: Config,
    shutdown: Option<ShutdownSignal>,
}

impl<S> Serve<S> {
    fn new(listen: Listen, make: impl Fn(ConnectionInfo, &Config) -> S + Send + Sync + 'static) -> Self {
        let config = Config {
            access_log: true,
            log_subscriber: true,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: Some(crate::DEFAULT_BODY_READ_TIMEOUT),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            max_header_size: DEFAULT_MAX_HEADER_SIZE,
            once: false,
        };
        Self { listen, make: Arc::new(make), config, shutdown: None }
    }

    /// Turns the access log on stderr on or off (on by default).
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _quiet = gateway_tower::serve("127.0.0.1:0", hello).access_log(false);
    /// ```
    pub fn access_log(mut self, on: bool) -> Self {
        self.config.access_log = on;
        self
    }

    /// Whether `serve` installs a `tracing` subscriber (WARN and above, plain text on stderr)
    /// when the program has none; on by default, so the logged cause of a 500 is seen. A
    /// program that installs its own subscriber keeps it either way. Nothing is printed
    /// through it in normal operation.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _own_logging = gateway_tower::serve("127.0.0.1:0", hello).log_subscriber(false);
    /// ```
    pub fn log_subscriber(mut self, on: bool) -> Self {
        self.config.log_subscriber = on;
        self
    }

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

    /// Time without request-body bytes, while the app reads the body, before a 408 (apps
    /// served with [`serve`]; `None` waits forever).
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

    /// Serve-once mode: stop after the first complete response (`gateway.run_once`). Keep-alive
    /// is off and connections are served one at a time, so exactly one request is answered; a
    /// connection closed without a request does not count.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).once();
    /// ```
    pub fn once(mut self) -> Self {
        self.config.once = true;
        self
    }

    /// Stops when `signal` completes instead of on SIGINT/SIGTERM.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// let _ = gateway_tower::serve("127.0.0.1:0", hello).with_graceful_shutdown(async move { let _ = stopped.await; });
    /// # drop(stop);
    /// ```
    pub fn with_graceful_shutdown(mut self, signal: impl Future<Output = ()> + Send + 'static) -> Self {
        self.shutdown = Some(Box::pin(signal));
        self
    }

    /// Installs the signal handlers, binds, and prints `Listening on http://ADDR/` on
    /// stderr: the server is reachable when this returns.
    ///
    /// # Errors
    /// Binding fails, or the signal handlers cannot be installed.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let server = gateway_tower::serve("127.0.0.1:0", hello).bind().await.unwrap();
    /// assert!(server.local_addr().ip().is_loopback());
    /// # });
    /// ```
    pub async fn bind(self) -> io::Result<Server<S>> {
        let shutdown = match self.shutdown {
            Some(signal) => signal,
            None => shutdown::signals()?,
        };
        if self.config.log_subscriber {
            logging::install_default();
        }
        let listener = self.listen.bind().await?;
        let local_addr = listener.local_addr()?;
        eprintln!("Listening on http://{local_addr}/");
        Ok(Server { listener, local_addr, make: self.make, config: self.config, shutdown })
    }
}

impl<S> std::fmt::Debug for Serve<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Serve").field("listen", &self.listen).field("config", &self.config).finish()
    }
}

impl<S> IntoFuture for Serve<S>
where
    S: ServeService,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.bind().await?.run().await })
    }
}
