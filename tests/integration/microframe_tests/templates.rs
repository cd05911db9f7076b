//! askama templates through `Render`: `text/html`, HTML escaping with named entities, and a
//! render failure as a generic 500 whose cause is never sent.

use std::fmt;

use askama::Template;
use microframe::{Microframe, Path, Query, Render, TestClient};

#[derive(Template)]
#[template(source = r#"<p title="{{ name }}">Hello {{ name }}!</p>"#, ext = "html")]
struct Hello {
    name: String,
}

async fn hello(Path(name): Path<String>) -> Render<Hello> {
    Render(Hello { name })
}

/// The shared `templates/profile.html`, found through `tests/askama.toml`'s `dirs`.
#[derive(Template)]
#[template(path = "profile.html")]
struct Profile {
    age: u32,
    hobbies: Vec<String>,
}

#[derive(serde::Deserialize)]
struct ProfileQuery {
    age: u32,
    #[serde(default)]
    hobbies: Vec<String>,
}

async fn profile(Query(q): Query<ProfileQuery>) -> Render<Profile> {
    Render(Profile { age: q.age, hobbies: q.hobbies })
}

/// A value whose `Display` writes part of a secret, then fails.
struct Exploding;

impl fmt::Display for Exploding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SECRET-PARTIAL")?;
        Err(fmt::Error)
    }
}

#[derive(Template)]
#[template(source = "<p>before {{ value }} after</p>", ext = "html")]
struct Broken {
    value: Exploding,
}

#[derive(Template)]
#[template(source = "<p>{{ name|explode }}</p>", ext = "html")]
struct BrokenFilter {
    name: &'static str,
}

// `filter_fn` generates a `pub` type inside this private module.
#[allow(unreachable_pub)]
mod filters {
    /// A custom filter that always fails, naming a secret in its error.
    #[askama::filter_fn]
    pub fn explode<T: std::fmt::Display>(value: T, _env: &dyn askama::Values) -> askama::Result<String> {
        Err(askama::Error::custom(format!("SECRET cause for {value}")))
    }
}

fn client() -> TestClient {
    TestClient::new(
        Microframe::new()
            .get("/hello/<name>", hello)
            .get("/profile", profile)
            .get("/broken", || async { Render(Broken { value: Exploding }) })
            .get("/broken-filter", || async { Render(BrokenFilter { name: "bob" }) }),
    )
}

#[tokio::test]
async fn an_html_template_escapes_user_data_with_named_entities() {
    client()
        .get("/hello/%3Cscript%3E%22x%22%20%26%20'y'%3C%2Fscript%3E")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body(
            "<p title=\"&lt;script&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/script&gt;\">\
             Hello &lt;script&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/script&gt;!</p>",
        )
        .assert_body_lacks("<script>");
    client().get("/hello/bob").send().await.assert_body(r#"<p title="bob">Hello bob!</p>"#);
}

#[tokio::test]
async fn a_template_file_from_the_shared_directory_renders_and_escapes() {
    let response = client()
        .get("/profile?age=10&hobbies=software&hobbies=%3Cb%3Ebold%3C%2Fb%3E")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body_contains("<h1>Age: 10</h1>")
        .assert_body_contains("<li>software</li>")
        .assert_body_contains("<li>&lt;b&gt;bold&lt;/b&gt;</li>")
        .assert_body_lacks("<b>");
    assert!(response.text().starts_with("<!DOCTYPE html>"));
}

#[tokio::test]
async fn a_display_error_while_rendering_is_a_generic_500() {
    client()
        .get("/broken")
        .send()
        .await
        .assert_status(500)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Internal Server Error")
        .assert_body_lacks("SECRET");
}

#[tokio::test]
async fn a_failing_custom_filter_is_a_generic_500_without_its_cause() {
    client()
        .get("/broken-filter")
        .send()
        .await
        .assert_status(500)
        .assert_body("Internal Server Error")
        .assert_body_lacks("SECRET");
}
