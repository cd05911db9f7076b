//! The other direction: an axum `Router` mounted in a microframe app through `TowerApp`.
//! It sees the request below the prefix, as axum's own `nest_service` would show it (`/`
//! at the mount point), and its responses (its own 404/405, extra headers, streams) pass
//! through unchanged, while the microframe routes beside it keep answering.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get as axum_get, post as axum_post};
use bytes::Bytes;
use gateway_tower::{AxumRouterExt, GatewayService, TowerApp};
use http::{StatusCode, Uri};
use http_body_util::BodyExt;
use microframe::{Microframe, TestClient};
use tokio::sync::Notify;
use tower::ServiceExt;

use super::{call, get, status_and_text};
use crate::common::{Conn, gated_stream, get as raw_get, serve};

/// The axum side: what it saw, a created resource with a header, an echo, a stream
/// whose second chunk waits for `go`.
fn api(go: Arc<Notify>) -> Router {
    Router::new()
        .route("/", axum_get(|uri: Uri| async move { format!("api root, saw {uri}") }))
        .route("/users/{id}", axum_get(|Path(id): Path<u32>, uri: Uri| async move { format!("user {id}, saw {uri}") }))
        .route(
            "/items",
            axum_post(|body: String| async move { (StatusCode::CREATED, [("x-api", "1")], format!("made {body}")) }),
        )
        .route(
            "/stream",
            axum_get(move || {
                let go = Arc::clone(&go);
                async move {
                    let chunks = gated_stream::<Infallible>(go, "one|", "two");
                    axum::body::Body::from_stream(chunks)
                }
            }),
        )
}

fn app(go: Arc<Notify>) -> Microframe {
    Microframe::new().get("/", || async { "microframe index" }).mount("/api", TowerApp::new(api(go)))
}

#[tokio::test]
async fn the_router_sees_the_path_below_the_prefix_as_nest_service_would() {
    let client = TestClient::new(app(Arc::default()));
    client.get("/api/users/7?x=1").send().await.assert_status(200).assert_body("user 7, saw /users/7?x=1");
    client.get("/api").send().await.assert_status(200).assert_body("api root, saw /");
    client.get("/api/").send().await.assert_status(200).assert_body("api root, saw /");
    client.get("/").send().await.assert_status(200).assert_body("microframe index");

    // What axum's own nest_service shows the same router, for comparison.
    let nested = Router::new().nest_service("/api", api(Arc::default()));
    for (target, seen) in
        [("/api/users/7?x=1", "user 7, saw /users/7?x=1"), ("/api", "api root, saw /"), ("/api/", "api root, saw /")]
    {
        assert_eq!(call(nested.clone(), get(target)).await.text(), seen, "{target}");
    }
}

