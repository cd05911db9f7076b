//! # gateway-tower: gateway apps on tower and hyper
//!
//! The one crate of the project that knows tower, hyper and tokio.
//!
//! - [`GatewayService`]: any gateway [`App`](gateway_core::App) as a
//!   `tower::Service<http::Request<B>>`, so it runs on hyper and mounts in axum.
//! - [`TowerApp`]: the reverse, any `tower::Service` (an axum `Router`, say) as a gateway app.
//! - [`serve`]: a ready HTTP/1.1 server on hyper-util with the timeouts, limits, graceful
//!   shutdown and access log that the design asks of it.
#![forbid(unsafe_code)]

mod axum_mount;
mod body;
mod connection_info;
mod input;
pub mod server;
mod service;
mod tower_app;

pub use axum_mount::AxumRouterExt;
pub use body::ResponseBody;
pub use connection_info::{ConnectionInfo, WithConnectionInfo};
pub use server::{Listen, Serve, Server, serve, serve_service};
pub use service::{DEFAULT_BODY_READ_TIMEOUT, GatewayService, ResponseFuture};
pub use tower_app::{InputBody, TowerApp};

/// The README's code, compiled as a doc test so it cannot drift from the API.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
