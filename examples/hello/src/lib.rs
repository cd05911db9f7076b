//! Tutorial step 7: the framework, as users write it.
//!
//! The whole app is three routes, each an async function of the values it needs
//! (extractors) returning what it answers:
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | a page with a GET form: a text input `name`, sent to the greet route |
//! | `GET /greet?name=bob` | 303 See Other to `/hello/bob` |
//! | `GET /greet`, `GET /greet?name=`, `GET /greet?name=%20` | 303 back to the form, `/` |
//! | `GET /hello/bob` | a page saying `Hello bob!` |
//!
//! What the framework does for it:
//! - **Templates escape.** Pages are askama templates (`templates/hello_index.html`,
//!   `templates/hello_greeting.html`) rendered with [`Render`]: every value is HTML-escaped,
//!   so `/hello/%3Cb%3Ebob%3C%2Fb%3E` shows `Hello &lt;b&gt;bob&lt;/b&gt;!`, never markup.
//! - **URLs come from route names.** The form's `action`, the redirects and the link back
//!   are built with [`UrlFor`], which percent-encodes what it fills in (`a b` →
//!   `/hello/a%20b`, `x/y` → `/hello/x%2Fy`, which the hello page shows as `Hello x/y!`) and
//!   puts the app's mount prefix in front. Nothing is hard-coded, so the app works
//!   unchanged when mounted under a prefix: at `/legacy` its form posts to `/legacy/greet`,
//!   which redirects to `/legacy/hello/bob`, and `/legacy` itself gets a 308 to `/legacy/`.
//! - **The query is typed.** `/greet` reads `name` with [`Query<T>`](microframe::Query)
//!   into an `Option<String>`; a name that is missing, empty or only whitespace sends the
//!   visitor back to the form (any other name is used as it is, spaces included). A
//!   query that does not fit, such as `name` given twice, is docs/design.md §3's 400
//!   `Failed to deserialize query string: name: ...`.
//!
//! One limit no server can lift: the name `..` (or `.`) makes a dot-segment,
//! `/hello/..`, which browsers and `curl` remove before sending (RFC 3986 §5.2.4; the
//! WHATWG URL standard treats `%2e%2e` the same), so such a visitor lands on `/` instead.
//! The app itself never normalises: `/hello/..` sent as it is says `Hello ..!`.
//!
//! Run with `cargo run -p example-hello`, then open <http://127.0.0.1:8051/> or try
//! `curl -i 'http://127.0.0.1:8051/greet?name=bob'`.

// ANCHOR: types
use askama::Template;
use microframe::{Microframe, Path, Query, Redirect, Render, UrlError, UrlFor};
use serde::Deserialize;

/// `templates/hello_index.html`: the form, sent with GET to `action`.
#[derive(Debug, Template)]
#[template(path = "hello_index.html")]
struct IndexPage {
    action: String,
}

/// `templates/hello_greeting.html`: `Hello {{ name }}!` and a link `back` to the form.
#[derive(Debug, Template)]
#[template(path = "hello_greeting.html")]
struct GreetingPage {
    name: String,
    back: String,
}

/// The greet route's query: `?name=...`, which may be missing.
#[derive(Debug, Deserialize)]
struct Greet {
    name: Option<String>,
}
// ANCHOR_END: types

// ANCHOR: handlers
async fn index(urls: UrlFor) -> Result<Render<IndexPage>, UrlError> {
    Ok(Render(IndexPage { action: urls.url_for("greet", &[])? }))
}

async fn greet(Query(greet): Query<Greet>, urls: UrlFor) -> Result<Redirect, UrlError> {
    let location = match greet.name.as_deref() {
        Some(name) if !name.trim().is_empty() => urls.url_for("hello", &[("name", name)])?,
        _ => urls.url_for("index", &[])?,
    };
    Ok(Redirect::to(location))
}

async fn hello(Path(name): Path<String>, urls: UrlFor) -> Result<Render<GreetingPage>, UrlError> {
    Ok(Render(GreetingPage { name, back: urls.url_for("index", &[])? }))
}
// ANCHOR_END: handlers

/// The step-7 app: the routes `index` (`/`), `greet` (`/greet`) and `hello`
/// (`/hello/<name>`), named for `url_for`. Serve it, test it, or mount it in another app.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, TestClient};
///
/// let client = TestClient::new(example_hello::app());
/// client.get("/").send().await.assert_status(200).assert_body_contains(r#"action="/greet""#);
/// client.get("/greet?name=a+b").send().await.assert_status(303).assert_header("location", "/hello/a%20b");
/// client.get("/greet?name=").send().await.assert_status(303).assert_header("location", "/");
/// client.get("/hello/%3Cb%3Ebob%3C%2Fb%3E").send().await.assert_body_contains("Hello &lt;b&gt;bob&lt;/b&gt;!");
///
/// // Mounted under a prefix, every URL it builds carries the prefix.
/// let client = TestClient::new(Microframe::new().mount("/legacy", example_hello::app()));
/// client.get("/legacy/").send().await.assert_body_contains(r#"action="/legacy/greet""#);
/// client.get("/legacy/greet?name=bob").send().await.assert_header("location", "/legacy/hello/bob");
/// # });
/// ```
// ANCHOR: app
pub fn app() -> Microframe {
    Microframe::new()
        .get("/", index)
        .name("index")
        .get("/greet", greet)
        .name("greet")
        .get("/hello/<name>", hello)
        .name("hello")
}
// ANCHOR_END: app
