//! `url_for`: converters' formats, percent-encoding of path parameters, extras in the query
//! string, and the errors (a handler's `Err(UrlError)` is a 500).

use microframe::{Microframe, Path, Redirect, TestClient, UrlError, UrlFor};

async fn echo(Path(name): Path<String>) -> String {
    name
}

async fn ok() -> &'static str {
    "ok"
}

fn app() -> Microframe {
    Microframe::new()
        .get("/hello/<name>", echo)
        .name("hello")
        .get("/item/<id:int>", ok)
        .name("item")
        .get("/price/<x:float>", ok)
        .name("price")
        .get("/files/<p:path>", echo)
        .name("files")
        .get("/", ok)
        .name("index")
        .get("/a b/<n:int>/", ok)
        .name("spaced")
}

#[test]
fn extra_params_go_to_the_query_string_form_urlencoded_with_repeats_kept() {
    let app = app();
    assert_eq!(app.url_for("index", &[]).as_deref(), Ok("/"));
    assert_eq!(
        app.url_for("item", &[("id", "7"), ("tag", "a b"), ("tag", "c&d=e"), ("q", "é+")]).as_deref(),
        Ok("/item/7?tag=a+b&tag=c%26d%3De&q=%C3%A9%2B")
    );
    assert_eq!(app.url_for("index", &[("", "x")]).as_deref(), Ok("/?=x"));
}

#[test]
fn path_params_keep_only_unreserved_characters_literal() {
    let app = app();
    assert_eq!(app.url_for("hello", &[("name", "a b/c")]).as_deref(), Ok("/hello/a%20b%2Fc"));
    assert_eq!(app.url_for("hello", &[("name", "AZaz09-._~")]).as_deref(), Ok("/hello/AZaz09-._~"));
    assert_eq!(
        app.url_for("hello", &[("name", "?#%&+=:@!$'()*,;é")]).as_deref(),
        Ok("/hello/%3F%23%25%26%2B%3D%3A%40%21%24%27%28%29%2A%2C%3B%C3%A9")
    );
}

#[test]
fn literal_segments_are_percent_encoded_too() {
    assert_eq!(app().url_for("spaced", &[("n", "1")]).as_deref(), Ok("/a%20b/1/"));
}

#[test]
fn a_path_parameter_keeps_its_slashes_and_encodes_each_segment() {
    assert_eq!(app().url_for("files", &[("p", "a b/c?d")]).as_deref(), Ok("/files/a%20b/c%3Fd"));
}

#[test]
fn built_in_converters_format_the_parsed_value() {
    let app = app();
    assert_eq!(app.url_for("item", &[("id", "007")]).as_deref(), Ok("/item/7"));
    assert_eq!(app.url_for("item", &[("id", "-3")]).as_deref(), Ok("/item/-3"));
    assert_eq!(app.url_for("price", &[("x", "2.50")]).as_deref(), Ok("/price/2.5"));
}

#[test]
fn unknown_routes_missing_params_and_refused_values_are_errors() {
    let app = app();
    assert_eq!(app.url_for("nope", &[]), Err(UrlError::UnknownRoute("nope".into())));
    assert_eq!(app.url_for("item", &[("tab", "1")]), Err(UrlError::MissingParam("id".into())));
    assert_eq!(app.url_for("item", &[("id", "x")]), Err(UrlError::InvalidParam("id".into(), "x".into())));
    assert_eq!(
        app.url_for("item", &[("id", "99999999999999999999")]).map_err(|e| e.to_string()),
        Err(r#"url_for: parameter `id` cannot take "99999999999999999999""#.into())
    );
    assert_eq!(app.url_for("price", &[("x", "1e3")]), Err(UrlError::InvalidParam("x".into(), "1e3".into())));
    assert_eq!(app.url_for("hello", &[("name", "")]), Err(UrlError::InvalidParam("name".into(), String::new())));
    assert_eq!(app.url_for("nope", &[]).map_err(|e| e.to_string()), Err("url_for: no route is named `nope`".into()));
    assert_eq!(app.url_for("item", &[]).map_err(|e| e.to_string()), Err("url_for: parameter `id` is missing".into()));
}

#[tokio::test]
async fn a_built_url_leads_back_to_the_same_value() {
    let app = app();
    let url = app.url_for("hello", &[("name", "a b/c?é")]).expect("hello is named");
    TestClient::new(app).get(&url).send().await.assert_status(200).assert_body("a b/c?é");
}

async fn go(urls: UrlFor) -> Result<Redirect, UrlError> {
    Ok(Redirect::to(urls.url_for("hello", &[("name", "bob")])?))
}

async fn broken(urls: UrlFor) -> Result<Redirect, UrlError> {
    Ok(Redirect::to(urls.url_for("missing", &[])?))
}

#[tokio::test]
async fn a_handler_returning_a_url_error_answers_500_without_the_cause() {
    let client = TestClient::new(app().get("/go", go).get("/broken", broken));
    client.get("/go").send().await.assert_status(303).assert_header("location", "/hello/bob");
    client
        .get("/broken")
        .send()
        .await
        .assert_status(500)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Internal Server Error");
}
