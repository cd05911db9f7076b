//! # microframe
//!
//! Bottle's ease on axum's types, standing on the gateway contract (`gateway-core`): routes
//! with Bottle patterns, handlers as async functions of extractors, app state, query, form
//! and JSON parsing, askama templates, error pages, and an in-process test client.
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
//! ## Getting started
//! The crates are not on crates.io yet: clone the repository next to your app and point the
//! app's `Cargo.toml` at the clone with path dependencies (here the clone is
//! `../microframe`):
//!
//! ```toml
//! [dependencies]
//! microframe = { path = "../microframe/crates/microframe" }
//! gateway-tower = { path = "../microframe/crates/gateway-tower" } # the server: `serve`
//! tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
//! http = "1"                                                      # `StatusCode`, `Method`, headers
//! askama = { version = "0.16", default-features = false, features = ["config", "derive", "std"] }
//! serde = { version = "1", features = ["derive"] }                # typed forms, queries and JSON
//! ```
//!
//! Templates need one more file, `askama.toml`, next to the app's `Cargo.toml`. It selects
//! [`HtmlEntities`] as the escaper of HTML templates (why: its docs) and says where the
//! templates are. This is `examples/hello/askama.toml`:
//!
//! ```toml
//! [general]
//! dirs = ["../../templates"]
//!
//! [[escaper]]
//! path = "::microframe::HtmlEntities"
//! extensions = ["html", "htm", "xml", "svg"]
//! ```
//!
//! `dirs` is relative to that file (the crate's root, where askama looks for it): the
//! example finds the repository's `templates/` two levels up. An app that keeps its
//! templates in `templates/` next to its `Cargo.toml` writes `dirs = ["templates"]`.
//!
//! Then `src/main.rs`:
//!
//! ```no_run
//! use askama::Template;
//! use microframe::{Microframe, Path, Render};
//!
//! #[derive(Template)]
//! #[template(ext = "html", source = "<h1>Hello {{ name }}!</h1>")] // or `path = "hello.html"`, under `dirs`
//! struct Hello {
//!     name: String,
//! }
//!
//! async fn hello(Path(name): Path<String>) -> Render<Hello> {
//!     Render(Hello { name })
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let app = Microframe::new().get("/hello/<name>", hello);
//!     gateway_tower::serve("127.0.0.1:8051", app).await
//! }
//! ```
//!
//! `cargo run`, then open <http://127.0.0.1:8051/hello/world>. The guide
//! (`docs/guide/`) builds the framework up from the gateway contract, one step per example.
//!
//! ## Building an app
//! A small guestbook: app **state** shared by the handlers, a **JSON** API, and a form that
//! is **re-rendered with its errors** (a `Result` extractor hands the refusal to the
//! handler, with the values the user typed) or redirects once it is good.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::sync::{Arc, Mutex};
//!
//! use askama::Template;
//! use http::StatusCode;
//! use microframe::rejection::FormRejection;
//! use microframe::{Either, Form, Json, Microframe, Redirect, Render, State, TestClient, UrlFor};
//!
//! /// The app's state: registered once with `.state(..)`, cloned into each handler.
//! #[derive(Clone, Default)]
//! struct Book(Arc<Mutex<Vec<Entry>>>);
//!
//! #[derive(Clone, serde::Serialize)]
//! struct Entry { name: String, stars: u8 }
//!
//! #[derive(serde::Deserialize)]
//! struct Signing { name: String, stars: u8 }
//!
//! #[derive(Template)]
//! #[template(ext = "html", source = "<form method=post><input name=name value=\"{{ name }}\">\
//!     {% if let Some(error) = error %}<p class=error>{{ error }}</p>{% endif %}</form>")]
//! struct SignPage { name: String, error: Option<String> }
//!
//! async fn form() -> Render<SignPage> {
//!     Render(SignPage { name: String::new(), error: None })
//! }
//!
//! async fn sign(
//!     State(book): State<Book>,
//!     urls: UrlFor,
//!     signing: Result<Form<Signing>, FormRejection>,
//! ) -> Either<Redirect, (StatusCode, Render<SignPage>)> {
//!     let again = |name: &str, error: String| {
//!         Either::Right((StatusCode::UNPROCESSABLE_ENTITY, Render(SignPage { name: name.to_owned(), error: Some(error) })))
//!     };
//!     match signing {
//!         Ok(Form(signing)) if signing.name.trim().is_empty() => again("", "Your name, please.".to_owned()),
//!         Ok(Form(signing)) => {
//!             book.0.lock().unwrap().push(Entry { name: signing.name, stars: signing.stars });
//!             Either::Left(Redirect::to(urls.url_for("entries", &[]).unwrap_or_default()))
//!         }
//!         Err(FormRejection::Deserialize(error)) => {
//!             let typed = error.values().get("name").unwrap_or_default();
//!             again(typed, format!("{}: {}", error.field().unwrap_or("form"), error.reason()))
//!         }
//!         Err(other) => again("", other.to_string()),
//!     }
//! }
//!
//! async fn entries(State(book): State<Book>) -> Json<Vec<Entry>> {
//!     Json(book.0.lock().unwrap().clone())
//! }
//!
//! let app = Microframe::new()
//!     .state(Book::default())
//!     .get("/", form)
//!     .post("/", sign)
//!     .get("/api/entries", entries)
//!     .name("entries");
//!
//! let client = TestClient::new(app);
//! client.post("/").form(&[("name", "<b>ann</b>"), ("stars", "lots")]).send().await
//!     .assert_status(422)
//!     .assert_body_contains("value=\"&lt;b&gt;ann&lt;/b&gt;\"") // what she typed, escaped
//!     .assert_body_contains("<p class=error>stars: invalid digit found in string</p>");
//! client.post("/").form(&[("name", "ann"), ("stars", "5")]).send().await
//!     .assert_status(303)
//!     .assert_header("location", "/api/entries");
//! client.get("/api/entries").send().await
//!     .assert_header("content-type", "application/json")
//!     .assert_body(r#"[{"name":"ann","stars":5}]"#);
//! # });
//! ```
//!
//! A sign-in that remembers the user in the **session** and says so once with a **flash**
//! message after the redirect; a form posted from another site is refused (**cross-site
//! protection** is on by default). The test client keeps cookies as a browser does.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use microframe::{Flash, Form, Microframe, Redirect, Session, TestClient};
//!
//! #[derive(serde::Deserialize)]
//! struct SignIn { name: String }
//!
//! async fn sign_in(session: Session, flash: Flash, Form(form): Form<SignIn>) -> Redirect {
//!     session.insert("user", &form.name).unwrap();
//!     flash.push("success", format!("Welcome, {}!", form.name));
//!     Redirect::to("/")
//! }
//!
//! async fn home(session: Session, flash: Flash) -> String {
//!     let news: Vec<String> = flash.take().into_iter().map(|m| format!("[{}] ", m.message)).collect();
//!     match session.get::<String>("user") {
//!         Some(user) => format!("{}Signed in as {user}.", news.concat()),
//!         None => "Please sign in.".to_owned(),
//!     }
//! }
//!
//! let app = Microframe::new()
//!     .secret_key(*b"at least 32 bytes of random key material!")
//!     .get("/", home)
//!     .post("/sign-in", sign_in);
//! let client = TestClient::new(app);
//! client.get("/").send().await.assert_body("Please sign in.");
//! client.post("/sign-in").form(&[("name", "ann")]).follow_redirects().send().await
//!     .assert_body("[Welcome, ann!] Signed in as ann.");
//! client.get("/").send().await.assert_body("Signed in as ann."); // the flash is shown once
//! client.post("/sign-in").header("origin", "https://evil.example").form(&[("name", "eve")]).send().await
//!     .assert_status(403)
//!     .assert_body("Forbidden");
//! # });
//! ```
//!
//! ## Where the rules are
//! Each rule is in the docs of the item it is about:
//! - **What a handler may take and return**: [`Handler`]; [`FromEnviron`] (the extractors,
//!   the order they run in, what a failure does), [`FromEnvironLast`] (why `Environ` and
//!   [`Multipart`] come last), [`OptionalFromEnviron`] (what `Option<E>` and `Result<E, _>`
//!   mean); [`IntoResponse`] (every return type, with its status and `Content-Type`).
//! - **Routes**: [`Router`] (patterns and converters, first match, 404/405/OPTIONS/HEAD, the
//!   trailing-slash 308, mounts), [`Converter`], [`UrlFor`], [`Microframe::mount`].
//! - **Input**: [`Query`], [`Form`] ([`MAX_FORM_FIELDS`]), [`Json`] (its statuses and
//!   texts), [`MultiDict`] (the first value wins), [`Multipart`] (streaming and its caps),
//!   [`Path`], [`Params`], [`State`] (by type; a mounted app sees its own first),
//!   [`BodyLimit`] (one limit on every body read).
//! - **Responses**: [`Render`] (escaping; a template that fails to render is a 500),
//!   [`HtmlEntities`] (the `askama.toml` escaper), [`Html`], [`Redirect`], [`Abort`],
//!   [`Either`].
//! - **Errors**: [`ErrorPages`] (what an error page renders and keeps: the framework's
//!   refusals and the handlers' aborts, never a page a handler built),
//!   [`Microframe::error_handler`], [`rejection`] (every refusal's status and text),
//!   [`Microframe::debug`].
//! - **Cookies, sessions and cross-site requests**: [`Cookies`] (one jar per request, the
//!   defaults), [`SignedCookies`], [`PrivateCookies`], [`Microframe::secret_key`],
//!   [`Session`] (what opens, what is an empty session, the 4 KiB), [`Flash`],
//!   [`Microframe::cross_site_protection`] (on by default: what passes, what is a 403).
//! - **Static files**: [`StaticFiles`] (which paths name a file, validators, ranges,
//!   headers), [`Microframe::static_files`].
//! - **Tests**: [`TestClient`] (what it shares with the server, its cookie jar),
//!   [`MultipartForm`].
//!
//! A 500's cause is logged at ERROR through `tracing`, never sent; `gateway_tower::serve`
//! installs a stderr subscriber when the program has none, so it is seen.
//!
//! ## Layers
//! Every concern is a layer: a gateway app that wraps a gateway app, usable alone around
//! any app (a plain `async fn(Environ, StartResponse)` included) and removable.
//!
//! | layer | does |
//! |---|---|
//! | [`ErrorPages`] | catches panics (500), renders refusals and aborts with handlers (never a page a handler built), keeps the status |
//! | [`BodyLimit`] | one limit on every body read: 413 before reading a too-large declared body, or when a streamed one passes it |
//! | [`Router`] | Bottle patterns, 404/405/OPTIONS/HEAD, the trailing-slash 308, mounts, `url_for` |
//! | [`ParseQuery`] / [`ParseForm`] | parse the query / the urlencoded body once into a cached [`MultiDict`] |
//!
//! [`Microframe`] composes them: `ErrorPages(BodyLimit(Router(handlers)))`, outermost
//! first, with its debug pages ([`Microframe::debug`], off by default) between `ErrorPages`
//! and `BodyLimit`; see its docs for the onion.
//!
//! ## Why it looks like this
//! - **The gateway underneath.** A `Microframe` is a gateway `App`, so it runs on any
//!   gateway server, inside axum (through `gateway_tower::GatewayService`), and mounted in
//!   other apps, where `SCRIPT_NAME` tells it its prefix: `url_for` and redirects include
//!   the prefix, which axum's `nest_service` cannot give a service (axum#1731).
//! - **Statuses are a contract.** Every refusal is a type in [`rejection`] with a stable
//!   status and body text (docs/design.md §3), tested to the byte.
//! - **Conversion failures fall through.** `<id:int>` that does not parse is "no match"
//!   (404 in the end), as in Bottle and Flask, not axum's 400.
#![forbid(unsafe_code)]

