//! The migration path from Flask: an axum `Router` serves the routes already moved to Rust,
//! and sends everything else to the old Flask app (`app.py`), unchanged, running on the same
//! server through `gateway_python::PythonApp`. The same app is also mounted at `/legacy`,
//! where its `url_for` links carry the prefix.
//!
//! Run with a virtualenv that has Flask (the tests use the one `scripts/test` makes):
//! `VIRTUAL_ENV=target/test-venv cargo run -p example-flask-in-axum`, then try
//! `curl http://127.0.0.1:8051/rust/hello`, `curl http://127.0.0.1:8051/hello/bob` (Flask),
//! `curl http://127.0.0.1:8051/legacy/` (Flask at a prefix).

use gateway_python::PythonApp;
use gateway_tower::AxumRouterExt;

/// The router: the Rust routes, the Flask app at `/legacy`, and the Flask app as the
/// fallback for every path axum does not route yet.
///
/// # Examples
/// ```no_run
/// let flask = example_flask_in_axum::flask().expect("Flask in the virtualenv");
/// let _router = example_flask_in_axum::router(flask);
/// ```
pub fn router(flask: PythonApp) -> axum::Router {
    // ANCHOR: router
    axum::Router::new()
        .route("/rust/hello", axum::routing::get(|| async { "Hello from Rust!" }))
        .mount_app("/legacy", flask.clone())
        .fallback_app(flask)
    // ANCHOR_END: router
}

/// The Flask app of `app.py`, on four Python threads.
///
/// # Errors
/// Flask cannot be imported (no `VIRTUAL_ENV` with Flask), or `app.py` fails to load.
///
/// # Examples
/// See [`router`].
pub fn flask() -> Result<PythonApp, gateway_python::LoadError> {
    PythonApp::load_from(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), "app:app", 4)
}
