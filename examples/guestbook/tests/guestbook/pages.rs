//! The HTML side in process: signing, the flash, the session, the form's messages, the
//! 404 and 500 pages, and what `POST /sign` refuses.

use microframe::{MultipartForm, SESSION_COOKIE};

use crate::{HTML, entries, guestbook, signing};

#[tokio::test]
async fn signing_redirects_flashes_once_and_remembers_the_name() {
    let (client, _scratch) = guestbook().await;
    let home = client.get("/").send().await.assert_status(200).assert_header("content-type", HTML);
    let page = home.text();
    assert!(page.contains(r#"<form method="post" action="/sign" enctype="multipart/form-data">"#), "{page}");
    assert!(page.contains(r#"name="name" value="""#), "{page}");
    assert!(page.contains(r#"<textarea id="message" name="message""#), "{page}");
    assert!(page.contains(r#"type="file" id="photo" name="photo""#), "{page}");
    assert!(page.contains(r#"<link rel="stylesheet" href="/static/style.css">"#), "{page}");
    assert!(!page.contains("Thanks for signing"), "{page}");

    let signed = client.post("/sign").multipart(signing("  Ann  ", "Hello\r\nthere ", None)).send().await;
    let signed = signed.assert_status(303).assert_header("location", "/");
    let cookie = signed.header("set-cookie").expect("the session cookie").to_owned();
    assert!(cookie.starts_with(&format!("{SESSION_COOKIE}=")), "{cookie}");
    for attribute in ["; HttpOnly", "; SameSite=Lax", "; Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    let first = client.get("/").send().await.assert_status(200).text();
    assert!(first.contains("Thanks for signing, Ann!"), "{first}");
    assert!(first.contains(r#"name="name" value="Ann""#), "the name is remembered: {first}");
    assert!(first.contains(r#"<a href="/entry/1">Ann</a>"#), "{first}");
    assert!(first.contains("Hello\nthere</p>"), "CRLF became LF and the value was trimmed: {first}");
    let second = client.get("/").send().await.text();
    assert!(!second.contains("Thanks for signing"), "the flash is shown once: {second}");
    assert!(second.contains(r#"name="name" value="Ann""#), "{second}");
}

#[tokio::test]
async fn an_urlencoded_signing_works_too_and_its_photo_field_is_ignored() {
    let (client, _scratch) = guestbook().await;
    client
        .post("/sign")
        .form(&[("name", "bob"), ("message", "hi"), ("photo", "\u{89}PNG\r\n\u{1a}\n")])
        .follow_redirects()
        .send()
        .await
        .assert_status(200)
        .assert_body_contains("Thanks for signing, bob!");
    assert_eq!(entries(&client).await[0]["photo"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_new_signing_replaces_an_unread_flash_so_the_session_never_grows() {
    let (client, _scratch) = guestbook().await;
    let mut sizes = Vec::new();
    for n in 0..20 {
        client
            .post("/sign")
            .form(&[("name", &format!("signer{n:02}")), ("message", "m")])
            .send()
            .await
            .assert_status(303);
        sizes.push(client.cookie(SESSION_COOKIE).expect("a session").len());
    }
    assert!(sizes.iter().all(|size| *size == sizes[0]), "{sizes:?}");
    let page = client.get("/").send().await.text();
    assert_eq!(page.matches("Thanks for signing").count(), 1, "{page}");
    assert!(page.contains("Thanks for signing, signer19!"), "{page}");
}

#[tokio::test]
async fn the_flash_shows_the_stored_name_escaped() {
    let (client, _scratch) = guestbook().await;
    client.post("/sign").form(&[("name", " <b>ann</b> "), ("message", "x")]).send().await.assert_status(303);
    client
        .get("/")
        .send()
        .await
        .assert_body_contains("Thanks for signing, &lt;b&gt;ann&lt;/b&gt;!")
        .assert_body_contains(r#"value="&lt;b&gt;ann&lt;/b&gt;""#)
        .assert_body_lacks("<b>ann</b>");
}

#[tokio::test]
async fn each_bad_field_is_refused_with_its_message_and_the_form_keeps_what_was_sent() {
    let (client, _scratch) = guestbook().await;
    let cases: [(&str, &str, &[&str]); 5] = [
        ("", "", &["Name is required", "Message is required"]),
        (" \r\n ", "hi", &["Name is required"]),
        (&"n".repeat(101), "hi", &["Name is too long (max 100 characters)"]),
        ("ann", &"é".repeat(501), &["Message is too long (max 500 characters)"]),
        ("ann", "  ", &["Message is required"]),
    ];
    for (name, message, expected) in cases {
        let page = client.post("/sign").multipart(signing(name, message, None)).send().await;
        let page = page.assert_status(422).assert_header("content-type", HTML).text();
        for message in expected {
            assert!(page.contains(&format!(r#"<p class="error">{message}</p>"#)), "{message}: {page}");
        }
        assert_eq!(page.matches(r#"<p class="error">"#).count(), expected.len(), "{page}");
        if !name.contains(['\r', '\n']) {
            assert!(page.contains(&format!(r#"name="name" value="{name}""#)), "the name as sent: {page}");
        }
        assert!(page.contains(&format!(">{message}</textarea>")), "the message as sent: {page}");
    }
    assert!(entries(&client).await.is_empty(), "nothing was stored");
    // What was sent comes back escaped, in the input and in the textarea.
    let page = client.post("/sign").form(&[("name", "<script>x</script>"), ("message", "")]).send().await;
    page.assert_status(422)
        .assert_body_contains(r#"value="&lt;script&gt;x&lt;/script&gt;""#)
        .assert_body_lacks("<script>x")
        .assert_body_contains("Message is required");
    let page = client.post("/sign").form(&[("name", ""), ("message", "a \"quoted\" <i>line</i>")]).send().await;
    page.assert_status(422).assert_body_contains("a &#34;quoted&#34; &lt;i&gt;line&lt;/i&gt;</textarea>");
}

#[tokio::test]
async fn what_post_sign_refuses_keeps_its_plain_text() {
    let (client, _scratch) = guestbook().await;
    client
        .post("/sign")
        .header("content-type", "text/plain")
        .body("name=ann&message=hi")
        .send()
        .await
        .assert_status(415)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Expected Content-Type: application/x-www-form-urlencoded or multipart/form-data");
    client
        .post("/sign")
        .header("content-type", "multipart/form-data")
        .body("--x\r\n")
        .send()
        .await
        .assert_status(415)
        .assert_body("Expected Content-Type: multipart/form-data");
    client
        .post("/sign")
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--y\r\n")
        .send()
        .await
        .assert_status(400)
        .assert_body("Bad Request");
    // No body at all is an empty form, whatever the type: the rules refuse it.
    for content_type in [None, Some("text/plain"), Some("multipart/form-data; boundary=x")] {
        let request = client.post("/sign");
        let request = match content_type {
            Some(value) => request.header("content-type", value),
            None => request,
        };
        request
            .send()
            .await
            .assert_status(422)
            .assert_body_contains("Name is required")
            .assert_body_contains("Message is required");
    }
    let huge = MultipartForm::new().text("name", "ann").text("message", "hi").file(
        "photo",
        "big.png",
        "image/png",
        vec![0; 2 << 20],
    );
    client.post("/sign").multipart(huge).send().await.assert_status(413).assert_body("Payload Too Large");
    let over = "x".repeat((2 << 20) + 1);
    client
        .post("/sign")
        .form(&[("name", "ann"), ("message", &over)])
        .send()
        .await
        .assert_status(413)
        .assert_body("Payload Too Large");
    assert!(entries(&client).await.is_empty());
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_403_text() {
    let (client, _scratch) = guestbook().await;
    let form = [("name", "eve"), ("message", "gotcha")];
    client
        .post("/sign")
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .assert_status(403)
        .assert_body("Forbidden");
    client
        .post("/sign")
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .assert_status(403)
        .assert_body("Forbidden");
    client
        .post("/api/entries")
        .header("sec-fetch-site", "same-site")
        .json(&serde_json::json!({"name": "eve", "message": "x"}))
        .send()
        .await
        .assert_status(403)
        .assert_body("Forbidden");
    assert!(entries(&client).await.is_empty());
    client.post("/sign").header("sec-fetch-site", "same-origin").form(&form).send().await.assert_status(303);
    client
        .post("/sign")
        .header("origin", "http://localhost")
        .header("host", "localhost")
        .form(&form)
        .send()
        .await
        .assert_status(303);
}

#[tokio::test]
async fn the_list_shows_the_newest_twenty_newest_first() {
    let (client, _scratch) = guestbook().await;
    for n in 1..=25 {
        client
            .post("/api/entries")
            .json(&serde_json::json!({"name": format!("n{n:02}"), "message": "m"}))
            .send()
            .await
            .assert_status(201);
    }
    let page = client.get("/").send().await.text();
    let shown: Vec<usize> = (1..=25).filter(|n| page.contains(&format!(">n{n:02}</a>"))).collect();
    assert_eq!(shown, (6..=25).collect::<Vec<_>>());
    let positions: Vec<usize> = (6..=25).rev().map(|n| page.find(&format!(">n{n:02}</a>")).unwrap()).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "newest first");
}

#[tokio::test]
async fn an_entry_has_its_page_and_an_unknown_one_the_html_404() {
    let (client, _scratch) = guestbook().await;
    client.post("/sign").form(&[("name", "ann"), ("message", "<i>hi</i>")]).send().await.assert_status(303);
    let page = client.get("/entry/1").send().await.assert_status(200).assert_header("content-type", HTML).text();
    assert!(page.contains("<h1>ann</h1>") && page.contains("&lt;i&gt;hi&lt;/i&gt;"), "{page}");
    let created = entries(&client).await[0]["created"].as_str().unwrap().to_owned();
    assert!(crate::is_utc_time(&created) && page.contains(&created), "{created}: {page}");
    assert!(!page.contains("<img"), "no photo, no image: {page}");
    for missing in ["/entry/2", "/entry/0", "/entry/-1", "/entry/1/photo", "/entry/2/photo"] {
        let page = client.get(missing).send().await.assert_status(404).assert_header("content-type", HTML).text();
        assert!(page.contains("Not Found") && page.contains("<link rel=\"stylesheet\""), "{missing}: {page}");
    }
    client.get("/entry/2").send().await.assert_body_contains("No such entry");
}

#[tokio::test]
async fn every_other_path_is_the_html_404_page() {
    let (client, _scratch) = guestbook().await;
    for path in [
        "/nope",
        "/api/unknown",
        "/entry/x",
        "/sign/",
        "/static/missing.css",
        "/static/../Cargo.toml",
        "/entry/99999999999999999999",
    ] {
        let page = client.get(path).send().await.assert_status(404).assert_header("content-type", HTML).text();
        assert!(page.contains("Not Found"), "{path}: {page}");
    }
    // 405 keeps its plain text: only 404 and 500 have pages.
    client.get("/sign").send().await.assert_status(405).assert_body("Method Not Allowed");
}

#[tokio::test]
async fn a_failing_database_is_the_html_500_page_and_the_cause_stays_in_the_log() {
    let (client, scratch) = guestbook().await;
    let connection = rusqlite::Connection::open(scratch.db()).unwrap();
    connection.execute_batch("DROP TABLE entries").unwrap();
    for path in ["/", "/api/entries", "/entry/1"] {
        let page = client.get(path).send().await.assert_status(500).assert_header("content-type", HTML).text();
        assert!(page.contains("Internal Server Error") && !page.contains("no such table"), "{path}: {page}");
    }
}
