//! microframe: the router, mounts, `url_for`, extractors, layers, the onion, responses,
//! templates and panics, each asserted with its status and exact body (docs/design.md §3, §4).
//!
//! Almost everything runs in process through `microframe::TestClient`; the network is used
//! only where it matters (a chunked body over the limit, a connection kept after a panic).

mod body_limit;
mod cookies;
mod cross_site;
mod debug_page;
mod error_handlers;
mod error_pages;
mod fallible;
mod form;
mod json;
mod layers;
mod mount;
mod multidict;
mod multipart;
mod onion;
mod panics;
mod query;
mod responses;
mod responses_more;
mod routing;
mod routing_paths;
mod session;
mod state;
mod static_files;
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

/// What `tracing` printed at INFO and above while the guard lives (this thread only: the
/// tests run on tokio's current-thread runtime, so the app runs here too).
#[derive(Clone, Default)]
struct CapturedLogs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}
