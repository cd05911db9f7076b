//! Tutorial step 0: the app interface.
//!
//! A gateway app is an async function of the environ and `start_response` that returns the
//! response. This one says hello to every request, whatever the path or method.
//!
//! Run with `cargo run -p example-hello-gateway`, then try
//! `curl -i http://127.0.0.1:8051/`.

// ANCHOR: app
use gateway_core::{Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

/// Answers `Hello world!` as plain text.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = example_hello_gateway::app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "Hello world!");
/// # });
/// ```
pub async fn app(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body("Hello world!")
}
// ANCHOR_END: app
