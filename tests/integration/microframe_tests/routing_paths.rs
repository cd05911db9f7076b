//! Paths as the router sees them: the trailing-slash rule, segments split on the raw path,
//! no normalisation, and the build-time panics.

use http::Method;
use microframe::{Microframe, Path, TestClient};

async fn hello(Path(name): Path<String>) -> String {
    format!("Hello {name}!")
}

async fn ok() -> &'static str {
    "ok"
}

#[tokio::test]
async fn a_slashed_route_requested_without_the_slash_is_308_with_the_query_kept() {
    let client = TestClient::new(Microframe::new().get("/projects/", ok).post("/items/", ok));
    client.get("/projects").send().await.assert_status(308).assert_header("location", "/projects/").assert_body("");
    client
        .get("/projects?page=2&q=a%20b+c")
        .send()
        .await
        .assert_status(308)
        .assert_header("location", "/projects/?page=2&q=a%20b+c")
        .assert_body("");
    client.get("/projects/").send().await.assert_status(200).assert_body("ok");
    // 308 keeps the method, so a POST route gets the redirect too.
    client.post("/items").send().await.assert_status(308).assert_header("location", "/items/");
}

#[tokio::test]
async fn an_unslashed_route_requested_with_a_slash_is_404() {
    let client = TestClient::new(Microframe::new().get("/about", ok));
    client.get("/about/").send().await.assert_status(404).assert_body("Not Found").assert_no_header("location");
    client.get("/about").send().await.assert_status(200);
}

#[tokio::test]
async fn segments_are_split_on_the_raw_path_then_decoded() {
    let client = TestClient::new(Microframe::new().get("/hello/<name>", hello).get("/with space/x", ok));
    client.get("/hello/a%2Fb").send().await.assert_status(200).assert_body("Hello a/b!");
    client.get("/hello/a/b").send().await.assert_status(404).assert_body("Not Found");
    client.get("/hello/%C3%A9t%C3%A9").send().await.assert_body("Hello été!");
    // Decoding is lossy UTF-8 and keeps invalid escapes, as PATH_INFO does.
    client.get("/hello/%ff").send().await.assert_status(200).assert_body("Hello \u{fffd}!");
    client.get("/hello/%zz%").send().await.assert_status(200).assert_body("Hello %zz%!");
    // A pattern's literal segments are written decoded and compared with decoded segments.
    client.get("/with%20space/x").send().await.assert_status(200).assert_body("ok");
    client.get("/with%20space%2Fx").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn dot_segments_are_literal() {
    let client = TestClient::new(Microframe::new().get("/hello/<name>", hello).get("/secret", ok));
    client.get("/hello/..").send().await.assert_status(200).assert_body("Hello ..!");
    client.get("/hello/%2e%2e").send().await.assert_status(200).assert_body("Hello ..!");
    client.get("/hello/.").send().await.assert_status(200).assert_body("Hello .!");
    // Not normalised to `/secret`:
    client.get("/hello/../secret").send().await.assert_status(404).assert_body("Not Found");
    client.get("/hello/%2e%2e/secret").send().await.assert_status(404).assert_body("Not Found");
    client.get("/./secret").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn empty_segments_are_literal() {
    let client = TestClient::new(Microframe::new().get("/hello/<name>", hello));
    client.get("//hello/bob").send().await.assert_status(404).assert_body("Not Found");
    client.get("/hello//bob").send().await.assert_status(404).assert_body("Not Found");
    client.get("/hello/bob/").send().await.assert_status(404).assert_body("Not Found");
}

/// The message of the panic `build` raises, or `None` when it does not panic.
fn build_panic(build: impl FnOnce() -> Microframe + std::panic::UnwindSafe) -> Option<String> {
    std::panic::catch_unwind(build).err().map(|payload| gateway_core::panic_message(&*payload))
}

#[test]
fn a_duplicate_route_panics_at_build_time_naming_both_patterns() {
    let message = build_panic(|| {
        Microframe::new().get("/item/<id:int>", ok).route(&[Method::POST, Method::GET], "/item/<n:int>", ok)
    });
    assert_eq!(
        message.as_deref(),
        Some("duplicate route: GET /item/<n:int> is already registered as GET /item/<id:int>")
    );
    let literal = build_panic(|| Microframe::new().post("/save", ok).post("/save", ok));
    assert!(literal.is_some_and(|m| m.starts_with("duplicate route: POST /save")));
}

#[test]
fn routes_that_differ_in_method_or_shape_are_not_duplicates() {
    assert_eq!(build_panic(|| Microframe::new().get("/item/<id:int>", ok).post("/item/<n:int>", ok)), None);
    assert_eq!(build_panic(|| Microframe::new().get("/item/<id:int>", ok).get("/item/<name>", ok)), None);
    assert_eq!(build_panic(|| Microframe::new().get("/item/<id:int>", ok).get("/items/<id:int>", ok)), None);
    assert_eq!(build_panic(|| Microframe::new().get("/about", ok).get("/about/", ok)), None);
}

#[test]
fn an_unknown_converter_panics_at_build_time() {
    let message = build_panic(|| Microframe::new().get("/x/<v:nope>", ok));
    assert_eq!(message.as_deref(), Some(r#"route pattern "/x/<v:nope>": unknown converter `nope`"#));
}

#[test]
fn a_path_parameter_that_is_not_last_panics_at_build_time() {
    let message = build_panic(|| Microframe::new().get("/x/<p:path>/end", ok));
    assert!(message.is_some_and(|m| m.contains("must be last")));
}

async fn named(microframe::Path(name): microframe::Path<String>) -> String {
    format!("Hello {name}!")
}

#[tokio::test]
async fn the_trailing_slash_redirect_never_points_to_another_site() {
    let client = TestClient::new(Microframe::new().get("/<name>/", named));
    client.get("/bob").send().await.assert_status(308).assert_header("location", "/bob/");
    // `/\evil.com/` and `//evil.com/` are read by browsers as http://evil.com/.
    for target in ["/\\evil.com", "//evil.com"] {
        client.get(target).send().await.assert_status(404).assert_no_header("location");
    }
}
