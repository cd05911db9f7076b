//! The onion of a `Microframe`: `state(ErrorPages(BodyLimit(Router(handlers))))`, outermost
//! first.
//!
//! The state ring is outermost: the page an error handler renders for a panic, for a 413
//! and for a plain app mounted in the router all see the app's state.
//!
//! Each test shows one ring's position: a 413 of the body limit, a 404/405 of the router
//! and a panic of a handler are all rendered by the error handlers (so `ErrorPages` is
//! outside both); the limit reaches a plain app mounted in the router (so `BodyLimit` is
//! outside the router, not a property of a route).

use gateway_core::{Environ, Response, StartResponse};
use http::{Method, StatusCode};
use microframe::{ErrorStatus, Form, Html, Microframe, TestClient};

async fn page(ErrorStatus(status): ErrorStatus, method: Method, environ: Environ) -> Html<String> {
    Html(format!("<h1>{}</h1> {method} {}", status.as_u16(), environ.path_info()))
}

async fn teapot() -> (StatusCode, &'static str) {
    (StatusCode::IM_A_TEAPOT, "short and stout")
}

async fn form(Form(pairs): Form<Vec<(String, String)>>) -> String {
    format!("{} pairs", pairs.len())
}

async fn boom() -> &'static str {
    panic!("handler bug with a secret")
}

/// Echoes its body; a gateway app with no limit of its own.
async fn plain_echo(mut environ: Environ, start_response: StartResponse) -> Response {
    match environ.input().read_to_end(u64::MAX).await {
        Ok(body) => start_response.start(StatusCode::OK, ()).body(body),
        Err(error) => start_response.reject(&error),
    }
}

fn app() -> Microframe {
    Microframe::new()
        .body_limit(8)
        .get("/", || async { "Index" })
        .post("/form", form)
        .get("/boom", boom)
        .mount("/raw", plain_echo)
        .error_handler(StatusCode::NOT_FOUND, page)
        .error_handler(StatusCode::METHOD_NOT_ALLOWED, page)
        .error_handler(StatusCode::PAYLOAD_TOO_LARGE, page)
        .error_handler(StatusCode::INTERNAL_SERVER_ERROR, page)
        .error_handler(StatusCode::BAD_REQUEST, teapot)
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_rendered_by_the_413_handler() {
    TestClient::new(app())
        .post("/form")
        .form(&[("a", "1234567")])
        .send()
        .await
        .assert_status(413)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body("<h1>413</h1> POST /form");
}

#[tokio::test]
async fn the_app_limit_is_set_outside_the_router_so_a_mounted_plain_app_gets_it() {
    let client = TestClient::new(app());
    client.post("/raw/x").body("12345678").send().await.assert_status(200).assert_body("12345678");
    client.post("/raw/x").body("123456789").send().await.assert_status(413).assert_body("<h1>413</h1> POST /raw/x");
}

#[tokio::test]
async fn a_panic_in_a_handler_is_rendered_by_the_500_handler() {
    TestClient::new(app())
        .get("/boom")
        .send()
        .await
        .assert_status(500)
        .assert_body("<h1>500</h1> GET /boom")
        .assert_body_lacks("secret");
}

#[tokio::test]
async fn a_404_of_the_router_keeps_its_status_under_a_handler_that_returns_200() {
    TestClient::new(app()).get("/nope").send().await.assert_status(404).assert_body("<h1>404</h1> GET /nope");
}

#[tokio::test]
async fn a_405_keeps_its_allow_header_under_the_error_page() {
    TestClient::new(app())
        .delete("/")
        .send()
        .await
        .assert_status(405)
        .assert_header("allow", "GET, HEAD, OPTIONS")
        .assert_body("<h1>405</h1> DELETE /");
}

#[tokio::test]
async fn a_handler_that_sets_another_status_changes_it() {
    // A 400 of the query-string extractor, rendered by a handler answering 418.
    #[derive(serde::Deserialize)]
    struct N {
        #[allow(dead_code)]
        n: i32,
    }
    let app = app().get("/n", |_: microframe::Query<N>| async { "n" });
    TestClient::new(app).get("/n?n=x").send().await.assert_status(418).assert_body("short and stout");
}

#[tokio::test]
async fn statuses_without_a_handler_and_successes_pass_through() {
    let client = TestClient::new(app());
    client.get("/").send().await.assert_status(200).assert_body("Index");
    client.options("/").send().await.assert_status(204).assert_body("");
    client
        .post("/form")
        .header("content-type", "text/plain")
        .body("a=1")
        .send()
        .await
        .assert_status(415)
        .assert_body("Expected Content-Type: application/x-www-form-urlencoded");
}

#[tokio::test]
async fn an_error_handler_that_panics_leaves_the_plain_error() {
    let app = Microframe::new().error_handler(StatusCode::NOT_FOUND, boom);
    TestClient::new(app).get("/nope").send().await.assert_status(404).assert_body("Not Found");
}

async fn state_page(
    ErrorStatus(status): ErrorStatus,
    microframe::State(site): microframe::State<&'static str>,
) -> String {
    format!("{site} {}", status.as_u16())
}

/// A plain gateway app mounted in the router reads the state through the environ.
async fn plain_state(environ: Environ, start_response: StartResponse) -> Response {
    let inner =
        Microframe::new().get("/", |microframe::State(site): microframe::State<&'static str>| async move { site });
    gateway_core::App::call(&inner, environ, start_response).await
}

#[tokio::test]
async fn the_state_is_outside_every_other_ring() {
    let app = Microframe::new()
        .state("site")
        .body_limit(2)
        .get("/boom", boom)
        .post("/form", form)
        .mount("/plain", plain_state)
        .error_handler(StatusCode::INTERNAL_SERVER_ERROR, state_page)
        .error_handler(StatusCode::PAYLOAD_TOO_LARGE, state_page);
    let client = TestClient::new(app);
    client.get("/boom").send().await.assert_status(500).assert_body("site 500");
    client.post("/form").form(&[("a", "123")]).send().await.assert_status(413).assert_body("site 413");
    client.get("/plain/").send().await.assert_status(200).assert_body("site");
}
