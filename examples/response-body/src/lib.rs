//! Tutorial step 4: the response iterable.
//!
//! PEP 3333's app returns an iterable of byte strings; here the body is a [`Body`]:
//! - **buffered**, one or several `Bytes` ([`Body::from_chunks`]): the length is known, so
//!   the server sends `Content-Length`, counted in **bytes** (`é` is 2, `✓` is 3), never in
//!   characters;
//! - **streaming** ([`Body::from_stream`]): an async stream of chunks of unknown length,
//!   sent with `Transfer-Encoding: chunked`, each chunk flushed as soon as it is produced.
//!
//! `GET /` sends [`CHUNKS`] buffered, `GET /stream` sends the same text streamed with a
//! [`DELAY`] before each chunk after the first, any other path is 404 `Not Found`. HEAD is
//! the server's business: it answers `HEAD /` with the headers of `GET /`
//! (`Content-Length` included) and no body, while the app answers it like GET.
//!
//! Run with `cargo run -p example-response-body`, then try
//! `curl -i http://127.0.0.1:8051/`, `curl -iN http://127.0.0.1:8051/stream` (the lines
//! come one by one) and `curl -I http://127.0.0.1:8051/`.

use std::time::Duration;

use bytes::Bytes;
use gateway_core::{Body, BodyError, Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

/// The body's text, as the chunks it is made of.
///
/// # Examples
/// ```
/// let text = example_response_body::CHUNKS.concat();
/// assert_eq!(text.lines().next(), Some("Héllo wörld ✓"));
/// assert!(text.len() > text.chars().count()); // bytes, not characters
/// ```
// ANCHOR: chunks
pub const CHUNKS: [&str; 5] = [
    "Héllo wörld ✓\n",
    "This body is a list of chunks.\n",
    "GET / sends them at once, with Content-Length in bytes;\n",
    "GET /stream sends each one as it is produced,\n",
    "chunked, with a pause in between.\n",
];
// ANCHOR_END: chunks

/// The pause of `GET /stream` before each chunk after the first.
///
/// # Examples
/// ```
/// assert!(example_response_body::DELAY.as_millis() > 0);
/// ```
pub const DELAY: Duration = Duration::from_millis(50);

/// `GET /`: [`CHUNKS`] buffered; `GET /stream`: [`streamed`]; else 404.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = example_response_body::app.call(environ, StartResponse::new()).await;
/// let length = example_response_body::CHUNKS.concat().len() as u64;
/// assert_eq!(response.body().exact_length(), Some(length));
/// # });
/// ```
// ANCHOR: app
pub async fn app(environ: Environ, start_response: StartResponse) -> Response {
    let body = match environ.path_info().as_ref() {
        "/" => Body::from_chunks(CHUNKS),
        "/stream" => streamed(),
        _ => return start_response.reject(&StatusCode::NOT_FOUND),
    };
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body(body)
}
// ANCHOR_END: app

/// [`CHUNKS`] as a stream of unknown length, waiting [`DELAY`] before each chunk after
/// the first (a timer from tokio, so it needs a tokio runtime with time enabled).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let mut body = example_response_body::streamed();
/// assert_eq!(body.exact_length(), None);
/// assert_eq!(body.chunk().await.unwrap().unwrap(), "Héllo wörld ✓\n");
/// assert_eq!(body.collect().await.unwrap(), example_response_body::CHUNKS[1..].concat());
/// # });
/// ```
// ANCHOR: streamed
pub fn streamed() -> Body {
    let chunks = futures_util::stream::unfold(0, |index| async move {
        let chunk = CHUNKS.get(index)?;
        if index > 0 {
            tokio::time::sleep(DELAY).await;
        }
        Some((Ok::<_, BodyError>(Bytes::from_static(chunk.as_bytes())), index + 1))
    });
    Body::from_stream(chunks)
}
// ANCHOR_END: streamed