#[tokio::test]
async fn its_statuses_headers_and_bodies_pass_through_unchanged() {
    let client = TestClient::new(app(Arc::default()));
    client
        .post("/api/items")
        .body("pen")
        .send()
        .await
        .assert_status(201)
        .assert_header("x-api", "1")
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("made pen");
    // axum's own 404 (empty) and 405 (with its Allow), not microframe's.
    client.get("/api/nope").send().await.assert_status(404).assert_body("");
    client.get("/api/users/x").send().await.assert_status(400).assert_body_contains("Cannot parse");
    client.delete("/api/items").send().await.assert_status(405).assert_header("allow", "POST").assert_body("");
    // Microframe's own 404 outside the mount.
    client.get("/apix").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn a_streamed_response_passes_through_chunk_by_chunk() {
    let go = Arc::new(Notify::new());
    let request = http::Request::get("/api/stream").body(axum::body::Body::empty()).expect("a valid request");
    let Ok(response) = GatewayService::new(app(Arc::clone(&go))).oneshot(request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("content-length"), None, "a stream of unknown length stays one");
    let mut body = response.into_body();
    let first = body.frame().await.expect("a first frame").expect("no error");
    assert_eq!(first.into_data().ok().as_deref(), Some(&b"one|"[..]), "the first chunk came before the second exists");
    go.notify_one();
    assert_eq!(body.collect().await.expect("the rest").to_bytes(), "two");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_the_plain_server_the_stream_is_chunked_and_the_routes_beside_answer() {
    let go = Arc::new(Notify::new());
    let server = serve(app(Arc::clone(&go))).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(&raw_get("/api/stream")).await;
    assert!(conn.wait_for(b"one|").await, "the first chunk arrives alone");
    go.notify_one();
    let reply = conn.response().await;
    assert_eq!(reply.header("transfer-encoding"), Some("chunked"));
    assert_eq!((reply.status, reply.text().as_str()), (200, "one|two"));
    conn.send(&raw_get("/api/users/3")).await;
    assert_eq!(conn.response().await.text(), "user 3, saw /users/3");
    conn.send(&raw_get("/")).await;
    assert_eq!(conn.response().await.text(), "microframe index");
}

#[tokio::test]
async fn axum_around_microframe_around_axum_each_sees_its_own_part() {
    let outer = Router::new().route("/health", axum_get(|| async { "ok" })).mount_app("/site", app(Arc::default()));
    let reply = call(outer.clone(), get("/site/api/users/9?q=1")).await;
    assert_eq!(status_and_text(&reply), (200, "user 9, saw /users/9?q=1".to_owned()));
    assert_eq!(call(outer.clone(), get("/site/")).await.text(), "microframe index");
    assert_eq!(call(outer.clone(), get("/site/api")).await.text(), "api root, saw /");
    assert_eq!(call(outer, get("/health")).await.text(), "ok");
}

/// axum's `nest_service` leaves `OriginalUri` = the whole target for the nested service;
/// `TowerApp` strips the prefix the way `nest_service` would, so the same holds.
#[tokio::test]
async fn an_axum_router_mounted_through_tower_app_sees_the_whole_target_as_original_uri() {
    use axum::extract::OriginalUri;
    let api =
        Router::new().route("/users/{id}", axum_get(|OriginalUri(uri): OriginalUri| async move { uri.to_string() }));
    let nested = Router::new().nest_service("/api", api.clone());
    assert_eq!(call(nested, get("/api/users/7?x=1")).await.text(), "/api/users/7?x=1", "axum's own nest_service");
    let client = TestClient::new(Microframe::new().mount("/api", TowerApp::new(api)));
    client.get("/api/users/7?x=1").send().await.assert_status(200).assert_body("/api/users/7?x=1");
}

/// Design §3/§4: a body over the app's limit (declared or streamed) is 413, also for an
/// axum router mounted through `TowerApp` (axum alone would call the body error a 400).
#[tokio::test]
async fn a_body_over_microframes_limit_is_413_for_an_axum_router_mounted_through_tower_app() {
    let api = Router::new().route("/echo", axum_post(|body: String| async move { format!("got {}", body.len()) }));
    let client = TestClient::new(Microframe::new().body_limit(8).mount("/api", TowerApp::new(api)));
    client.post("/api/echo").body("0123").send().await.assert_status(200).assert_body("got 4");
    client.post("/api/echo").body("0123456789").send().await.assert_status(413).assert_body("Payload Too Large");
}

/// The same over-limit body, streamed with no `Content-Length`: cut at the limit, 413.
#[tokio::test]
async fn a_streamed_body_over_microframes_limit_is_413_for_a_mounted_axum_router() {
    let api = Router::new().route("/echo", axum_post(|body: String| async move { format!("got {}", body.len()) }));
    let app = Microframe::new().body_limit(8).mount("/api", TowerApp::new(api));
    let chunks =
        ["01234", "56789"].map(|c| Ok::<_, Infallible>(http_body::Frame::data(Bytes::from_static(c.as_bytes()))));
    let body = http_body_util::StreamBody::new(futures_util::stream::iter(chunks));
    let request = http::Request::post("/api/echo").body(body).expect("request");
    let response = GatewayService::new(app).oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = response.into_body().collect().await.expect("body").to_bytes();
    assert_eq!(body, "Payload Too Large");
}
