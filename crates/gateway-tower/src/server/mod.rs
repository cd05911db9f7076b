//! `serve`: a ready HTTP/1.1 server on hyper and hyper-util.
//!
//! Every default fixes a weakness of bare hyper or `axum::serve`, measured (docs/design.md
//! §4), and each is held by a test over a real socket in `tests/integration/` (`timeouts`,
//! `limits`, and `abuse` for a client that misbehaves on purpose).
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::time::Duration;
//! use gateway_core::{Environ, Response, StartResponse};
//!
//! async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
//!     start_response.start(http::StatusCode::OK, ()).body("Hello world!")
//! }
//! let server = gateway_tower::serve("127.0.0.1:0", hello)
//!     .header_read_timeout(Duration::from_secs(5)) // every limit has a setter: see the table
//!     .max_connections(100)
//!     .access_log(false)
//!     .with_graceful_shutdown(async {}) // stop at once
//!     .bind()
//!     .await
//!     .unwrap();
//! assert_eq!(server.max_connections(), 100);
//! server.run().await.unwrap();
//! # });
//! ```
//!
//! # Limits
//!
//! Every timeout, size and count of [`serve`] and [`serve_service`], in one place (the
//! guide's "Serving" chapter includes this table from `limits.md`):
//!
#![doc = include_str!("limits.md")]
//!
//! Why these values: the minimum rate is Apache's (`mod_reqtimeout`, `body=20,MinRate=500`:
//! 20 s, then one more second per 500 bytes); the grace is the header timeout's 10 s, as
//! only time spent *waiting* counts here (an app that reads its body slowly, or late, is
//! never the client's fault), and the write timeout is the body's 30 s (nginx's
//! `send_timeout` and `client_body_timeout` are 60 s). The buffer bound is hyper's own
//! (`max_buf_size`), which bounds both directions, so no second buffer is built: hyper's
//! default of about 408 KiB lets the read buffer reach 1 MiB (its capacity doubles, and a
//! read fills it; measured in `tests/integration/abuse/buffers.rs`), so 256 KiB keeps the
//! whole connection near 1 MiB while an upload is still read in chunks of up to 512 KiB. The
//! connection cap keeps the server from running out of descriptors, where `accept` fails
//! and every new client waits; shedding idle connections first costs clients nothing but a
//! reconnect, and a partial head older than a second is what slowloris sends.
//!
//! # The rest of the defaults
//!
//! Every accepted socket gets `TCP_NODELAY`; hyper gets a real timer, so its header
//! timeout fires. The HTTP/1 builder is used, not the auto builder, whose protocol sniffing
//! has no timeout. An access-log line in Common Log Format goes to stderr per request that
//! reaches the service (see [`Serve::access_log`]), and `Listening on http://ADDR/` is printed on start. A program that
//! installed no `tracing` subscriber gets one on stderr at WARN, so that the cause of a 500
//! is seen (see [`Serve::log_subscriber`]).
//!
//! # Every core, several processes, restarts
//!
//! `serve` runs on the tokio runtime it is awaited in, and `#[tokio::main]`'s multi-thread
//! runtime starts one worker thread per CPU the process may run on (its CPU affinity mask,
//! so `taskset -c 0,1` or a container's `cpuset` limit it too); connections are spread over
//! the workers. To pin or limit it there is no knob here: set `TOKIO_WORKER_THREADS=N`,
//! run under `taskset`, or build the runtime yourself
//! (`tokio::runtime::Builder::new_multi_thread().worker_threads(n)`).
//!
//! Several processes (a blue/green pair, one per NUMA node, a restart) share a port in
//! one of two ways:
//! - an **inherited socket** ([`Listen::inherited_or`]): systemd (`ListenStream=` in a
//!   `.socket` unit) or `systemfd` holds the listening socket and passes it as `LISTEN_FDS`;
//!   every process accepts from the one queue, and a process that stops (SIGTERM: it stops
//!   accepting, drains, exits) leaves the queue to the others. This is what a graceful
//!   restart uses: start the new process on the socket, then SIGTERM the old one, and no
//!   client sees an error (tested with the guestbook under load);
//! - [`Serve::reuse_port`]: each process binds its own socket with `SO_REUSEPORT` and the
//!   kernel spreads new connections over them. When one of those sockets closes, Linux
//!   resets the connections still waiting on it (unless `net.ipv4.tcp_migrate_req=1`), so
//!   it suits processes that run side by side, not restarts.
//!
//! How the abuse limits are built, each in its own file: the write timeout wraps the
//! accepted socket (`stream.rs`); the body's rate and progress are checked by
//! [`RequestBody`] around hyper's body, in the connection's service, so `serve_service`
//! (an axum `Router`) is covered as well as `serve`; the cap follows each connection's
//! phase (`state.rs`: idle, reading a head, busy) with a few relaxed atomic stores per
//! request, since hyper exposes no idle state, and sheds from the accept loop (`shed.rs`).
//! All their timers are the connections' coarse ones (`timer.rs`): no tokio timer, lock or
//! allocation per request.

mod access_log;
mod builder;
mod config;
mod connection;
mod drain;
mod either_body;
mod limits;
mod listen;
mod logging;
mod request_body;
mod run;
mod shed;
mod shutdown;
mod slab;
mod state;
mod stream;
mod timer;

use std::sync::Arc;

use gateway_core::App;

pub use builder::Serve;
pub use drain::NEW_CONNECTION_GRACE;
pub use limits::{
    DEFAULT_BODY_RATE_GRACE, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_LISTEN_BACKLOG, DEFAULT_MAX_BUFFER_SIZE,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MIN_BODY_RATE, DEFAULT_SHUTDOWN_TIMEOUT,
    DEFAULT_WRITE_TIMEOUT,
};
pub use listen::Listen;
pub use request_body::RequestBody;
pub(crate) use request_body::TooSlow;
pub use run::{ServeService, Server};
pub use shed::SHED_HEADS_AFTER;

use crate::{ConnectionInfo, GatewayService, WithConnectionInfo};
use config::Config;

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
    // The app's input applies the body-read timeout itself (and tells the app it timed out).
    Serve::new(listen.into(), true, move |info, config| {
        service.on_connection(info).run_once(config.once).body_read_timeout(config.body_read_timeout)
    })
}

/// Serves any tower service (an axum `Router`, an app in tower-http layers) with the same
/// server and the same [limits](self#limits); each request carries a [`ConnectionInfo`]
/// extension, and its body is a [`RequestBody`].
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
    Serve::new(listen.into(), false, move |info, _| WithConnectionInfo::new(service.clone(), info))
}

type MakeService<S> = Arc<dyn Fn(ConnectionInfo, &Config) -> S + Send + Sync>;
