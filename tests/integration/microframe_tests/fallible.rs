//! Extractors that may fail: `Result<E, _>` for every extractor, `Option<E>` only for absent
//! input, the body read once (a `Content-Type` refusal reads nothing), and `Environ` last.

use std::collections::HashMap;

use gateway_core::Environ;
use microframe::rejection::{FailedToDeserializeQueryString, FormRejection, JsonRejection};
use microframe::{Form, Json, Microframe, Query, TestClient};
use serde::Deserialize;

use super::{send_in_process, streamed};

#[derive(Debug, Deserialize)]
struct Page {
    n: u32,
}

async fn optional_query(page: Option<Query<Page>>) -> String {
    format!("{:?}", page.map(|Query(page)| page.n))
}

#[tokio::test]
async fn an_optional_query_is_none_only_without_a_query_string() {
    let client = TestClient::new(Microframe::new().get("/", optional_query));
    client.get("/").send().await.assert_status(200).assert_body("None");
    client.get("/?n=2").send().await.assert_status(200).assert_body("Some(2)");
    client
        .get("/?n=x")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: n: invalid digit found in string");
    client
        .get("/?m=1")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: missing field `n`");
}

async fn result_query(page: Result<Query<Page>, FailedToDeserializeQueryString>) -> String {
    match page {
        Ok(Query(page)) => page.n.to_string(),
        Err(rejection) => format!("bad {:?} in {:?}", rejection.field(), rejection.values().get("n")),
    }
}

#[tokio::test]
async fn a_result_query_hands_the_refusal_to_the_handler() {
    let client = TestClient::new(Microframe::new().get("/", result_query));
    client.get("/?n=3").send().await.assert_body("3");
    client.get("/?n=x").send().await.assert_status(200).assert_body(r#"bad Some("n") in Some("x")"#);
}

async fn optional_form(form: Option<Form<HashMap<String, String>>>) -> String {
    match form {
        Some(Form(fields)) => format!("{} fields", fields.len()),
        None => "no form".to_owned(),
    }
}

#[tokio::test]
async fn an_optional_form_is_none_only_without_body_bytes_whatever_the_content_type() {
    let client = TestClient::new(Microframe::new().post("/", optional_form));
    client.post("/").send().await.assert_body("no form");
    client.post("/").header("content-type", "application/json").send().await.assert_body("no form");
    client.post("/").form(&[("a", "1")]).send().await.assert_body("1 fields");
    // Body bytes without a Content-Type, or of another type: refused, never `None`.
    client
        .post("/")
        .body("a=1")
        .send()
        .await
        .assert_status(415)
        .assert_body("Expected Content-Type: application/x-www-form-urlencoded");
    client.post("/").header("content-type", "text/plain").body("a=1").send().await.assert_status(415);
}

async fn optional_json(json: Option<Json<serde_json::Value>>) -> String {
    json.map_or("no json".to_owned(), |Json(value)| value.to_string())
}

#[tokio::test]
async fn an_optional_json_is_none_only_without_body_bytes_and_refuses_a_body_without_a_type() {
    let client = TestClient::new(Microframe::new().post("/", optional_json));
    client.post("/").send().await.assert_body("no json");
    client.post("/").header("content-type", "text/plain").send().await.assert_body("no json");
    client.post("/").header("content-type", "application/json").body("[1]").send().await.assert_body("[1]");
    client.post("/").body("[1]").send().await.assert_status(415).assert_body("Expected Content-Type: application/json");
    client.post("/").header("content-type", "application/json").body("[").send().await.assert_status(400);
}

#[tokio::test]
async fn an_optional_form_sees_a_chunked_body_without_losing_it() {
    let app = Microframe::new().post("/", optional_form);
    let request = |chunks, content_type: &str| {
        http::Request::post("/").header("content-type", content_type).body(streamed(chunks)).expect("a request")
    };
    let form = "application/x-www-form-urlencoded";
    assert_eq!(send_in_process(app.clone(), request(&["a=1&", "b=2"], form)).await, (200, "2 fields".into()));
    assert_eq!(send_in_process(app.clone(), request(&[], form)).await, (200, "no form".into()));
    assert_eq!(send_in_process(app, request(&["a=1"], "text/plain")).await.0, 415);
}

/// A form refused for its type, then the whole environ: the body is all still there.
async fn form_then_environ(form: Result<Form<HashMap<String, String>>, FormRejection>, mut environ: Environ) -> String {
    let body = environ.input().read_to_end(1024).await.unwrap_or_default();
    format!("form ok: {}; body {:?}", form.is_ok(), String::from_utf8_lossy(&body))
}

#[tokio::test]
async fn a_content_type_refusal_consumes_nothing() {
    let app = Microframe::new().post("/", form_then_environ);
    let chunked =
        http::Request::post("/").header("content-type", "text/plain").body(streamed(&["a=", "1"])).expect("a request");
    assert_eq!(send_in_process(app.clone(), chunked).await, (200, r#"form ok: false; body "a=1""#.into()));
    let client = TestClient::new(app);
    client
        .post("/")
        .header("content-type", "text/plain")
        .body("x=y")
        .send()
        .await
        .assert_body(r#"form ok: false; body "x=y""#);
}

#[derive(Debug, Deserialize)]
struct Signup {
    name: String,
    age: u32,
}

/// The typed form and the values submitted, from one read of the body.
async fn typed_and_values(
    form: Result<Form<Signup>, FormRejection>,
    Form(values): Form<microframe::MultiDict>,
) -> String {
    let typed = match form {
        Ok(Form(signup)) => format!("{} is {}", signup.name, signup.age),
        Err(rejection) => format!("{rejection}"),
    };
    let sent: Vec<_> = values.iter().collect();
    format!("{typed}; sent {sent:?}")
}

#[tokio::test]
async fn the_typed_form_and_the_submitted_values_come_together() {
    let client = TestClient::new(Microframe::new().post("/", typed_and_values));
    client
        .post("/")
        .form(&[("name", "ann"), ("age", "30")])
        .send()
        .await
        .assert_body(r#"ann is 30; sent [("name", "ann"), ("age", "30")]"#);
    client
        .post("/")
        .form(&[("name", "ann"), ("age", "old")])
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"Failed to deserialize form body: age: invalid digit found in string; sent [("name", "ann"), ("age", "old")]"#);
}

async fn json_result(json: Result<Json<Vec<u8>>, JsonRejection>) -> String {
    match json {
        Ok(Json(bytes)) => format!("{bytes:?}"),
        Err(JsonRejection::Data(error)) => format!("field {:?}", error.field()),
        Err(other) => format!("other: {other}"),
    }
}

#[tokio::test]
async fn a_result_json_hands_every_refusal_to_the_handler() {
    let client = TestClient::new(Microframe::new().post("/", json_result));
    let post = |body: &'static str| client.post("/").header("content-type", "application/json").body(body);
    post("[1]").send().await.assert_body("[1]");
    post("[1,\"x\"]").send().await.assert_status(200).assert_body(r#"field Some("[1]")"#);
    post("[")
        .send()
        .await
        .assert_status(200)
        .assert_body("other: Failed to parse the request body as JSON: EOF while parsing a list at line 1 column 1");
    client
        .post("/")
        .body("[1]")
        .send()
        .await
        .assert_status(200)
        .assert_body("other: Expected Content-Type: application/json");
}
