//! # microframe
//!
//! Bottle's ease on axum's types, standing on the gateway contract (`gateway-core`): routes
//! with Bottle patterns, handlers as async functions of extractors, query and form parsing,
//! askama templates, error pages, and an in-process test client.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use microframe::{Microframe, Path, TestClient};
//!
//! async fn hello(Path(name): Path<String>) -> String {
//!     format!("Hello {name}!")
//! }
//!
//! let app = Microframe::new().get("/hello/<name>", hello);
//! // Serve it with `gateway_tower::serve("127.0.0.1:8051", app).await`, or test it in process:
//! let client = TestClient::new(app);
//! client.get("/hello/bob").send().await.assert_status(200).assert_body("Hello bob!");
//! client.post("/hello/bob").send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS");
//! client.get("/nope").send().await.assert_status(404).assert_body("Not Found");
//! # });
//! ```
//!
//! ## Layers
//! Every concern is a layer: a gateway app that wraps a gateway app, usable alone around
//! any app (a plain `async fn(Environ, StartResponse)` included) and removable.
//!
//! | layer | does |
//! |---|---|
//! | [`ErrorPages`] | catches panics (500), renders error statuses with handlers, keeps the status |
//! | [`BodyLimit`] | one limit on every body read: 413 before reading a too-large declared body, or when a streamed one passes it |
//! | [`Router`] | Bottle patterns, 404/405/OPTIONS/HEAD, the trailing-slash 308, mounts, `url_for` |
//! | [`ParseQuery`] / [`ParseForm`] | parse the query / the urlencoded body once into a cached [`MultiDict`] |
//!
//! [`Microframe`] composes them: `ErrorPages(BodyLimit(Router(handlers)))`, outermost
//! first; see its docs for the onion.
//!
//! ## Why it looks like this
//! - **The gateway underneath.** A `Microframe` is a gateway `App`, so it runs on any
//!   gateway server, inside axum (through `gateway_tower::GatewayService`), and mounted in
//!   other apps, where `SCRIPT_NAME` tells it its prefix: `url_for` and redirects include
//!   the prefix, which axum's `nest_service` cannot give a service (axum#1731).
//! - **Statuses are a contract.** Every refusal is a type in [`rejection`] with a stable
//!   status and body text (design §3), tested to the byte.
//! - **Conversion failures fall through.** `<id:int>` that does not parse is "no match"
//!   (404 in the end), as in Bottle and Flask, not axum's 400.
#![forbid(unsafe_code)]

// Lets askama's generated code name `::microframe::HtmlEntities` inside this crate too.
extern crate self as microframe;

mod app;
mod body_limit;
mod error_pages;
mod extract;
mod handler;
mod multidict;
pub mod rejection;
mod response;
mod router;
mod test_client;

pub use app::Microframe;
pub use body_limit::{BodyLimit, BodyLimitLayer, DEFAULT_BODY_LIMIT};
pub use error_pages::{ErrorPages, ErrorStatus};
pub use extract::{
    Form, FromEnviron, FromParam, FromParams, Params, ParseForm, ParseFormLayer, ParseQuery, ParseQueryLayer, Path,
    Query,
};
pub use handler::{Handler, HandlerApp};
pub use multidict::MultiDict;
pub use response::{Html, HtmlEntities, IntoResponse, Redirect, Render};
pub use router::{Converter, Routed, Router, UrlError, UrlFor};
pub use test_client::{TestClient, TestRequest, TestResponse};

pub use gateway_core::{App, Environ, Response, StartResponse};

/// The README's code, compiled as a doc test so it cannot drift from the API.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
