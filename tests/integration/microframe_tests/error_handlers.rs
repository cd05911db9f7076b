//! Error handlers see what the app they render for sees: its mount point and its routes.

use gateway_core::Environ;
use http::StatusCode;
use microframe::{Form, Microframe, TestClient, UrlError, UrlFor};

async fn index() -> &'static str {
    "Index"
}

async fn not_found_page(urls: UrlFor) -> Result<String, UrlError> {
    Ok(format!("Not here; try {}", urls.url_for("index", &[])?))
}

async fn where_page(environ: Environ) -> String {
    format!("SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info())
}

#[tokio::test]
async fn an_error_handler_can_build_urls_with_url_for() {
    let app = Microframe::new().get("/", index).name("index").error_handler(StatusCode::NOT_FOUND, not_found_page);
    TestClient::new(app).get("/nope").send().await.assert_status(404).assert_body("Not here; try /");
}

#[tokio::test]
async fn an_error_handler_of_a_mounted_app_links_under_its_prefix() {
    let legacy = Microframe::new().get("/", index).name("index").error_handler(StatusCode::NOT_FOUND, not_found_page);
    let app = Microframe::new().mount("/legacy", legacy);
    TestClient::new(app).get("/legacy/nope").send().await.assert_status(404).assert_body("Not here; try /legacy/");
}

#[tokio::test]
async fn an_error_handler_of_a_mounted_app_sees_its_script_name() {
    let legacy = Microframe::new().get("/", index).error_handler(StatusCode::NOT_FOUND, where_page);
    let app = Microframe::new().mount("/legacy", legacy);
    TestClient::new(app)
        .get("/legacy/nope")
        .send()
        .await
        .assert_status(404)
        .assert_body("SCRIPT_NAME=/legacy PATH_INFO=/nope");
}

/// An abort: a status and headers, no body of its own, so the 401 page renders it.
async fn challenge() -> (StatusCode, [(http::HeaderName, http::HeaderValue); 1]) {
    (StatusCode::UNAUTHORIZED, [(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Basic"))])
}

async fn please_log_in() -> &'static str {
    "Please log in"
}

#[tokio::test]
async fn an_error_page_keeps_the_headers_that_do_not_describe_the_body() {
    let app = Microframe::new().get("/secret", challenge).error_handler(StatusCode::UNAUTHORIZED, please_log_in);
    TestClient::new(app)
        .get("/secret")
        .send()
        .await
        .assert_status(401)
        .assert_header("www-authenticate", "Basic")
        .assert_header("content-length", "13")
        .assert_body("Please log in");
}

async fn size(Form(fields): Form<Vec<(String, String)>>) -> String {
    fields.len().to_string()
}

#[tokio::test]
async fn a_mounted_app_cannot_accept_more_than_the_app_around_it() {
    let sub = Microframe::new().post("/f", size).post("/big", size).limit(64);
    let app = Microframe::new().body_limit(8).mount("/sub", sub);
    let client = TestClient::new(app);
    client.post("/sub/f").form(&[("a", "1234567")]).send().await.assert_status(413).assert_body("Payload Too Large");
    client.post("/sub/f").form(&[("a", "1")]).send().await.assert_status(200).assert_body("1");
    client.post("/sub/big").form(&[("a", "1234567")]).send().await.assert_status(200).assert_body("1");
}