// Lets askama's generated code name `::microframe::HtmlEntities` inside this crate too.
extern crate self as microframe;

mod app;
mod body_limit;
mod cookies;
mod cross_site;
mod debug_page;
mod error_pages;
mod extract;
mod handler;
mod multidict;
pub mod rejection;
mod response;
mod router;
mod session;
mod static_files;
mod test_client;

pub use app::Microframe;
pub use body_limit::{BodyLimit, BodyLimitLayer, DEFAULT_BODY_LIMIT};
/// The `cookie` crate, whose [`Cookie`] builds cookies with attributes for [`Cookies::add`].
pub use cookie;
pub use cookie::{Cookie, SameSite};
pub use cookies::{CookieError, Cookies, MIN_SECRET_KEY_LEN, PrivateCookies, SignedCookies};
pub use error_pages::{ErrorPages, ErrorStatus};
pub use extract::{
    Form, FromEnviron, FromEnvironLast, FromParam, FromParams, Json, MAX_FORM_FIELDS, MAX_MULTIPART_FIELD_MEMORY,
    MAX_MULTIPART_PARTS, Multipart, MultipartField, OptionalFromEnviron, Params, ParseForm, ParseFormLayer, ParseQuery,
    ParseQueryLayer, Path, Query, State,
};
pub use handler::{Handler, HandlerApp};
/// Checks a handler's arguments, its return type and its future one by one, so that a
/// compile error names the one at fault instead of saying that the whole function "is not a
/// handler" (the compiler cannot tell which argument broke which impl). It changes nothing
/// at run time; put it on a handler while a signature does not compile, or keep it there.
///
/// What it reports, each on the argument (or return type, or `.await`) at fault:
/// - an argument that is not an extractor, such as `Arc<Db>` (shared values are `State<T>`)
///   or a type of your own without a `FromEnviron` impl;
/// - a route parameter type no converter gives (`Path<u32>`: `<x:int>` gives `i64`);
/// - a return type that is not a response (`serde_json::Value`: return `Json(value)`);
/// - a future that is not `Send` (a `MutexGuard` held across an `.await`), which the
///   server's worker threads need.
///
/// The five mistakes are pinned, message and all, by the UI tests in
/// `crates/microframe/tests/ui/`.
///
/// # Examples
/// ```
/// use microframe::{Microframe, Path, debug_handler};
///
/// #[debug_handler]
/// async fn hello(Path(name): Path<String>) -> String {
///     format!("Hello {name}!")
/// }
/// let _app = Microframe::new().get("/hello/<name>", hello);
/// ```
///
/// ```compile_fail,E0277
/// use std::sync::Arc;
/// # struct Db;
/// // error: `Arc<Db>` cannot be taken as a handler argument (on `Arc<Db>`)
/// #[microframe::debug_handler]
/// async fn page(db: Arc<Db>) -> &'static str { "page" }
/// ```
#[doc(inline)]
pub use microframe_macros::debug_handler;
pub use multidict::MultiDict;
pub use response::{Abort, Either, Html, HtmlEntities, IntoResponse, IntoResponseHeaders, Redirect, Render};
pub use router::{Converter, Routed, Router, UrlError, UrlFor};
pub use session::{Flash, FlashMessage, MAX_COOKIE_SIZE, MAX_FLASHES, SESSION_COOKIE, Session};
pub use static_files::StaticFiles;
pub use test_client::{MultipartForm, TestClient, TestRequest, TestResponse};

pub use gateway_core::{App, Environ, Response, StartResponse};

/// The README's code, compiled as a doc test so it cannot drift from the API.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
