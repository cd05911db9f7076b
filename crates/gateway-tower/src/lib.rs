//! # gateway-tower: gateway apps on tower, hyper and axum
//!
//! The one crate of the project that knows tower, hyper and tokio.
//!
//! - [`GatewayService`]: any gateway [`App`](gateway_core::App) as a
//!   `tower::Service<http::Request<B>>`, so it runs on hyper and inside axum and tower-http.
//! - [`TowerApp`]: the reverse, any `tower::Service` (an axum `Router`, say) as a gateway app.
//! - [`serve`]: a ready HTTP/1.1 server on hyper-util with the timeouts, limits, graceful
//!   shutdown and access log that bare hyper and `axum::serve` lack; every timeout, size
//!   and count it enforces is in one table, [`server`'s limits](server#limits).
//! - [`AxumRouterExt`]: gateway apps in an axum `Router`, in one line.
//! - [`ProxyHeaders`]: which `X-Forwarded-*` and `Forwarded` headers to believe, from which
//!   peers (the model, every rule, and what a trusted header changes), applied by
//!   [`Serve::proxy_headers`] or, around any app, [`TrustProxyHeaders`];
//!   [`ProxyOriginals`] keeps what was there before.
//! - [`ConnectionInfo`] and [`WithConnectionInfo`]: the connection's addresses for a tower
//!   service; [`Listen`]: where `serve` listens (an inherited socket for restarts).
//!
//! Where the rules are: what a request looks like to the app, inside axum too, in
//! [`GatewayService`]; the server's limits in [`server`'s table](server#limits), its
//! access log in [`Serve::access_log`], its logging in [`Serve::log_subscriber`], the slow
//! body rule in [`RequestBody`](server::RequestBody), the connection cap in
//! [`Serve::max_connections`].
//!
//! ## Using with axum
//!
//! axum is a regular dependency (without its default features): reading its
//! `OriginalUri` is what gives a mounted app its `SCRIPT_NAME`, and one build with it is one
//! thing to test. A feature flag would save little and double the matrix.
//!
//! **At a static prefix**: the app sees `SCRIPT_NAME=/legacy`, `PATH_INFO` = the rest
//! (`""` at `/legacy` itself), so its links and redirects carry the prefix:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use gateway_core::{Environ, Response, StartResponse};
//! use gateway_tower::AxumRouterExt;
//! # use http_body_util::BodyExt;
//! # use tower::ServiceExt;
//!
//! async fn legacy(environ: Environ, start_response: StartResponse) -> Response {
//!     let text = format!("SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info());
//!     start_response.start(http::StatusCode::OK, ()).body(text)
//! }
//!
//! let router = axum::Router::new().mount_app("/legacy", legacy);
//! # let request = http::Request::get("/legacy/post/7").body(axum::body::Body::empty()).unwrap();
//! # let body = router.oneshot(request).await.unwrap().into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, "SCRIPT_NAME=/legacy PATH_INFO=/post/7"); // for GET /legacy/post/7
//! # });
//! ```
//!
//! **At a prefix with parameters**: `SCRIPT_NAME` is the *concrete* prefix, not the pattern:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! # use gateway_core::{Environ, Response, StartResponse};
//! # use gateway_tower::AxumRouterExt;
//! # use http_body_util::BodyExt;
//! # use tower::ServiceExt;
//! # async fn files(environ: Environ, start_response: StartResponse) -> Response {
//! #     let text = format!("SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info());
//! #     start_response.start(http::StatusCode::OK, ()).body(text)
//! # }
//! let router = axum::Router::new().mount_app("/users/{id}/files", files);
//! # let request = http::Request::get("/users/42/files/a.txt").body(axum::body::Body::empty()).unwrap();
//! # let body = router.oneshot(request).await.unwrap().into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, "SCRIPT_NAME=/users/42/files PATH_INFO=/a.txt"); // for GET /users/42/files/a.txt
//! # });
//! ```
//!
//! **As the fallback** (the migration path: the whole legacy app behind an axum front, new
//! routes taken over one by one); the app sees the full path and `SCRIPT_NAME` empty:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! # use gateway_core::{Environ, Response, StartResponse};
//! # use gateway_tower::AxumRouterExt;
//! # use http_body_util::BodyExt;
//! # use tower::ServiceExt;
//! # async fn legacy(environ: Environ, start_response: StartResponse) -> Response {
//! #     let text = format!("SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info());
//! #     start_response.start(http::StatusCode::OK, ()).body(text)
//! # }
//! let router = axum::Router::new()
//!     .route("/", axum::routing::get(|| async { "axum root" }))
//!     .fallback_app(legacy);
//! # let request = http::Request::get("/old/page").body(axum::body::Body::empty()).unwrap();
//! # let body = router.oneshot(request).await.unwrap().into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, "SCRIPT_NAME= PATH_INFO=/old/page"); // for GET /old/page
//! # });
//! ```
//!
//! Serve such a router with [`serve_service`] to keep this crate's server defaults.
//!
//! ## Why it looks like this
//! - **One adapter, named for its direction** (hyper-util's `TowerToHyperService`):
//!   `GatewayService` turns apps into services, `TowerApp` services into apps.
//! - **The server fixes what the anchors get wrong** (docs/design.md §4, server
//!   defaults): timeouts that fire, `TCP_NODELAY`, the `Host` rule, a body-read timeout and
//!   a minimum body rate, a write timeout, bounded buffers, a connection cap that sheds idle
//!   connections first, bounded shutdown; each is a test over a real socket in `tests/`.
//! - **Panics are contained per request**: a panicking app is a 500 and the connection
//!   stays usable.
#![forbid(unsafe_code)]

mod axum_mount;
mod body;
mod connection_info;
mod input;
mod proxy;
pub mod server;
mod service;
mod tower_app;

pub use axum_mount::AxumRouterExt;
pub use body::ResponseBody;
pub use connection_info::{ConnectionInfo, UrlScheme, WithConnectionInfo};
pub use proxy::{
    Forwarded, ForwardedPrefix, PeerSetError, ProxyHeaders, ProxyOriginals, TrustProxyHeaders, TrustedPeers,
};
pub use server::{Listen, Serve, Server, serve, serve_service};
pub use service::{DEFAULT_BODY_READ_TIMEOUT, GatewayService, ResponseFuture};
pub use tower_app::{InputBody, TowerApp};
