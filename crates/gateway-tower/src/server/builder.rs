//! `Serve`, the server being configured: the switches and `bind` (the limits' setters are in
//! `limits`).

use std::future::{Future, IntoFuture};
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use super::config::{Config, connection_cap};
use super::run::{ServeService, Server};
use super::shutdown::{self, ShutdownSignal};
use super::{Listen, MakeService, logging};
use crate::ConnectionInfo;

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
    pub(super) config: Config,
    shutdown: Option<ShutdownSignal>,
}

impl<S> Serve<S> {
    /// `service_times_body`: the service applies the body-read timeout itself.
    pub(super) fn new(
        listen: Listen,
        service_times_body: bool,
        make: impl Fn(ConnectionInfo, &Config) -> S + Send + Sync + 'static,
    ) -> Self {
        Self { listen, make: Arc::new(make), config: Config::new(service_times_body), shutdown: None }
    }

    /// Turns the access log on stderr on or off (on by default).
    ///
    /// One Common Log Format line per request that reaches the service, written when the
    /// response body ends (or is dropped), with the number of body bytes sent:
    ///
    /// ```text
    /// 127.0.0.1 - - [24/Nov/2026:01:59:33 +0000] "GET /?a=1 HTTP/1.1" 200 102
    /// ```
    ///
    /// The target is written with `"`, `\` and bytes outside printable ASCII escaped as
    /// `\xHH`. Behind a trusted proxy ([`proxy_headers`](Self::proxy_headers)) the address is
    /// the client's.
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
    /// through it in normal operation: stderr has `Listening on` and the access log.
    ///
    /// A 500's cause (a panic, a template that failed to render, a route name `url_for`
    /// does not know, a missing `State<T>`) is logged through `tracing` at ERROR and never
    /// sent to the client. `tracing` drops events when no subscriber is installed, so in a
    /// program that installed none the cause would be lost; `serve` therefore installs one,
    /// the way Rocket sets up its own logging, at bind time, before `Listening on`.
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

    /// Binds with `SO_REUSEPORT`, so that several processes can listen on one port, each with
    /// a socket of its own, and the kernel spreads new connections over them. Off by
    /// default (a second server on a port is then an error, not a silent share). Only an
    /// address is bound with it: a listener given or inherited keeps its own options. For
    /// restarts that drop nothing, inherit one socket instead
    /// ([`Listen::inherited_or`](crate::Listen::inherited_or)): see [`Listen`](crate::Listen).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let first = gateway_tower::serve("127.0.0.1:0", hello).reuse_port(true).bind().await.unwrap();
    /// let port = first.local_addr().port();
    /// let second = gateway_tower::serve(format!("127.0.0.1:{port}"), hello).reuse_port(true).bind().await;
    /// assert!(second.is_ok(), "both listen on {port}");
    /// # });
    /// ```
    pub fn reuse_port(mut self, on: bool) -> Self {
        self.config.reuse_port = on;
        self
    }

    /// Reads proxy headers as `proxy` says (see [`ProxyHeaders`](crate::ProxyHeaders)),
    /// applied to each request before anything else: the access log, `REMOTE_ADDR`, the
    /// scheme, `Host` and `SCRIPT_NAME` show what the client sent to the proxy, and
    /// [`ProxyOriginals`](crate::ProxyOriginals) what reached the server. Off by default
    /// (nothing is trusted); whether a connection's peer is trusted is decided once, when it
    /// is accepted, so an untrusted connection costs nothing per request.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let proxy = gateway_tower::ProxyHeaders::new().trust("127.0.0.1").unwrap().x_prefix(1);
    /// let _behind_nginx = gateway_tower::serve("127.0.0.1:0", hello).proxy_headers(proxy);
    /// ```
    pub fn proxy_headers(mut self, proxy: crate::ProxyHeaders) -> Self {
        self.config.proxy = Some(Arc::new(proxy));
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

    /// Installs the signal handlers, binds (with the listen backlog), and prints
    /// `Listening on http://ADDR/` on stderr: the server is reachable when this returns.
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
        let listener = self.listen.bind(self.config.listen_backlog, self.config.reuse_port).await?;
        let local_addr = listener.local_addr()?;
        eprintln!("Listening on http://{local_addr}/");
        let max_connections = connection_cap(self.config.max_connections);
        Ok(Server { listener, local_addr, make: self.make, config: self.config, max_connections, shutdown })
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
