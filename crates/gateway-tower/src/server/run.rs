//! A bound server and its accept loop: each accepted socket guarded and tracked, and at the
//! connection cap, room made by shedding before the next accept.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::connection::ConnectionService;
use super::drain::serve_until_drained;
use super::request_body::RequestBody;
use super::shed::Tracker;
use super::shutdown::ShutdownSignal;
use super::state::ConnectionState;
use super::stream::GuardedStream;
use super::timer::CoarseTimers;
use super::{Config, MakeService};
use crate::ConnectionInfo;

/// A bound server: [`local_addr`](Server::local_addr), then [`run`](Server::run).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
/// let server = gateway_tower::serve("127.0.0.1:0", hello).with_graceful_shutdown(async {}).bind().await.unwrap();
/// let address = server.local_addr();
/// server.run().await.unwrap();
/// assert!(std::net::TcpStream::connect(address).is_err()); // stopped: nothing listens
/// # });
/// ```
pub struct Server<S> {
    pub(super) listener: TcpListener,
    pub(super) local_addr: SocketAddr,
    pub(super) make: MakeService<S>,
    pub(super) config: Config,
    /// The connection cap in force.
    pub(super) max_connections: usize,
    pub(super) shutdown: ShutdownSignal,
}

impl<S> std::fmt::Debug for Server<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("max_connections", &self.max_connections)
            .field("config", &self.config)
            .finish()
    }
}

/// The services `serve` can run: a tower service over requests with a [`RequestBody`] (an
/// axum `Router`, any service generic over its body) whose response body hyper can send.
/// Implemented for every such service.
///
/// # Examples
/// ```
/// use gateway_tower::server::{RequestBody, ServeService};
///
/// fn servable<S: ServeService>(_service: &S) -> bool { true }
/// let hello = tower::service_fn(|_request: http::Request<RequestBody>| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Full::new(bytes::Bytes::from("hi"))))
/// });
/// assert!(servable(&hello));
/// assert!(servable(&axum::Router::<()>::new()));
/// ```
pub trait ServeService:
    tower_service::Service<
        http::Request<RequestBody>,
        Response = http::Response<Self::Body>,
        Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send,
        Future: Send,
    > + Clone
    + Send
    + 'static
{
    /// The response body.
    type Body: http_body::Body<Data = bytes::Bytes, Error: Into<Box<dyn std::error::Error + Send + Sync>>>
        + Send
        + 'static;
}

impl<S, B> ServeService for S
where
    S: tower_service::Service<http::Request<RequestBody>, Response = http::Response<B>> + Clone + Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send,
    S::Future: Send,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Body = B;
}

impl<S: ServeService> Server<S> {
    /// The address the server listens on.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let server = gateway_tower::serve("127.0.0.1:0", hello).bind().await.unwrap();
    /// assert_ne!(server.local_addr().port(), 0);
    /// # });
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The connection cap in force: the configured one
    /// ([`Serve::max_connections`](super::Serve::max_connections), 10,000 by default),
    /// lowered to what the descriptor limit allows (`RLIMIT_NOFILE`, less a reserve of an
    /// eighth of it, at least 16, for the rest of the process).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let server = gateway_tower::serve("127.0.0.1:0", hello).bind().await.unwrap();
    /// assert!((1..=gateway_tower::server::DEFAULT_MAX_CONNECTIONS).contains(&server.max_connections()));
    /// # });
    /// ```
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Accepts connections until the shutdown signal (or, in serve-once mode, the first
    /// complete response), then drains in-flight requests within the shutdown timeout. At
    /// the connection cap, each new connection waits until one is shed for it (see the
    /// [limits](super#limits)).
    /// Connections still open when it returns are dropped (their requests cancelled), so
    /// nothing of the server outlives `run()`.
    ///
    /// # Errors
    /// None today: accept errors are logged and retried, so the loop survives running out
    /// of file descriptors. The `io::Result` leaves room for fatal errors.
    ///
    /// # Examples
    /// See [`Server`].
    pub async fn run(self) -> io::Result<()> {
        let Server { listener, local_addr, make, config, max_connections, mut shutdown } = self;
        // Told once, when the server stops accepting: every connection then drains.
        let (drain, draining) = tokio::sync::watch::channel(());
        let completed = config.once.then(|| Arc::new(AtomicBool::new(false)));
        // Dropped when `run()` returns (or is dropped), which aborts every connection task
        // still running: nothing of the server outlives `run()`.
        let mut connections = tokio::task::JoinSet::new();
        let tracker = Arc::new(Tracker::default());
        let timers = CoarseTimers::start(CoarseTimers::tick_for(config.coarse_timeouts()))?;
        let limits = config.body_limits();
        let mut builder = http1::Builder::new();
        builder
            .header_read_timeout(config.header_read_timeout)
            .max_header_size(config.max_header_size)
            .max_buf_size(config.max_buffer_size)
            // A client that shuts its write side once its request is sent (`nc -N`, a
            // script with nothing more to say) still gets its answer; hyper would drop it.
            // The connection ends after that answer, and the write timeout bounds it.
            .half_close(true)
            // Serve-once: one request per connection, and one connection at a time (below).
            .keep_alive(!config.once);
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, remote_addr) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            };
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
            // At the cap, this connection waits while room is made (one connection shed for
            // it), and the next ones wait in the listen backlog.
            if completed.is_none() && !tracker.make_room(max_connections, &timers, &mut shutdown).await {
                break;
            }
            let info = ConnectionInfo { local_addr, remote_addr };
            // Each connection has a timer of its own (its slot in `timers`), dropped with it.
            let timer = timers.connection();
            let state = Arc::new(ConnectionState::new(timer.clone(), Arc::clone(&tracker), limits, completed.clone()));
            let service = ConnectionService {
                service: make(info, &config),
                info,
                proxy: config.proxy.clone().filter(|proxy| proxy.trusted().contains(remote_addr.ip())),
                access_log: config.access_log,
                state: Arc::clone(&state),
            };
            let stream = GuardedStream::new(stream, Arc::clone(&state), config.write_timeout);
            let connection = builder.clone().timer(timer).serve_connection(TokioIo::new(stream), service);
            let draining = draining.clone();
            tracker.register(Arc::clone(&state), |registration| {
                connections.spawn(async move {
                    let _registration = registration;
                    if let Err(error) = serve_until_drained(connection, &state, draining).await {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                })
            });
            if completed.is_none() {
                // Reap the connections that ended, so the set stays as large as the open ones.
                while connections.try_join_next().is_some() {}
                continue;
            }
            // Serve-once: wait for this connection before accepting another, so a connection
            // that closes without a request does not count and no second request slips in.
            tokio::select! {
                _ = connections.join_next() => {}
                () = &mut shutdown => break,
            }
            if completed.as_ref().is_some_and(|done| done.load(Ordering::Acquire)) {
                break;
            }
        }
        drop(listener);
        let _ = drain.send(());
        let drained = async { while connections.join_next().await.is_some() {} };
        if tokio::time::timeout(config.shutdown_timeout, drained).await.is_err() {
            tracing::warn!("shutdown timeout passed; dropping the connections still open");
        }
        Ok(())
    }
}

/// Logs an accept error and, when it is about resources (out of file descriptors), waits a
/// little so the loop does not spin while connections close.
async fn accept_failed(error: io::Error) {
    let transient = matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
    );
    if transient {
        tracing::debug!(%error, "accept failed");
    } else {
        tracing::error!(%error, "accept failed; pausing before the next accept");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
