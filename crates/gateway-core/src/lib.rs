//! # gateway-core: the gateway contract
//!
//! PEP 3333 (WSGI) in async Rust. An **app** is called with an **environ** (the request
//! under CGI names, plus an async input stream and typed extensions) and a
//! **start_response**, and returns a response whose body is buffered or streamed:
//!
//! ```
//! # futures_executor::block_on(async {
//! use gateway_core::{App, Environ, Input, Response, StartResponse, TEXT_PLAIN_UTF_8};
//! use http::{header::CONTENT_TYPE, StatusCode};
//!
//! async fn app(mut environ: Environ, start_response: StartResponse) -> Response {
//!     // The environ: CGI keys, computed on access.
//!     let greeting = format!("{} {}", environ.method(), environ.path_info());
//!     // The input: an already-framed body stream, read with a limit.
//!     let body = match environ.input().read_to_end(1024).await {
//!         Ok(body) => body,
//!         Err(error) => return start_response.reject(&error), // 413, 408 or 400
//!     };
//!     // start_response: status and headers, exactly once, before the body.
//!     let head = start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]);
//!     head.body(format!("{greeting} with {} bytes", body.len()))
//! }
//!
//! let (parts, ()) = http::Request::post("/submit").body(()).unwrap().into_parts();
//! let environ = Environ::new(parts, Input::from_bytes("age=10"));
//! let response = app.call(environ, StartResponse::new()).await;
//! assert_eq!(response.status(), StatusCode::OK);
//! assert_eq!(response.into_parts().1.collect().await.unwrap(), "POST /submit with 6 bytes");
//! # });
//! ```
//!
//! ## The main items
//! - [`App`]: the application callable, `async fn(Environ, StartResponse) -> Response`;
//!   [`Layer`] (middleware as an app that wraps an app), [`BoxApp`], [`OwnedCall`].
//! - [`Environ`]: the request under CGI names, a lazy view (the keys: [`Environ::get`],
//!   including why a header with `_` gets no `HTTP_` key; `SERVER_NAME`/`SERVER_PORT`:
//!   [`Environ::server_name`]; decoding: [`Environ::path_info`]).
//! - [`Input`]: the request body, already framed, bounded by one limit; [`InputError`].
//! - [`StartResponse`], [`ResponseHead`], [`Response`]: status and headers once, before the
//!   body ([`response`] holds the `compile_fail` proofs); [`Body`] (buffered or streamed,
//!   and when `Content-Length` is sent); [`IntoHeaders`].
//! - [`Rejection`] and [`status`]: every error response's status and exact text.
//! - [`CatchPanic`]: a panicking app as a 500; [`Validate`], [`check_response`],
//!   [`check_environ`], [`Violation`]: the rules the types cannot check.
//!
//! ## Who should depend on this crate
//! Authors of **servers** and **middleware**: everything here works with any executor and
//! any HTTP implementation. Apps written against it run unchanged on
//! `gateway_tower::serve`, inside an axum `Router`, and under microframe's test client.
//! App authors usually want `microframe` instead, which re-exports what it needs.
//!
//! ## Why it looks like this
//! - **The types carry the protocol.** PEP 3333 checks "start_response exactly once, before
//!   the body" at run time; here `StartResponse::start` consumes itself and returns the
//!   only value a [`Response`] is built from, so a violation does not compile (the
//!   `compile_fail` proofs are in [`response`]). What types cannot check, [`Validate`]
//!   and [`check_response`] check at run time, each rule with a name.
//! - **The environ is a view, not a dict.** A WSGI server copies every header into a dict
//!   per request; [`Environ`] keeps `http::request::Parts` and computes CGI values on
//!   lookup, borrowing where it can. Keys, names and value forms still follow PEP 3333 and
//!   CGI exactly (`HTTP_X_CUSTOM_THING`, `SCRIPT_NAME` + `PATH_INFO`, `gateway.*` for
//!   `wsgi.*`), and [`Environ::iter`] lists them all, sorted.
//! - **No runtime.** No tokio, tower, hyper or serde: `std`, `bytes`, `futures-core` and
//!   `http`'s types only. Timers, sockets and tower live in `gateway-tower`.
//! - **HEAD and framing belong to the server.** An app answers HEAD like GET; the adapter
//!   drops the body and keeps `Content-Length`. The input is already framed: reading it to
//!   the end is always safe, and one limit bounds every read.
//!
//! ## Stability
//! This is the layer servers and middleware build on, so it changes last and least: no
//! breaking change without a major version, and new items arrive as additions
//! (`#[non_exhaustive]` enums, new methods). Environ keys and status texts are part of the
//! contract and never change within a major version.

#![forbid(unsafe_code)]

mod app;
mod body;
mod catch_panic;
mod environ;
mod header_values;
mod input;
mod percent;
pub mod response;
pub mod status;
mod validate;

pub use app::{App, BoxApp, Layer, OwnedCall};
pub use body::{Body, BodyError, BodyStream};
pub use catch_panic::{CatchPanic, panic_message};
pub use environ::Environ;
pub use header_values::{TEXT_HTML_UTF_8, TEXT_PLAIN_UTF_8};
pub use input::{Input, InputError, InputStream};
pub use response::{IntoHeaders, Response, ResponseHead, StartResponse};
pub use status::Rejection;
pub use validate::{Report, Validate, ValidateLayer, Violation, check_environ, check_response, declared_length};
