//! Tutorial step 8: one request and exit.
//!
//! PEP 3333's `wsgi.run_once` tells an app that the process serves one request and then
//! ends (CGI does that for every request). `gateway_tower::serve(addr, app).once()` is that
//! server: it answers the first request, writes its access-log line, and returns as soon
//! as that response is complete, so the binary exits with status 0. The app sees
//! `gateway.run_once: true` in its environ. A connection that closes without sending a
//! request does not count; the server keeps waiting for a real one.
//!
//! The app is step 0's: `Hello world!` for any path.
//!
//! Run with `cargo run -p example-serve-once`, then try
//! `curl -i http://127.0.0.1:8051/` (the server exits after answering; a second `curl`
//! finds nothing listening).

use gateway_core::{Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

/// Answers `Hello world!` as plain text, for any path.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty()).with_run_once(true);
/// let response = example_serve_once::app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "Hello world!");
/// # });
/// ```
pub async fn app(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body("Hello world!")
}
