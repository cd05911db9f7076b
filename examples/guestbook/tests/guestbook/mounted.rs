//! Mounted under a prefix: every URL the app writes carries it, and so does the cookie.

use serde_json::json;

use crate::{PNG, app, signing};

#[tokio::test]
async fn mounted_at_a_prefix_every_link_redirect_and_cookie_path_carries_it() {
    let scratch = crate::Scratch::new();
    let client = microframe::TestClient::new(microframe::Microframe::new().mount("/guestbook", app(&scratch).await));
    let page = client.get("/guestbook/").send().await.assert_status(200).text();
    assert!(page.contains(r#"action="/guestbook/sign""#), "{page}");
    assert!(page.contains(r#"<link rel="stylesheet" href="/guestbook/static/style.css">"#), "{page}");
    assert!(page.contains(r#"<a href="/guestbook/">Guestbook</a>"#), "{page}");
    let signed = client.post("/guestbook/sign").multipart(signing("ann", "hi", Some(("image/png", PNG)))).send().await;
    let signed = signed.assert_status(303).assert_header("location", "/guestbook/");
    assert!(signed.header("set-cookie").unwrap().contains("; Path=/guestbook"), "{:?}", signed.header("set-cookie"));
    let page = client.get("/guestbook/").send().await.text();
    assert!(page.contains("Thanks for signing, ann!"), "the cookie came back under the prefix: {page}");
    assert!(
        page.contains(r#"<a href="/guestbook/entry/1">ann</a>"#) && page.contains(r#"src="/guestbook/entry/1/photo""#),
        "{page}"
    );
    client.get("/guestbook/entry/1").send().await.assert_body_contains(r#"<img src="/guestbook/entry/1/photo""#);
    client.get("/guestbook/static/style.css").send().await.assert_status(200);
    client.get("/guestbook/api/entries/1").send().await.assert_json(&json!({
        "id": 1, "name": "ann", "message": "hi",
        "created": client.get("/guestbook/api/entries/1").send().await.json::<serde_json::Value>()["created"],
        "photo": "/guestbook/entry/1/photo"
    }));
    client
        .post("/guestbook/api/entries")
        .json(&json!({"name": "bob", "message": "yo"}))
        .send()
        .await
        .assert_status(201)
        .assert_header("location", "/guestbook/api/entries/2");
    client
        .get("/guestbook/nope")
        .send()
        .await
        .assert_status(404)
        .assert_body_contains("href=\"/guestbook/static/style.css\"");
}
