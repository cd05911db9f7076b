//! `Form<T>`: the Content-Type rule (415), the empty form, and the 422 texts.

use microframe::{Form, Microframe, TestClient};
use serde::Deserialize;

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    age: Option<u32>,
    #[serde(default)]
    hobbies: Vec<String>,
}

async fn profile(Form(p): Form<Profile>) -> String {
    format!("age={:?} hobbies={:?}", p.age, p.hobbies)
}

#[derive(Deserialize)]
struct Login {
    user: String,
    age: u8,
}

async fn login(Form(login): Form<Login>) -> String {
    format!("{} {}", login.user, login.age)
}

fn client() -> TestClient {
    TestClient::new(Microframe::new().post("/profile", profile).post("/login", login))
}

const URLENCODED: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn a_urlencoded_body_fills_the_type() {
    client()
        .post("/profile")
        .form(&[("age", "10"), ("hobbies", "a b"), ("hobbies", "c&d")])
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"age=Some(10) hobbies=["a b", "c&d"]"#);
}

#[tokio::test]
async fn a_non_empty_body_of_another_or_no_content_type_is_415() {
    let client = client();
    for content_type in [Some("text/plain"), Some("application/json"), Some("multipart/form-data; boundary=x"), None] {
        let mut request = client.post("/profile").body("age=10");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request
            .send()
            .await
            .assert_status(415)
            .assert_header("content-type", "text/plain; charset=utf-8")
            .assert_body("Expected Content-Type: application/x-www-form-urlencoded");
    }
}

#[tokio::test]
async fn an_empty_or_absent_body_is_an_empty_form_whatever_its_content_type() {
    let client = client();
    client.post("/profile").send().await.assert_status(200).assert_body("age=None hobbies=[]");
    client
        .post("/profile")
        .header("content-type", "application/json")
        .header("content-length", "0")
        .send()
        .await
        .assert_status(200)
        .assert_body("age=None hobbies=[]");
    client.post("/profile").header("content-type", URLENCODED).send().await.assert_body("age=None hobbies=[]");
    // An empty form that lacks a required field is a 422, not a 415.
    client
        .post("/login")
        .header("content-type", "text/plain")
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize form body: missing field `user`");
}

#[tokio::test]
async fn the_content_type_is_compared_case_insensitively_without_parameters() {
    let client = client();
    for content_type in [
        "Application/X-WWW-Form-URLEncoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "APPLICATION/X-WWW-FORM-URLENCODED;charset=utf-8",
        "application/x-www-form-urlencoded ; foo=bar",
    ] {
        client
            .post("/profile")
            .header("content-type", content_type)
            .body("age=3")
            .send()
            .await
            .assert_status(200)
            .assert_body("age=Some(3) hobbies=[]");
    }
    client
        .post("/profile")
        .header("content-type", "application/x-www-form-urlencoded-not")
        .body("age=3")
        .send()
        .await
        .assert_status(415);
}

#[tokio::test]
async fn a_body_that_does_not_fit_is_422_naming_the_field() {
    let client = client();
    client
        .post("/login")
        .form(&[("user", "ann"), ("age", "old")])
        .send()
        .await
        .assert_status(422)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Failed to deserialize form body: age: invalid digit found in string");
    client
        .post("/login")
        .form(&[("user", "ann"), ("age", "300")])
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize form body: age: number too large to fit in target type");
    client
        .post("/login")
        .form(&[("user", "ann"), ("user", "bob"), ("age", "1")])
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize form body: user: unsupported value");
    client
        .post("/login")
        .form(&[("age", "1")])
        .send()
        .await
        .assert_status(422)
        .assert_body("Failed to deserialize form body: missing field `user`");
    client.post("/login").form(&[("user", "ann"), ("age", "30")]).send().await.assert_status(200).assert_body("ann 30");
}

#[tokio::test]
async fn the_form_decodes_like_the_query() {
    client()
        .post("/login")
        .header("content-type", URLENCODED)
        .body("user=a+b%26c%zz&age=%31")
        .send()
        .await
        .assert_status(200)
        .assert_body("a b&c%zz 1");
}
