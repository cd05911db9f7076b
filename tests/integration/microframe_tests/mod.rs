//! microframe: the router, mounts, `url_for`, extractors, layers, the onion, responses,
//! templates and panics, each asserted with its status and exact body (design §3, §4).
//!
//! Almost everything runs in process through `microframe::TestClient`; the network is used
//! only where it matters (a chunked body over the limit, a connection kept after a panic).

mod body_limit;
mod error_handlers;
mod form;
mod layers;
mod mount;
mod multidict;
mod onion;
mod panics;
mod query;
mod responses;
mod routing;
mod routing_paths;
mod templates;
mod url_for;

use gateway_core::Environ;

/// `SCRIPT_NAME=… PATH_INFO=…`, as the app sees them (decoded), and the raw path info.
async fn where_am_i(environ: Environ) -> String {
    format!("SCRIPT_NAME={} PATH_INFO={} raw={}", environ.script_name(), environ.path_info(), environ.raw_path_info())
}

/// A request a test builds itself (a streamed body, say) sent in process through
/// `GatewayService`, as `TestClient` does; returns the status and the body text.
async fn send_in_process<A, B>(app: A, request: http::Request<B>) -> (u16, String)
where
    A: gateway_core::App,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let response = match gateway_tower::GatewayService::new(app).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.expect("the response body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A request body of `chunks` with no `Content-Length`: what a chunked upload looks like
/// to the app.
fn streamed(
    chunks: &'static [&'static str],
) -> http_body_util::StreamBody<
    impl futures_util::Stream<Item = Result<http_body::Frame<bytes::Bytes>, std::convert::Infallible>> + Send,
> {
    let frames = chunks.iter().map(|chunk| Ok(http_body::Frame::data(bytes::Bytes::from_static(chunk.as_bytes()))));
    http_body_util::StreamBody::new(futures_util::stream::iter(frames))
}
