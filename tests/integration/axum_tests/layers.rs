//! tower-http's `CompressionLayer`, `TimeoutLayer` and `SetRequestIdLayer` +
//! `PropagateRequestIdLayer` around gateway apps, in axum and on the plain server; each test
//! asserts an effect the layer alone produces (said above each test).

use std::io::Read;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get as axum_get;
use bytes::Bytes;
use gateway_core::{Body, Environ, Response, StartResponse};
use gateway_tower::{AxumRouterExt, GatewayService};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use test_support::{Reply, client};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;

use super::{call, get, serve_service, status_and_text};

fn long_text() -> String {
    "All work and no play makes a gateway app a dull app.\n".repeat(40)
}

/// The long text, buffered.
async fn text_app(_environ: Environ, start_response: StartResponse) -> Response {
    let headers = [(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))];
    start_response.start(StatusCode::OK, headers).body(long_text())
}

/// The long text as a stream of one chunk per line (length unknown: chunked on the wire).
async fn streaming_text_app(_environ: Environ, start_response: StartResponse) -> Response {
    let lines: Vec<Result<Bytes, gateway_core::BodyError>> =
        long_text().split_inclusive('\n').map(|line| Ok(Bytes::from(line.to_owned()))).collect();
    let headers = [(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))];
    start_response.start(StatusCode::OK, headers).body(Body::from_stream(futures_util::stream::iter(lines)))
}

fn gunzip(reply: &Reply) -> String {
    assert_eq!(reply.header("content-encoding"), "gzip", "the body is gzip-encoded");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&reply.body[..]).read_to_string(&mut text).expect("a valid gzip stream");
    text
}

fn accepting_gzip(target: &str) -> http::Request<axum::body::Body> {
    let mut request = get(target);
    request.headers_mut().insert("accept-encoding", HeaderValue::from_static("gzip"));
    request
}

// Without the layer the body would come back as is: no `Content-Encoding`, and not gzip.
#[tokio::test]
async fn in_axum_compression_gzips_a_mounted_apps_body_and_it_decodes_to_the_original() {
    let router = Router::new().mount_app("/legacy", text_app).layer(CompressionLayer::new());
    let reply = call(router.clone(), accepting_gzip("/legacy/x")).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.len() < long_text().len(), "compressed: {} bytes", reply.body.len());
    assert_eq!(gunzip(&reply), long_text());

    let reply = call(router, get("/legacy/x")).await;
    assert_eq!((reply.header("content-encoding"), reply.text()), ("", long_text()), "not asked for gzip: identity");
}

#[tokio::test]
async fn on_the_plain_server_a_streamed_body_is_gzipped_too() {
    let service = ServiceBuilder::new().layer(CompressionLayer::new()).service(GatewayService::new(streaming_text_app));
    let server = serve_service(service).await;
    let mut request = test_support::in_process::get("/");
    request.headers_mut().insert("accept-encoding", HeaderValue::from_static("gzip"));
    let reply = client::send(server.addr, request).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("transfer-encoding"), "chunked", "still a stream on the wire");
    assert_eq!(gunzip(&reply), long_text());
}

/// Answers after 5 s (the timeouts below are 100 ms; `PATIENCE` is 10 s).
async fn slow_app(_environ: Environ, start_response: StartResponse) -> Response {
    tokio::time::sleep(Duration::from_secs(5)).await;
    start_response.start(StatusCode::OK, ()).body("finally")
}

fn timeout_layer() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_millis(100))
}

// Without the layer the slow app would answer 200 `finally` after 5 s.
#[tokio::test]
async fn in_axum_a_slow_mounted_app_gets_the_timeout_status_and_fast_routes_do_not() {
    let router = Router::new()
        .route("/health", axum_get(|| async { "ok" }))
        .mount_app("/slow", slow_app)
        .mount_app("/fast", text_app)
        .layer(timeout_layer());
    let started = Instant::now();
    let reply = call(router.clone(), get("/slow/x")).await;
    assert_eq!(status_and_text(&reply), (408, String::new()), "the layer's status, an empty (default) body");
    assert!(started.elapsed() < Duration::from_secs(2), "answered at the timeout: {:?}", started.elapsed());
    assert_eq!(call(router.clone(), get("/fast")).await.text(), long_text());
    assert_eq!(call(router, get("/health")).await.text(), "ok");
}

#[tokio::test]
async fn on_the_plain_server_a_slow_app_gets_the_timeout_status() {
    let service = ServiceBuilder::new().layer(timeout_layer()).service(GatewayService::new(slow_app));
    let server = serve_service(service).await;
    let started = Instant::now();
    let reply = client::get(server.addr, "/").await;
    assert_eq!(status_and_text(&reply), (408, String::new()));
    assert!(started.elapsed() < Duration::from_secs(2), "answered at the timeout: {:?}", started.elapsed());
}

/// Answers with the `x-request-id` it was given, as the environ shows it.
async fn request_id_app(environ: Environ, start_response: StartResponse) -> Response {
    let id = environ.get("HTTP_X_REQUEST_ID").map_or_else(|| "<none>".to_owned(), |id| id.into_owned());
    start_response.start(StatusCode::OK, ()).body(id)
}

/// A UUID as `MakeRequestUuid` writes it: 36 characters, hyphens at 8, 13, 18 and 23.
fn is_uuid(text: &str) -> bool {
    let hyphens: Vec<usize> = text.char_indices().filter(|&(_, c)| c == '-').map(|(at, _)| at).collect();
    text.len() == 36 && hyphens == [8, 13, 18, 23] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

// Without the layers the app would see `<none>` and no `x-request-id` would come back.
#[tokio::test]
async fn in_axum_a_generated_request_id_reaches_the_app_and_comes_back() {
    let router = Router::new()
        .mount_app("/legacy", request_id_app)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    let first = call(router.clone(), get("/legacy")).await;
    assert!(is_uuid(&first.text()), "the app saw a generated id: {:?}", first.text());
    assert_eq!(first.header("x-request-id"), first.text(), "the same id comes back");
    let second = call(router.clone(), get("/legacy")).await;
    assert_ne!(second.text(), first.text(), "one id per request");

    let mut request = get("/legacy");
    request.headers_mut().insert("x-request-id", HeaderValue::from_static("client-chose-this"));
    let reply = call(router, request).await;
    assert_eq!((reply.text().as_str(), reply.header("x-request-id")), ("client-chose-this", "client-chose-this"));
}

#[tokio::test]
async fn on_the_plain_server_a_generated_request_id_reaches_the_app_and_comes_back() {
    let service = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(PropagateRequestIdLayer::x_request_id())
        .service(GatewayService::new(request_id_app));
    let server = serve_service(service).await;
    let reply = client::get(server.addr, "/").await;
    assert!(is_uuid(&reply.text()), "the app saw a generated id: {:?}", reply.text());
    assert_eq!(reply.header("x-request-id"), reply.text());
}
