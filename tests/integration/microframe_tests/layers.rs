//! Every layer alone around a plain gateway-core `async fn(Environ, StartResponse)`, with
//! no `Microframe` around it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gateway_core::{App, Environ, Response, StartResponse};
use http::header::ALLOW;
use http::{HeaderValue, Method, StatusCode};
use microframe::{
    BodyLimit, ErrorPages, ErrorStatus, HandlerApp, MultiDict, ParseForm, ParseQuery, Router, TestClient,
};

use super::{send_in_process, streamed};

async fn query_name(mut environ: Environ, start_response: StartResponse) -> Response {
    let names: Vec<String> = MultiDict::query(&mut environ).get_all("name").map(str::to_owned).collect();
    start_response.start(StatusCode::OK, ()).body(format!("{names:?}"))
}

/// Reads the cached form, then the input again: the layer read it already.
async fn form_age(mut environ: Environ, start_response: StartResponse) -> Response {
    let age = match MultiDict::form(&mut environ).await {
        Ok(form) => form.get("age").unwrap_or("none").to_owned(),
        Err(_) => "error".to_owned(),
    };
    let left = match environ.input().read_to_end(u64::MAX).await {
        Ok(bytes) => bytes.len().to_string(),
        Err(error) => error.to_string(),
    };
    start_response.start(StatusCode::OK, ()).body(format!("age={age} left={left}"))
}

/// Echoes the body it reads with no limit of its own.
async fn echo(mut environ: Environ, start_response: StartResponse) -> Response {
    match environ.input().read_to_end(u64::MAX).await {
        Ok(body) => start_response.start(StatusCode::OK, ()).body(body),
        Err(error) => start_response.reject(&error),
    }
}

#[tokio::test]
async fn parse_query_around_a_plain_app() {
    let client = TestClient::new(query_name.with(ParseQuery::layer()));
    client.get("/?name=a+b&x=1&name=%zz").send().await.assert_status(200).assert_body(r#"["a b", "%zz"]"#);
    client.get("/").send().await.assert_body("[]");
}

#[tokio::test]
async fn parse_form_around_a_plain_app_reads_once_and_answers_its_rejections() {
    let client = TestClient::new(form_age.with(ParseForm::layer()));
    client.post("/").form(&[("age", "10")]).send().await.assert_status(200).assert_body("age=10 left=0");
    client.post("/").send().await.assert_status(200).assert_body("age=none left=0");
    client
        .post("/")
        .header("content-type", "text/plain")
        .body("age=10")
        .send()
        .await
        .assert_status(415)
        .assert_body("Expected Content-Type: application/x-www-form-urlencoded");
}

#[tokio::test]
async fn parse_form_inside_a_body_limit_answers_413() {
    let client = TestClient::new(form_age.with(ParseForm::layer()).with(BodyLimit::layer(8)));
    client.post("/").form(&[("age", "123")]).send().await.assert_status(200).assert_body("age=123 left=0");
    client.post("/").form(&[("age", "1234567")]).send().await.assert_status(413).assert_body("Payload Too Large");
}

#[tokio::test]
async fn body_limit_around_a_plain_app_refuses_a_declared_length_before_it_runs() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let app = move |environ: Environ, start_response: StartResponse| {
        counted.fetch_add(1, Ordering::SeqCst);
        echo(environ, start_response)
    };
    let client = TestClient::new(app.with(BodyLimit::layer(4)));
    client.post("/").body("12345").send().await.assert_status(413).assert_body("Payload Too Large");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the app did not run");
    client.post("/").body("1234").send().await.assert_status(200).assert_body("1234");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn body_limit_around_a_plain_app_cuts_a_streamed_body() {
    let app = echo.with(BodyLimit::layer(4));
    let request = |chunks| http::Request::post("/").body(streamed(chunks)).expect("a valid request");
    assert_eq!(send_in_process(app.clone(), request(&["12", "34"])).await, (200, "1234".into()));
    assert_eq!(send_in_process(app, request(&["12", "34", "5"])).await, (413, "Payload Too Large".into()));
}

/// A plain app's refusal: made with `reject`, so error pages render it.
async fn not_found(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.reject(&StatusCode::NOT_FOUND)
}

/// A plain app's own 404 page: a body it built, sent as it is.
async fn own_not_found(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::NOT_FOUND, ()).body("plain 404")
}

