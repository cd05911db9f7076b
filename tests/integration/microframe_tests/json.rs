//! `Json<T>` in and out: the statuses and exact texts, the body limit, serde_json's
//! recursion limit, and a body read once and shared with the other body extractors.

use std::collections::HashMap;

use http::StatusCode;
use microframe::rejection::{FormRejection, JsonRejection};
use microframe::{Form, Json, Microframe, TestClient};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize)]
struct Entry {
    name: String,
    tags: Vec<u8>,
}

async fn save(Json(entry): Json<Entry>) -> Json<Entry> {
    Json(entry)
}

async fn value(Json(value): Json<serde_json::Value>) -> String {
    value.to_string()
}

fn client() -> TestClient {
    TestClient::new(Microframe::new().post("/entry", save).post("/value", value))
}

fn json_post(client: &TestClient, target: &str, body: impl Into<bytes::Bytes>) -> microframe::TestRequest {
    client.post(target).header("content-type", "application/json").body(body)
}

#[tokio::test]
async fn a_json_body_fits_the_type_and_a_json_response_has_its_type_and_length() {
    let client = client();
    json_post(&client, "/entry", r#"{"name":"ann","tags":[1,2]}"#)
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "application/json")
        .assert_header("content-length", "27")
        .assert_body(r#"{"name":"ann","tags":[1,2]}"#);
}

/// `[1]` posted to `/value` with `content_type` (no `Content-Type` for `None`).
async fn post_typed(client: &TestClient, content_type: Option<&str>) -> microframe::TestResponse {
    let request = client.post("/value").body("[1]");
    match content_type {
        Some(content_type) => request.header("content-type", content_type),
        None => request,
    }
    .send()
    .await
}

#[tokio::test]
async fn json_media_types_with_parameters_and_suffixes_are_accepted() {
    let client = client();
    for content_type in ["application/json; charset=utf-8", "APPLICATION/JSON", "application/problem+json"] {
        post_typed(&client, Some(content_type)).await.assert_status(200).assert_body("[1]");
    }
}

#[tokio::test]
async fn a_missing_or_other_content_type_is_415() {
    let client = client();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        Some("text/json"),
    ] {
        post_typed(&client, content_type)
            .await
            .assert_status(415)
            .assert_body("Expected Content-Type: application/json");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_with_serde_jsons_message() {
    let client = client();
    let cases: [(&[u8], &str); 4] = [
        (b"{\"name\" 1}", "expected `:` at line 1 column 9"),
        (b"{\"name\":\"a", "EOF while parsing a string at line 1 column 10"),
        (b"", "EOF while parsing a value at line 1 column 0"),
        (b"[1] x", "trailing characters at line 1 column 5"),
    ];
    for (body, message) in cases {
        json_post(&client, "/value", body.to_vec())
            .send()
            .await
            .assert_status(400)
            .assert_body(&format!("Failed to parse the request body as JSON: {message}"));
    }
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_400() {
    let client = client();
    json_post(&client, "/value", b"[\"\xff\"]".to_vec())
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to parse the request body as JSON: invalid unicode code point at line 1 column 3");
    json_post(&client, "/value", b"\xff".to_vec())
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to parse the request body as JSON: expected value at line 1 column 1");
}

#[tokio::test]
async fn json_that_does_not_fit_is_422_naming_the_field_path() {
    let client = client();
    json_post(&client, "/entry", r#"{"name":"ann","tags":[1,300]}"#).send().await.assert_status(422).assert_body(
        "Failed to deserialize the JSON body: tags[1]: invalid value: integer `300`, expected u8 at line 1 column 27",
    );
    json_post(&client, "/entry", r#"{"tags":[]}"#)
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize the JSON body: missing field `name` at line 1 column 11");
    json_post(&client, "/entry", "[]")
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize the JSON body: invalid length 0, expected struct Entry with 2 elements at line 1 column 2");
}

#[tokio::test]
async fn a_mebibyte_of_brackets_is_400_from_the_recursion_limit() {
    let body = vec![b'['; 1 << 20];
    json_post(&client(), "/value", body)
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to parse the request body as JSON: recursion limit exceeded at line 1 column 128");
}

#[tokio::test]
async fn ten_mebibytes_of_brackets_under_a_raised_limit_are_400_not_a_stack_overflow() {
    let app = Microframe::new().body_limit(16 << 20).post("/value", value);
    let client = TestClient::new(app);
    json_post(&client, "/value", vec![b'['; 10 << 20])
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to parse the request body as JSON: recursion limit exceeded at line 1 column 128");
    // Under the default limit the same body is refused before it is read.
    json_post(&super::json::client(), "/value", vec![b'['; 10 << 20])
        .send()
        .await
        .assert_status(413)
        .assert_body("Payload Too Large");
}

#[tokio::test]
async fn the_body_limit_applies_per_route_too() {
    let app = Microframe::new().post("/small", value).limit(4).post("/value", value);
    let client = TestClient::new(app);
    json_post(&client, "/small", "[1,2]").send().await.assert_status(413).assert_body("Payload Too Large");
    json_post(&client, "/value", "[1,2]").send().await.assert_status(200).assert_body("[1,2]");
}

async fn form_then_json(
    form: Result<Form<HashMap<String, String>>, FormRejection>,
    Json(value): Json<serde_json::Value>,
) -> String {
    let form = match form {
        Ok(_) => "form".to_owned(),
        Err(rejection) => format!("{} {}", gateway_core::Rejection::status(&rejection).as_u16(), rejection),
    };
    format!("{form}; json {value}")
}

#[tokio::test]
async fn a_form_refused_for_its_content_type_leaves_the_json_to_read() {
    let client = TestClient::new(Microframe::new().post("/", form_then_json));
    json_post(&client, "/", r#"{"a":1}"#)
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"415 Expected Content-Type: application/x-www-form-urlencoded; json {"a":1}"#);
}

async fn json_then_form(
    json: Result<Json<serde_json::Value>, JsonRejection>,
    Form(form): Form<Vec<(String, String)>>,
) -> String {
    format!("json ok: {}; form {form:?}", json.is_ok())
}

#[tokio::test]
async fn a_json_refused_for_its_content_type_leaves_the_form_to_read() {
    let client = TestClient::new(Microframe::new().post("/", json_then_form));
    client.post("/").form(&[("a", "1")]).send().await.assert_body(r#"json ok: false; form [("a", "1")]"#);
}

async fn json_twice(Json(first): Json<serde_json::Value>, Json(second): Json<Vec<u8>>) -> String {
    format!("{first} {second:?}")
}

#[tokio::test]
async fn two_json_extractors_read_the_one_cached_body() {
    let client = TestClient::new(Microframe::new().post("/", json_twice));
    json_post(&client, "/", "[1,2]").send().await.assert_body("[1,2] [1, 2]");
}

async fn unserializable() -> Json<HashMap<(i32, i32), i32>> {
    Json(HashMap::from([((1, 2), 3)]))
}

#[tokio::test]
async fn a_value_that_fails_to_serialize_is_500_with_the_cause_logged() {
    let client = TestClient::new(Microframe::new().get("/", unserializable));
    let (logs, _guard) = super::capture_logs();
    client.get("/").send().await.assert_status(500).assert_body("Internal Server Error");
    let logs = logs.text();
    assert!(logs.contains("ERROR") && logs.contains("key must be a string"), "{logs}");
}

async fn created() -> (StatusCode, Json<Vec<u8>>) {
    (StatusCode::CREATED, Json(vec![1]))
}

#[tokio::test]
async fn a_json_response_takes_a_status() {
    TestClient::new(Microframe::new().post("/", created))
        .post("/")
        .send()
        .await
        .assert_status(201)
        .assert_header("content-type", "application/json")
        .assert_body("[1]");
}
