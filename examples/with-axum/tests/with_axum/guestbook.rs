//! The guestbook mounted at `/guestbook` in the axum router: its rules hold with the
//! prefix, through axum, in process (with the test client's cookie jar) and on the wire.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use gateway_tower::TowerApp;
use microframe::{MultipartForm, TestClient};
use serde_json::json;
use test_support::child::ExampleServer;

const KEY: &str = "test key material: 32 bytes long";
/// A PNG signature and a few bytes: a photo as the guestbook judges it.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0123";

/// The test's own directory for the guestbook's database.
#[derive(Debug)]
pub(crate) struct Scratch(test_support::Scratch);

impl Scratch {
    /// A new, empty directory.
    pub(crate) fn new() -> Self {
        Self(test_support::Scratch::new("with-axum-test"))
    }

    fn db(&self) -> PathBuf {
        self.0.join("guestbook.db")
    }
}

/// The example's binary on `127.0.0.1:0`, its guestbook on a database in `scratch`.
pub(crate) fn start_binary(scratch: &Scratch) -> ExampleServer {
    let mut command = Command::new(env!("CARGO_BIN_EXE_example-with-axum"));
    command
        .arg("127.0.0.1:0")
        .env("GUESTBOOK_DB", scratch.db())
        .env("GUESTBOOK_SECRET_KEY", KEY)
        .env_remove("GUESTBOOK_STATIC");
    ExampleServer::from_command(command)
}

/// The example's router as `main` builds it, as a gateway app under the test client.
async fn client(scratch: &Scratch) -> TestClient {
    let config = example_guestbook::Config {
        database: scratch.db(),
        secret_key: Some(KEY.as_bytes().to_vec()),
        ..example_guestbook::Config::from_vars(|_| None).unwrap()
    };
    TestClient::new(TowerApp::new(example_with_axum::router(&config).await.expect("open the guestbook")))
}

#[tokio::test]
async fn mounted_in_axum_every_url_the_guestbook_writes_carries_the_prefix() {
    let scratch = Scratch::new();
    let client = client(&scratch).await;
    client.get("/guestbook").send().await.assert_status(308).assert_header("location", "/guestbook/");
    let page = client.get("/guestbook/").send().await.assert_status(200).text();
    assert!(page.contains(r#"<form method="post" action="/guestbook/sign" enctype="multipart/form-data">"#), "{page}");
    assert!(page.contains(r#"<link rel="stylesheet" href="/guestbook/static/style.css">"#), "{page}");
    assert!(page.contains(r#"<a href="/guestbook/">Guestbook</a>"#), "{page}");

    let form = MultipartForm::new().text("name", "ann").text("message", "hi").file(
        "photo",
        "a.png",
        "image/png",
        PNG.to_vec(),
    );
    let signed = client
        .post("/guestbook/sign")
        .multipart(form)
        .send()
        .await
        .assert_status(303)
        .assert_header("location", "/guestbook/");
    let cookie = signed.header("set-cookie").expect("the session cookie");
    assert!(cookie.starts_with("session=") && cookie.contains("; Path=/guestbook"), "{cookie}");
    let page = client.get("/guestbook/").send().await.text();
    assert!(page.contains("Thanks for signing, ann!") && page.contains(r#"name="name" value="ann""#), "{page}");
    assert!(
        page.contains(r#"<a href="/guestbook/entry/1">ann</a>"#) && page.contains(r#"src="/guestbook/entry/1/photo""#),
        "{page}"
    );
    client
        .get("/guestbook/entry/1")
        .send()
        .await
        .assert_status(200)
        .assert_body_contains(r#"<img src="/guestbook/entry/1/photo""#);
    let photo = client
        .get("/guestbook/entry/1/photo")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "image/png");
    assert_eq!(&photo.bytes()[..], PNG);
    client
        .get("/guestbook/static/style.css")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/css; charset=utf-8");
    client
        .post("/guestbook/api/entries")
        .json(&json!({"name": "bob", "message": "yo"}))
        .send()
        .await
        .assert_status(201)
        .assert_header("location", "/guestbook/api/entries/2");
    let listed: Vec<serde_json::Value> = client.get("/guestbook/api/entries").send().await.json();
    assert_eq!(listed[1]["photo"], "/guestbook/entry/1/photo");
    let missing = client.get("/guestbook/nope").send().await.assert_status(404).text();
    assert!(missing.contains("Not Found") && missing.contains(r#"href="/guestbook/static/style.css""#), "{missing}");
    client.get("/guestbook/entry/9").send().await.assert_status(404).assert_body_contains("No such entry");
    // The rest of the router is untouched.
    client.get("/").send().await.assert_body("axum root");
}

#[tokio::test]
async fn mounted_in_axum_a_form_from_another_site_is_still_refused() {
    let scratch = Scratch::new();
    let client = client(&scratch).await;
    let form = [("name", "eve"), ("message", "x")];
    client
        .post("/guestbook/sign")
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .assert_status(403)
        .assert_body("Forbidden");
    client.post("/guestbook/sign").header("sec-fetch-site", "same-origin").form(&form).send().await.assert_status(303);
}

#[tokio::test]
async fn on_the_wire_the_mounted_guestbook_signs_and_redirects_under_its_prefix() {
    let scratch = Scratch::new();
    let mut server = start_binary(&scratch);
    let page = test_support::client::get(server.addr, "/guestbook/").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains(r#"action="/guestbook/sign""#), "{}", page.text());
    let request = http::Request::post("/guestbook/sign")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(http_body_util::Full::new(bytes::Bytes::from_static(b"name=ann&message=hi")))
        .unwrap();
    let signed = test_support::client::send(server.addr, request).await;
    assert_eq!((signed.status.as_u16(), signed.header("location")), (303, "/guestbook/"));
    assert!(signed.header("set-cookie").contains("; Path=/guestbook"), "{}", signed.header("set-cookie"));
    server.terminate();
    assert!(server.wait(Duration::from_secs(5)).expect("exits on SIGTERM").success());
}
