//! What handlers return: plain text, HTML, statuses with headers, results, redirects.

use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use microframe::{Html, Microframe, Path, Redirect, TestClient};

async fn text_static() -> &'static str {
    "static text"
}

async fn text_owned() -> String {
    "héllo".to_owned()
}

async fn html() -> Html<&'static str> {
    Html("<h1>Index</h1>")
}

async fn created() -> (StatusCode, Html<String>) {
    (StatusCode::CREATED, Html("<p>made</p>".to_owned()))
}

async fn with_headers() -> (StatusCode, [(http::HeaderName, HeaderValue); 2], &'static str) {
    (
        StatusCode::ACCEPTED,
        [(CACHE_CONTROL, HeaderValue::from_static("no-store")), (CONTENT_TYPE, HeaderValue::from_static("text/csv"))],
        "a,b",
    )
}

async fn checked(Path(n): Path<i64>) -> Result<String, (StatusCode, &'static str)> {
    if n > 0 { Ok(format!("positive {n}")) } else { Err((StatusCode::UNPROCESSABLE_ENTITY, "not positive")) }
}

async fn status_only() -> StatusCode {
    StatusCode::NOT_FOUND
}

async fn no_content() -> StatusCode {
    StatusCode::NO_CONTENT
}

fn client() -> TestClient {
    TestClient::new(
        Microframe::new()
            .get("/static", text_static)
            .get("/owned", text_owned)
            .get("/html", html)
            .post("/created", created)
            .get("/headers", with_headers)
            .get("/checked/<n:int>", checked)
            .get("/status", status_only)
            .delete("/gone", no_content)
            .get("/to", || async { Redirect::to("/hello/bob") })
            .get("/temporary", || async { Redirect::temporary("/elsewhere?x=1") })
            .get("/permanent", || async { Redirect::permanent("https://example.com/new") })
            .get("/bad-redirect", || async { Redirect::to("/a\nb") }),
    )
}

#[tokio::test]
async fn strings_are_plain_text_with_a_byte_content_length() {
    let client = client();
    client
        .get("/static")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_header("content-length", "11")
        .assert_body("static text");
    client
        .get("/owned")
        .send()
        .await
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_header("content-length", "6")
        .assert_body("héllo");
}

#[tokio::test]
async fn html_is_text_html() {
    client()
        .get("/html")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body("<h1>Index</h1>");
}

#[tokio::test]
async fn a_status_pair_sets_the_status_and_keeps_the_content_type() {
    client()
        .post("/created")
        .send()
        .await
        .assert_status(201)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body("<p>made</p>");
}

#[tokio::test]
async fn a_status_headers_body_triple_adds_and_replaces_headers() {
    client()
        .get("/headers")
        .send()
        .await
        .assert_status(202)
        .assert_header("cache-control", "no-store")
        .assert_header("content-type", "text/csv")
        .assert_body("a,b");
}

#[tokio::test]
async fn a_result_answers_with_either_side() {
    let client = client();
    client.get("/checked/3").send().await.assert_status(200).assert_body("positive 3");
    client
        .get("/checked/-3")
        .send()
        .await
        .assert_status(422)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("not positive");
}

#[tokio::test]
async fn a_bare_status_has_its_text_and_204_has_no_body() {
    let client = client();
    client.get("/status").send().await.assert_status(404).assert_body("Not Found");
    client.delete("/gone").send().await.assert_status(204).assert_body("");
}

#[tokio::test]
async fn redirects_are_303_307_or_308_with_location_and_an_empty_body() {
    let client = client();
    client.get("/to").send().await.assert_status(303).assert_header("location", "/hello/bob").assert_body("");
    client
        .get("/temporary")
        .send()
        .await
        .assert_status(307)
        .assert_header("location", "/elsewhere?x=1")
        .assert_body("");
    client
        .get("/permanent")
        .send()
        .await
        .assert_status(308)
        .assert_header("location", "https://example.com/new")
        .assert_body("");
}

#[tokio::test]
async fn a_location_that_is_not_a_header_value_is_500() {
    client()
        .get("/bad-redirect")
        .send()
        .await
        .assert_status(500)
        .assert_body("Internal Server Error")
        .assert_no_header("location");
}

#[tokio::test]
async fn a_path_type_that_does_not_fit_the_route_is_500() {
    let app = Microframe::new().get("/n/<name>", |Path(n): Path<i64>| async move { n.to_string() });
    TestClient::new(app).get("/n/x").send().await.assert_status(500).assert_body("Internal Server Error");
}
