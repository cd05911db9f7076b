//! Interop: gateway apps inside an axum `Router`, the way an existing axum service adopts
//! them.
//!
//! - `GET /` is axum's own route (`axum root`);
//! - the tutorial's `hello` app (step 7), plus a route `/env` that prints the environ, is
//!   mounted at `/legacy`: it sees `SCRIPT_NAME=/legacy`, so its `url_for` links and
//!   redirects carry the prefix (`/legacy/greet?name=bob` → 303 to `/legacy/hello/bob`,
//!   `/legacy` → 308 to `/legacy/`);
//! - the guestbook (`examples/guestbook`) is mounted at `/guestbook`: its links, form
//!   action, redirects, stylesheet, photo URLs, `Location` headers and its session cookie's
//!   `Path` all carry the prefix, from the same `SCRIPT_NAME` (it reads its settings from
//!   the `GUESTBOOK_*` variables, as when it runs alone); behind a proxy named in
//!   `FORWARDED_ALLOW_IPS`, the gateway layer `TrustProxyHeaders` around it reads the
//!   proxy's headers (axum's own routes see them untouched);
//! - the step-1 `environ` app is the router's fallback, the migration pattern: everything
//!   axum does not route yet goes to the legacy app, with `SCRIPT_NAME` empty.
//!
//! The router is served with `gateway_tower::serve_service`, so the server's defaults
//! (timeouts, `Host` rule, access log) hold.
//!
//! Run with `cargo run -p example-with-axum`, then try
//! `curl -i http://127.0.0.1:8051/legacy/greet?name=bob` and
//! `curl http://127.0.0.1:8051/old/page`.

use gateway_core::{App, Environ};
use gateway_tower::AxumRouterExt;
use microframe::Microframe;

/// The hello app of step 7 with a route `/env` printing the environ like step 1.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let client = microframe::TestClient::new(example_with_axum::legacy_app());
/// client.get("/env").send().await.assert_body_contains("SCRIPT_NAME: \n");
/// # });
/// ```
// ANCHOR: legacy
pub fn legacy_app() -> Microframe {
    example_hello::app().get("/env", env)
}

async fn env(environ: Environ) -> String {
    example_environ::dump(&environ)
}
// ANCHOR_END: legacy

/// The axum router: its own `/`, `mounted` at `/legacy`, `guestbook` at `/guestbook`,
/// `fallback` for the rest.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// let router = example_with_axum::router_of(example_with_axum::legacy_app(), example_environ::app, example_environ::app);
/// let request = http::Request::get("/").body(axum::body::Body::empty()).unwrap();
/// let response = router.oneshot(request).await.unwrap();
/// assert_eq!(response.into_body().collect().await.unwrap().to_bytes(), "axum root");
/// # });
/// ```
// ANCHOR: router_of
pub fn router_of(mounted: impl App, guestbook: impl App, fallback: impl App) -> axum::Router {
    axum::Router::new()
        .route("/", axum::routing::get(|| async { "axum root" }))
        .mount_app("/legacy", mounted)
        .mount_app("/guestbook", guestbook)
        .fallback_app(fallback)
}
// ANCHOR_END: router_of

/// The example's router, as `main` serves it, with the guestbook on the database and key
/// of `guestbook`.
///
/// # Errors
/// When the guestbook's database cannot be opened.
///
/// # Examples
/// ```no_run
/// # async fn run() -> Result<(), example_guestbook::ServerError> {
/// let config = example_guestbook::Config::from_env().expect("valid GUESTBOOK_* settings");
/// let _router = example_with_axum::router(&config).await?;
/// # Ok(()) }
/// ```
// ANCHOR: router
pub async fn router(guestbook: &example_guestbook::Config) -> Result<axum::Router, example_guestbook::ServerError> {
    // Without FORWARDED_ALLOW_IPS the layer trusts no peer and changes nothing.
    let proxy = guestbook.proxy.clone().unwrap_or_default();
    let app = gateway_tower::TrustProxyHeaders::new(example_guestbook::open(guestbook).await?, proxy);
    Ok(router_of(legacy_app(), app, example_environ::app))
}
// ANCHOR_END: router
