//! tower-http's `RequestBodyLimitLayer` and microframe's own body limit, both present:
//! which one answers the 413, told apart by its body.
//!
//! What happens (and so what is asserted):
//! - a declared `Content-Length` over tower-http's limit is refused by tower-http itself,
//!   before the service runs, with its own 413 body `length limit exceeded`;
//! - a body without a declared length (chunked) passes tower-http's check and reaches the
//!   app; when it grows past tower-http's limit, the read fails with tower-http's
//!   `LengthLimitError`, which `GatewayService` classifies as `InputError::TooLarge` (not as
//!   broken framing), so microframe (or any app rejecting with the error) answers 413
//!   `Payload Too Large`;
//! - where microframe's limit is the smaller one, microframe answers 413
//!   `Payload Too Large` for declared and streamed bodies alike.
//!
//! So the smaller limit wins, and only a declared length over tower-http's limit gets
//! tower-http's body.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use bytes::Bytes;
use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::{AxumRouterExt, GatewayService};
use http::StatusCode;
use http_body::Frame;
use http_body_util::StreamBody;
use microframe::{Form, Microframe};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;

use super::{call, serve_service, status_and_text};
use crate::common::Conn;

const TOWER_HTTP_BODY: &str = "length limit exceeded";
const MICROFRAME_BODY: &str = "Payload Too Large";

/// A microframe app whose only route reads a form (through microframe's limit), counting
/// its calls.
fn form_app(limit: u64, calls: &Arc<AtomicUsize>) -> Microframe {
    let calls = Arc::clone(calls);
    Microframe::new().body_limit(limit).post("/form", move |Form(pairs): Form<Vec<(String, String)>>| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move { format!("{} pairs", pairs.len()) }
    })
}

/// `POST /legacy/form` with a declared length.
fn declared(body: &'static str) -> http::Request<axum::body::Body> {
    http::Request::post("/legacy/form")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", body.len())
        .body(axum::body::Body::from(body))
        .expect("a valid request")
}

/// `POST /legacy/form` with the body in chunks and no declared length.
fn streamed(chunks: &'static [&'static str]) -> http::Request<axum::body::Body> {
    let frames = chunks.iter().map(|chunk| Ok::<_, Infallible>(Frame::data(Bytes::from_static(chunk.as_bytes()))));
    http::Request::post("/legacy/form")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::new(StreamBody::new(futures_util::stream::iter(frames))))
        .expect("a valid request")
}

fn router(app: Microframe, tower_http_limit: usize) -> Router {
    Router::new().mount_app("/legacy", app).layer(RequestBodyLimitLayer::new(tower_http_limit))
}

const TWENTY: &str = "a=xxxxxxxxxxxxxxxxxx";

// Without tower-http's layer the first two requests would be within microframe's 1024 and
// answer 200 `1 pairs`.
#[tokio::test]
async fn tower_http_limit_smaller_its_own_413_for_a_declared_length_microframes_for_a_stream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let router = router(form_app(1024, &calls), 16);
    let reply = call(router.clone(), declared(TWENTY)).await;
    assert_eq!(status_and_text(&reply), (413, TOWER_HTTP_BODY.to_owned()), "tower-http refused it");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "before the service: microframe never saw it");

    let reply = call(router.clone(), streamed(&["a=xxxxxxxx", "xxxxxxxxxx"])).await;
    assert_eq!(status_and_text(&reply), (413, MICROFRAME_BODY.to_owned()), "cut by tower-http, answered by microframe");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the form never parsed");

    let reply = call(router.clone(), declared("a=xxxxxxxxxxxxxx")).await;
    assert_eq!(status_and_text(&reply), (200, "1 pairs".to_owned()), "16 bytes: within both");
    let reply = call(router, streamed(&["a=xxxxxx", "xxxxxxxx"])).await;
    assert_eq!(status_and_text(&reply), (200, "1 pairs".to_owned()), "16 streamed bytes: within both");
}

#[tokio::test]
async fn microframe_limit_smaller_microframe_answers_declared_and_streamed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let router = router(form_app(16, &calls), 1024);
    let reply = call(router.clone(), declared(TWENTY)).await;
    assert_eq!(status_and_text(&reply), (413, MICROFRAME_BODY.to_owned()));
    let reply = call(router.clone(), streamed(&["a=xxxxxxxx", "xxxxxxxxxx"])).await;
    assert_eq!(status_and_text(&reply), (413, MICROFRAME_BODY.to_owned()));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// A plain gateway app: reads the whole input, rejects with the input's error.
async fn read_all(mut environ: Environ, start_response: StartResponse) -> Response {
    match environ.input().read_to_end(u64::MAX).await {
        Ok(body) => start_response.start(StatusCode::OK, ()).body(format!("read {} bytes", body.len())),
        Err(error @ gateway_core::InputError::TooLarge) => start_response.reject(&error),
        Err(other) => start_response.start(StatusCode::OK, ()).body(format!("unexpected {other:?}")),
    }
}

// Without the layer the app would read all 20 bytes: 200 `read 20 bytes`.
#[tokio::test]
async fn a_plain_app_sees_tower_https_limit_as_too_large_and_its_rejection_is_413() {
    let service = ServiceBuilder::new().layer(RequestBodyLimitLayer::new(16)).service(GatewayService::new(read_all));
    let reply = call(service.clone(), streamed(&["a=xxxxxxxx", "xxxxxxxxxx"])).await;
    assert_eq!(status_and_text(&reply), (413, MICROFRAME_BODY.to_owned()));
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    let reply = call(service, streamed(&["a=xxxxxxxx", "xxxxxx"])).await;
    assert_eq!(status_and_text(&reply), (200, "read 16 bytes".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn on_the_plain_server_the_same_two_answers_come_over_the_wire() {
    let calls = Arc::new(AtomicUsize::new(0));
    let service = ServiceBuilder::new()
        .layer(RequestBodyLimitLayer::new(16))
        .service(GatewayService::new(form_app(1024, &calls)));
    let server = serve_service(service).await;
    let head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n";

    // Only the head: tower-http answers from the declared length alone.
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!("{head}Content-Length: 20\r\n\r\n").as_bytes()).await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (413, TOWER_HTTP_BODY));

    // Chunked, one chunk past 16 bytes and no end: microframe answers without the rest.
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!("{head}Transfer-Encoding: chunked\r\n\r\n14\r\n{TWENTY}\r\n").as_bytes()).await;
    let reply = conn.response().await;
    assert_eq!((reply.status, reply.text().as_str()), (413, MICROFRAME_BODY));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}
