//! `Query<T>`: serde_html_form 0.4 semantics and the 400 texts.

use microframe::{Microframe, Query, TestClient};
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    n: i32,
}

async fn page(Query(page): Query<Page>) -> String {
    format!("n={}", page.n)
}

#[derive(Deserialize)]
struct Optional {
    n: Option<i32>,
    flag: Option<bool>,
    s: Option<String>,
}

async fn optional(Query(o): Query<Optional>) -> String {
    format!("n={:?} flag={:?} s={:?}", o.n, o.flag, o.s)
}

#[derive(Deserialize)]
struct Tags {
    #[serde(default)]
    tag: Vec<String>,
    #[serde(default)]
    id: Vec<u8>,
}

async fn tags(Query(t): Query<Tags>) -> String {
    format!("tag={:?} id={:?}", t.tag, t.id)
}

#[derive(Deserialize)]
struct Nested {
    user: User,
}

#[derive(Deserialize)]
struct User {
    age: u8,
}

async fn nested(Query(n): Query<Nested>) -> String {
    n.user.age.to_string()
}

fn client() -> TestClient {
    TestClient::new(
        Microframe::new().get("/page", page).get("/optional", optional).get("/tags", tags).get("/nested", nested),
    )
}

#[tokio::test]
async fn a_value_that_does_not_parse_is_400_naming_the_field() {
    client()
        .get("/page?n=hi")
        .send()
        .await
        .assert_status(400)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Failed to deserialize query string: n: invalid digit found in string");
    client()
        .get("/page?n=99999999999")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: n: number too large to fit in target type");
    client().get("/page?n=-7").send().await.assert_status(200).assert_body("n=-7");
}

#[tokio::test]
async fn a_repeated_key_into_a_scalar_is_400_naming_the_field() {
    // serde_html_form 0.4's own reason text for a repeated key into a scalar.
    client()
        .get("/page?n=1&n=2")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: n: unsupported value");
}

#[tokio::test]
async fn a_missing_field_is_400_with_serdes_text_and_no_field_prefix() {
    client()
        .get("/page")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: missing field `n`");
    client()
        .get("/page?m=1")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: missing field `n`");
}

#[tokio::test]
async fn an_empty_value_is_none_for_numbers_and_bools_but_some_empty_for_strings() {
    let client = client();
    client.get("/optional?n=&flag=&s=").send().await.assert_status(200).assert_body(r#"n=None flag=None s=Some("")"#);
    client.get("/optional").send().await.assert_body("n=None flag=None s=None");
    client.get("/optional?n=5&flag=true&s=a+b").send().await.assert_body(r#"n=Some(5) flag=Some(true) s=Some("a b")"#);
    client
        .get("/optional?n=x")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: n: invalid digit found in string");
}

#[tokio::test]
async fn repeated_keys_fill_a_vec_in_order() {
    let client = client();
    client
        .get("/tags?tag=b&id=3&tag=a&id=1")
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"tag=["b", "a"] id=[3, 1]"#);
    client.get("/tags?tag=only").send().await.assert_body(r#"tag=["only"] id=[]"#);
    client.get("/tags").send().await.assert_body("tag=[] id=[]");
    client
        .get("/tags?id=1&id=300")
        .send()
        .await
        .assert_status(400)
        .assert_body("Failed to deserialize query string: id[1]: number too large to fit in target type");
}

#[tokio::test]
async fn a_struct_field_that_a_flat_query_cannot_fill_is_400() {
    let response = client().get("/nested?user=1").send().await;
    assert_eq!(response.status(), 400);
    assert!(
        response.text().starts_with("Failed to deserialize query string: user: "),
        "the field is named: {:?}",
        response.text()
    );
}
