//! A `PythonApp` composes like any gateway app: mounted in microframe and in axum, with
//! `SCRIPT_NAME` and `PATH_INFO` right in each (in process: the interpreter is in the test).

use std::path::Path;

use gateway_python::PythonApp;
use gateway_tower::AxumRouterExt;
use http_body_util::BodyExt;
use microframe::{Microframe, TestClient};
use tower::ServiceExt;

fn where_am_i() -> PythonApp {
    basics("where_am_i")
}

/// `basics:NAME` of `tests/apps/basics.py`.
fn basics(name: &str) -> PythonApp {
    let apps = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"));
    PythonApp::load_from(apps, &format!("basics:{name}"), 2).expect("tests/apps/basics.py loads")
}

#[tokio::test(flavor = "multi_thread")]
async fn in_the_project_s_layers_proxy_headers_body_limit_and_validate_hold() {
    let proxy = gateway_tower::ProxyHeaders::new().trust("10.0.0.1").unwrap().x_prefix(1);
    let layered = gateway_core::Validate::new(microframe::BodyLimit::new(
        gateway_tower::TrustProxyHeaders::new(basics("who"), proxy),
        100,
    ));
    let app = Microframe::new().mount("/py", layered);
    let client = TestClient::new(app);
    let behind_the_proxy = |request: microframe::TestRequest| {
        request
            .remote_addr("10.0.0.1:5000".parse().unwrap())
            .header("x-forwarded-for", "203.0.113.7")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-prefix", "/app")
    };
    behind_the_proxy(client.post("/py/a").body("x".repeat(100)))
        .send()
        .await
        .assert_status(200)
        .assert_body("REMOTE_ADDR=203.0.113.7 scheme=https SCRIPT_NAME=/app/py PATH_INFO=/a body=100");
    behind_the_proxy(client.post("/py/a").body("x".repeat(101))).send().await.assert_status(413);
    // Not the trusted proxy: its headers are not believed.
    client
        .get("/py/b")
        .remote_addr("10.0.0.2:5000".parse().unwrap())
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .assert_body("REMOTE_ADDR=10.0.0.2 scheme=http SCRIPT_NAME=/py PATH_INFO=/b body=0");
}

#[tokio::test(flavor = "multi_thread")]
async fn mounted_in_microframe_the_app_sees_its_prefix() {
    let app = Microframe::new().get("/", || async { "rust" }).mount("/py", where_am_i());
    let client = TestClient::new(app);
    client.get("/").send().await.assert_body("rust");
    client.get("/py/a/b").send().await.assert_status(200).assert_body("SCRIPT_NAME=/py PATH_INFO=/a/b");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_axum_mounted_and_as_the_fallback() {
    let router = axum::Router::new()
        .route("/rust", axum::routing::get(|| async { "rust" }))
        .mount_app("/legacy", where_am_i())
        .fallback_app(where_am_i());
    for (target, expected) in [
        ("/rust", "rust"),
        ("/legacy/page", "SCRIPT_NAME=/legacy PATH_INFO=/page"),
        ("/old/page", "SCRIPT_NAME= PATH_INFO=/old/page"),
    ] {
        let request = http::Request::get(target).body(axum::body::Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, expected, "{target}");
    }
}
