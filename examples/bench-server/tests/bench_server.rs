//! The three scenarios answer with the peers' exact bytes (status, Content-Type, body).

use example_bench_server::app;
use microframe::TestClient;

/// `templates/profile.html` rendered for `age=10&hobbies=software&hobbies=tunning`, as the
/// peers (axum, actix-web, bare hyper) render it.
const PROFILE_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Profile</title></head>\n<body>\n<h1>Age: 10</h1>\n<ul>\n<li>software</li>\n<li>tunning</li>\n</ul>\n</body>\n</html>";

fn client(mode: &str) -> TestClient {
    TestClient::new(app(mode).expect("a known mode"))
}

#[tokio::test]
async fn hello_is_plain_text() {
    client("hello")
        .get("/")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Hello, World!");
}

#[tokio::test]
async fn query_renders_the_profile_page() {
    client("query")
        .get("/?age=10&hobbies=software&hobbies=tunning")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body(PROFILE_PAGE);
}

#[tokio::test]
async fn post_renders_the_profile_page() {
    client("post")
        .post("/")
        .form(&[("age", "10"), ("hobbies", "software"), ("hobbies", "tunning")])
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/html; charset=utf-8")
        .assert_body(PROFILE_PAGE);
}

#[tokio::test]
async fn bad_input_follows_the_status_contract() {
    client("query").get("/?age=old").send().await.assert_status(400);
    client("query").get("/").send().await.assert_status(400);
    client("post").post("/").form(&[("age", "-1")]).send().await.assert_status(422);
    client("post").get("/").send().await.assert_status(405);
}
