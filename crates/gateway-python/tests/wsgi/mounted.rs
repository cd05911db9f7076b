//! A `PythonApp` composes like any gateway app: mounted in microframe and in axum, with
//! `SCRIPT_NAME` and `PATH_INFO` right in each (in process: the interpreter is in the test).

use std::path::Path;

use gateway_python::PythonApp;
use gateway_tower::AxumRouterExt;
use http_body_util::BodyExt;
use microframe::{Microframe, TestClient};
use tower::ServiceExt;

fn where_am_i() -> PythonApp {
    let apps = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"));
    PythonApp::load_from(apps, "basics:where_am_i", 2).expect("tests/apps/basics.py loads")
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
