//! Tutorial step 1: the environment.
//!
//! Every request reaches an app as an **environ**: PEP 3333's CGI names (`REQUEST_METHOD`,
//! `PATH_INFO`, `QUERY_STRING`, `HTTP_*` for each header, ...) plus the `gateway.*` keys
//! (PEP 3333's `wsgi.*`). This app answers every path by printing all of them, one
//! `KEY: value` line each, sorted by key. Values that are not strings show in a readable
//! form: booleans as `true`/`false`, the input stream as `<input>`.
//!
//! Unlike `wsgiref`, the server never copies the OS environment in: only the request is
//! here (`PATH`, `HOME` and friends never appear).
//!
//! Run with `cargo run -p example-environ`, then try
//! `curl -H 'X-Custom-Thing: yes' 'http://127.0.0.1:8051/anything?x=1'`.

use gateway_core::{Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

/// Answers with [`dump`] of the environ, as plain text, for any path and method.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let request = http::Request::get("/anything?x=1").body(()).unwrap();
/// let environ = Environ::new(request.into_parts().0, Input::empty());
/// let response = example_environ::app.call(environ, StartResponse::new()).await;
/// let text = response.into_parts().1.collect().await.unwrap();
/// assert!(text.starts_with(b"PATH_INFO: /anything\nQUERY_STRING: x=1\n"));
/// # });
/// ```
// ANCHOR: app
pub async fn app(environ: Environ, start_response: StartResponse) -> Response {
    let text = dump(&environ);
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body(text)
}
// ANCHOR_END: app

/// Every environ key with its value, one `KEY: value\n` line each, sorted by key.
///
/// [`Environ::iter`] already yields the keys sorted, with non-string values as text.
///
/// # Examples
/// ```
/// use gateway_core::{Environ, Input};
///
/// let request = http::Request::get("/").header("X-Custom-Thing", "yes").body(()).unwrap();
/// let environ = Environ::new(request.into_parts().0, Input::empty());
/// let text = example_environ::dump(&environ);
/// assert!(text.starts_with("HTTP_X_CUSTOM_THING: yes\nPATH_INFO: /\n"));
/// assert!(text.contains("\nSCRIPT_NAME: \n"));
/// assert!(text.contains("\ngateway.input: <input>\n"));
/// ```
// ANCHOR: dump
pub fn dump(environ: &Environ) -> String {
    let mut text = String::new();
    for (key, value) in environ.iter() {
        text.push_str(&key);
        text.push_str(": ");
        text.push_str(&value);
        text.push('\n');
    }
    text
}
// ANCHOR_END: dump
