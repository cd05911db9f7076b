//! Tutorial step 6: a framework grows.
//!
//! Steps 0 to 5 wrote gateway apps by hand, and every one of them would soon repeat the
//! same chores: pick the code to run from the path and the method, take values out of the
//! path and convert them, answer the paths and methods nobody handles with the right
//! status, escape user data in HTML, and build links that still work when the app is
//! mounted somewhere else. A framework is those chores written once. This step lets
//! microframe do them, Bottle style:
//!
//! | request | answer | the chore |
//! |---|---|---|
//! | `GET /` | 200 `Index` | a route |
//! | `GET /hello/bob` | 200 `Hello bob!`, the name HTML-escaped | a path parameter, a template |
//! | `GET /item/007` | 200 `Item 7` | `<id:int>` converts to `i64` |
//! | `GET /item/x`, `GET /item/99999999999999999999` | 404 `Not Found` | a failed conversion is no match |
//! | `POST /hello/bob` | 405 `Method Not Allowed`, `Allow: GET, HEAD, OPTIONS` | methods per route |
//! | `OPTIONS /hello/bob` | 204, the same `Allow` | answered for every route |
//! | `HEAD /hello/bob` | GET's headers, no body | a GET route answers HEAD |
//! | `GET /nope` | 404 `Not Found` | no route |
//! | `GET /about` | 308 to `/about/` (query kept) | the route is `/about/` |
//! | `GET /hello/bob/` | 404 | no such route: only a missing slash is redirected |
//! | `GET /blog/post/7` | `SCRIPT_NAME=/blog PATH_INFO=/post/7 url=/blog/post/7` | a sub-app mounted at `/blog` |
//!
//! Pages are `text/html; charset=utf-8`; the blog line is `text/plain`, and so are the
//! error bodies (docs/design.md §3's texts). The path is never normalised: `/hello/..` and
//! `/hello/%2e%2e` say `Hello ..!`, and `/hello/a%2Fb` says `Hello a/b!` (the router splits
//! the raw path, so `%2F` stays inside its segment).
//!
//! Run with `cargo run -p example-tiny-framework`, then try
//! `curl -i http://127.0.0.1:8051/hello/bob` and
//! `curl -i -X POST http://127.0.0.1:8051/hello/bob`.

// ANCHOR: pages
use askama::Template;
use microframe::{Environ, Html, Microframe, Path, Render, UrlError, UrlFor};

/// `templates/tiny_hello.html`: `Hello {{ name }}!`, HTML-escaped.
#[derive(Debug, Template)]
#[template(path = "tiny_hello.html")]
struct HelloPage {
    name: String,
}

async fn index() -> Html<&'static str> {
    Html("Index")
}

async fn hello(Path(name): Path<String>) -> Render<HelloPage> {
    Render(HelloPage { name })
}

async fn item(Path(id): Path<i64>) -> Html<String> {
    Html(format!("Item {id}"))
}

async fn about() -> Html<&'static str> {
    Html("About")
}
// ANCHOR_END: pages

/// The blog's one page: where it is mounted, what is left of the path, and its own URL
/// built with `url_for` (which puts the mount prefix in front). `Environ` comes last: it
/// takes the whole environ.
// ANCHOR: post
async fn post(Path(id): Path<i64>, urls: UrlFor, environ: Environ) -> Result<String, UrlError> {
    let url = urls.url_for("post", &[("id", &id.to_string())])?;
    Ok(format!("SCRIPT_NAME={} PATH_INFO={} url={url}", environ.script_name(), environ.path_info()))
}
// ANCHOR_END: post

/// The blog, a microframe app of its own: `GET /post/<id:int>` (named `post`) prints
/// where the request arrived, as plain text.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::TestClient;
///
/// // Served at the root, SCRIPT_NAME is empty and url_for has no prefix.
/// TestClient::new(example_tiny_framework::blog())
///     .get("/post/7")
///     .send()
///     .await
///     .assert_header("content-type", "text/plain; charset=utf-8")
///     .assert_body("SCRIPT_NAME= PATH_INFO=/post/7 url=/post/7");
/// # });
/// ```
// ANCHOR: blog
pub fn blog() -> Microframe {
    Microframe::new().get("/post/<id:int>", post).name("post")
}
// ANCHOR_END: blog

/// The step-6 app: the routes of the table above, and [`blog`] mounted at `/blog`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::TestClient;
///
/// let client = TestClient::new(example_tiny_framework::app());
/// client.get("/hello/%3Cb%3E").send().await.assert_status(200).assert_body("Hello &lt;b&gt;!");
/// client.get("/item/007").send().await.assert_body("Item 7");
/// client.post("/hello/bob").send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS");
/// client.get("/about?x=1").send().await.assert_status(308).assert_header("location", "/about/?x=1");
/// client.get("/blog/post/7").send().await.assert_body("SCRIPT_NAME=/blog PATH_INFO=/post/7 url=/blog/post/7");
/// # });
/// ```
// ANCHOR: app
pub fn app() -> Microframe {
    Microframe::new()
        .get("/", index)
        .get("/hello/<name>", hello)
        .get("/item/<id:int>", item)
        .get("/about/", about)
        .mount("/blog", blog())
}
// ANCHOR_END: app
