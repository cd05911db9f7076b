//! tower-http's `CatchPanicLayer` with gateway apps. Around a tower service mounted through
//! `TowerApp` it fires (its body: `Service panicked`); around `GatewayService` it never
//! fires, because `GatewayService` catches the app's panic first and answers its own 500
//! `Internal Server Error`. The bodies tell which layer answered.

use std::convert::Infallible;

use axum::Router;
use axum::routing::get as axum_get;
use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::{AxumRouterExt, GatewayService, InputBody, TowerApp};
use microframe::{Microframe, TestClient};
use test_support::client;
use tower::{Layer, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;

use super::{call, get, serve_service, status_and_text};
use crate::common::{Conn, get as raw_get};

const CATCH_PANIC_BODY: &str = "Service panicked";
const GATEWAY_BODY: &str = "Internal Server Error";

async fn boom() -> &'static str {
    panic!("the api fell over")
}

/// An axum router whose `/boom` handler panics.
fn panicking_router() -> Router {
    Router::new().route("/ok", axum_get(|| async { "api ok" })).route("/boom", axum_get(boom))
}

async fn panicking_service(_request: http::Request<InputBody>) -> Result<http::Response<axum::body::Body>, Infallible> {
    panic!("the service fell over")
}

// Without the layer the panic would reach microframe, which catches it too: 500, but with
// microframe's body `Internal Server Error`, not `Service panicked`.
#[tokio::test]
async fn around_a_tower_service_mounted_through_tower_app_it_turns_the_panic_into_its_500() {
    let guarded = CatchPanicLayer::new().layer(panicking_router());
    let app = Microframe::new().get("/", || async { "index" }).mount("/api", TowerApp::new(guarded));
    let client = TestClient::new(app);
    client
        .get("/api/boom")
        .send()
        .await
        .assert_status(500)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body(CATCH_PANIC_BODY);
    client.get("/api/ok").send().await.assert_status(200).assert_body("api ok");
    client.get("/").send().await.assert_status(200).assert_body("index");

    // The same mount without the layer: microframe's own 500.
    let unguarded = Microframe::new().mount("/api", TowerApp::new(panicking_router()));
    TestClient::new(unguarded).get("/api/boom").send().await.assert_status(500).assert_body(GATEWAY_BODY);
}

// Without the layer: GatewayService's 500 `Internal Server Error`.
#[tokio::test]
async fn a_panicking_plain_tower_service_through_tower_app_and_the_layer_on_the_plain_server() {
    let service = tower::service_fn(panicking_service);
    let app = TowerApp::new(ServiceBuilder::new().layer(CatchPanicLayer::new()).service(service));
    let server = serve_service(GatewayService::new(app)).await;
    let reply = client::get(server.addr, "/anything").await;
    assert_eq!(status_and_text(&reply), (500, CATCH_PANIC_BODY.to_owned()));
}

async fn panicking_app(_environ: Environ, _start_response: StartResponse) -> Response {
    panic!("the legacy app fell over")
}

/// axum routes beside a panicking gateway app, all under `CatchPanicLayer`.
fn guarded_router() -> Router {
    panicking_router().mount_app("/legacy", panicking_app).layer(CatchPanicLayer::new())
}

// The layer is active (the axum handler's panic gets its body); the gateway app's panic
// never reaches it.
#[tokio::test]
async fn around_gateway_service_it_never_fires_the_gateway_500_comes_first() {
    let reply = call(guarded_router(), get("/legacy/x")).await;
    assert_eq!(status_and_text(&reply), (500, GATEWAY_BODY.to_owned()), "GatewayService's 500");
    let reply = call(guarded_router(), get("/boom")).await;
    assert_eq!(status_and_text(&reply), (500, CATCH_PANIC_BODY.to_owned()), "an axum handler's panic: the layer's");
    assert_eq!(call(guarded_router(), get("/ok")).await.text(), "api ok");

    let service = ServiceBuilder::new().layer(CatchPanicLayer::new()).service(GatewayService::new(panicking_app));
    let reply = call(service, get("/")).await;
    assert_eq!(status_and_text(&reply), (500, GATEWAY_BODY.to_owned()));
}

#[tokio::test]
async fn on_the_plain_server_the_same_and_the_connection_stays_usable() {
    let server = serve_service(guarded_router()).await;
    let mut conn = Conn::open(server.addr).await;
    for (target, status, body) in [
        ("/legacy/x", 500, GATEWAY_BODY),
        ("/ok", 200, "api ok"),
        ("/boom", 500, CATCH_PANIC_BODY),
        ("/ok", 200, "api ok"),
    ] {
        conn.send(&raw_get(target)).await;
        let reply = conn.response().await;
        assert_eq!((reply.status, reply.text().as_str()), (status, body), "{target}");
    }
}