async fn not_allowed(_environ: Environ, start_response: StartResponse) -> Response {
    let mut refusal = start_response.reject(&StatusCode::METHOD_NOT_ALLOWED);
    refusal.headers_mut().insert(ALLOW, HeaderValue::from_static("GET"));
    refusal
}

async fn panics(_environ: Environ, _start_response: StartResponse) -> Response {
    panic!("a plain app panicked")
}

async fn page(ErrorStatus(status): ErrorStatus, method: Method) -> String {
    format!("page for {} ({method})", status.as_u16())
}

#[tokio::test]
async fn error_pages_around_a_plain_app() {
    let bare = TestClient::new(ErrorPages::new(panics));
    bare.get("/").send().await.assert_status(500).assert_body("Internal Server Error");

    let with_page = |app: gateway_core::BoxApp| {
        TestClient::new(
            ErrorPages::new(app)
                .handler(StatusCode::NOT_FOUND, HandlerApp::new(page))
                .handler(StatusCode::METHOD_NOT_ALLOWED, HandlerApp::new(page))
                .handler(StatusCode::INTERNAL_SERVER_ERROR, HandlerApp::new(page)),
        )
    };
    with_page(gateway_core::BoxApp::new(not_found))
        .get("/")
        .send()
        .await
        .assert_status(404)
        .assert_body("page for 404 (GET)");
    with_page(gateway_core::BoxApp::new(own_not_found))
        .get("/")
        .send()
        .await
        .assert_status(404)
        .assert_body("plain 404");
    with_page(gateway_core::BoxApp::new(panics))
        .post("/")
        .send()
        .await
        .assert_status(500)
        .assert_body("page for 500 (POST)");
    with_page(gateway_core::BoxApp::new(not_allowed))
        .delete("/")
        .send()
        .await
        .assert_status(405)
        .assert_header("allow", "GET")
        .assert_body("page for 405 (DELETE)");
    with_page(gateway_core::BoxApp::new(echo))
        .post("/")
        .body("fine")
        .send()
        .await
        .assert_status(200)
        .assert_body("fine");
}

async fn fallback(environ: Environ, start_response: StartResponse) -> Response {
    let text = format!("fallback {} {}", environ.method(), environ.path_info());
    start_response.start(StatusCode::OK, ()).body(text)
}

async fn new_page() -> &'static str {
    "new"
}

#[tokio::test]
async fn a_router_as_a_layer_sends_what_it_does_not_route_to_the_fallback() {
    let router = Router::new().route(&[Method::GET], "/new", HandlerApp::new(new_page)).route(
        &[Method::GET],
        "/dir/",
        HandlerApp::new(new_page),
    );
    let client = TestClient::new(fallback.with(router));
    client.get("/new").send().await.assert_status(200).assert_body("new");
    client.head("/new").send().await.assert_status(200).assert_body("");
    client.get("/old/page").send().await.assert_status(200).assert_body("fallback GET /old/page");
    client.get("/new/").send().await.assert_body("fallback GET /new/");
    // A known path keeps the router's answers: 405, OPTIONS, the trailing-slash 308.
    client
        .post("/new")
        .send()
        .await
        .assert_status(405)
        .assert_header("allow", "GET, HEAD, OPTIONS")
        .assert_body("Method Not Allowed");
    client.options("/new").send().await.assert_status(204).assert_header("allow", "GET, HEAD, OPTIONS");
    client.get("/dir").send().await.assert_status(308).assert_header("location", "/dir/");
}
