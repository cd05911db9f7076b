//! Richer responses: one handler, several response types (`Either`); header pairs as
//! strings; `(headers, body)`; a header that cannot be sent is a 500, logged.

use http::StatusCode;
use microframe::{Either, Html, Json, Microframe, MultiDict, Redirect, TestClient};

async fn sign(query: MultiDict) -> Either<Redirect, (StatusCode, Html<String>)> {
    match query.get("name") {
        Some(name) if !name.trim().is_empty() => Either::Left(Redirect::to("/thanks")),
        _ => Either::Right((StatusCode::UNPROCESSABLE_ENTITY, Html("<p>a name, please</p>".to_owned()))),
    }
}

#[tokio::test]
async fn one_handler_answers_with_a_redirect_or_a_page() {
    let client = TestClient::new(Microframe::new().get("/sign", sign));
    client.get("/sign?name=ann").send().await.assert_status(303).assert_header("location", "/thanks").assert_body("");
    client
        .get("/sign?name=+")
        .send()
        .await
        .assert_status(422)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body("<p>a name, please</p>");
}

async fn string_pairs() -> (StatusCode, [(&'static str, &'static str); 2], &'static str) {
    (StatusCode::ACCEPTED, [("cache-control", "no-store"), ("x-queue", "3")], "queued")
}

async fn headers_and_body() -> ([(&'static str, String); 1], Json<u8>) {
    ([("content-type", "application/vnd.count+json".to_owned())], Json(7))
}

async fn repeated() -> (Vec<(&'static str, &'static str)>, &'static str) {
    (vec![("x-tag", "a"), ("x-tag", "b")], "tagged")
}

#[tokio::test]
async fn header_pairs_may_be_strings_and_come_before_a_body_without_a_status() {
    let client = TestClient::new(
        Microframe::new().get("/pairs", string_pairs).get("/hb", headers_and_body).get("/rep", repeated),
    );
    client
        .get("/pairs")
        .send()
        .await
        .assert_status(202)
        .assert_header("cache-control", "no-store")
        .assert_header("x-queue", "3")
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("queued");
    client
        .get("/hb")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "application/vnd.count+json")
        .assert_body("7");
    let response = client.get("/rep").send().await.assert_status(200);
    let tags: Vec<_> = response.headers().get_all("x-tag").iter().map(|v| v.to_str().unwrap_or_default()).collect();
    assert_eq!(tags, ["a", "b"]);
}

async fn bad_header() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-bad", "line\nbreak")], "never sent")
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_is_500_with_the_cause_logged() {
    let client = TestClient::new(Microframe::new().get("/", bad_header));
    let (logs, _guard) = super::capture_logs();
    client.get("/").send().await.assert_status(500).assert_body("Internal Server Error");
    let logs = logs.text();
    assert!(logs.contains("ERROR") && logs.contains("x-bad"), "{logs}");
}
