//! The JSON API, every row: list with `limit`, create with 201 and `Location`, the 422
//! errors, the extractor's 400/415/422 texts, and the handler's own JSON 404.

use serde_json::{Value, json};

use crate::{PNG, guestbook, is_utc_time, signing};

#[tokio::test]
async fn entries_are_listed_newest_first_with_every_field() {
    let (client, _scratch) = guestbook().await;
    client
        .get("/api/entries")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "application/json")
        .assert_json(&json!([]));
    client
        .post("/sign")
        .multipart(signing("ann", "with a photo", Some(("image/png", PNG))))
        .send()
        .await
        .assert_status(303);
    client.post("/api/entries").json(&json!({"name": " bob ", "message": "a\r\nb"})).send().await.assert_status(201);
    let listed: Vec<Value> = client.get("/api/entries").send().await.json();
    assert_eq!(listed.len(), 2);
    let created: Vec<&str> = listed.iter().map(|entry| entry["created"].as_str().unwrap()).collect();
    assert!(created.iter().all(|time| is_utc_time(time)), "{created:?}");
    assert_eq!(
        listed,
        [
            json!({"id": 2, "name": "bob", "message": "a\nb", "created": created[0], "photo": null}),
            json!({"id": 1, "name": "ann", "message": "with a photo", "created": created[1], "photo": "/entry/1/photo"}),
        ]
    );
}

#[tokio::test]
async fn limit_takes_ascii_digits_from_1_to_100_and_refuses_the_rest_with_json() {
    let (client, _scratch) = guestbook().await;
    for n in 1..=25 {
        client
            .post("/api/entries")
            .json(&json!({"name": format!("n{n}"), "message": "m"}))
            .send()
            .await
            .assert_status(201);
    }
    let count = |target: &'static str| {
        let client = &client;
        async move { client.get(target).send().await.assert_status(200).json::<Vec<Value>>().len() }
    };
    assert_eq!(count("/api/entries").await, 20);
    assert_eq!(count("/api/entries?limit=1").await, 1);
    assert_eq!(count("/api/entries?limit=007").await, 7);
    assert_eq!(count("/api/entries?limit=100").await, 25);
    let first: Vec<Value> = client.get("/api/entries?limit=1").send().await.json();
    assert_eq!(first[0]["name"], "n25");
    for bad in ["", "0", "101", "-1", "+5", "%205", "5.0", "x", "1e2", "99999999999999999999999"] {
        client
            .get(&format!("/api/entries?limit={bad}"))
            .send()
            .await
            .assert_status(400)
            .assert_header("content-type", "application/json")
            .assert_json(&json!({"error": "limit must be an integer from 1 to 100"}));
    }
}

#[tokio::test]
async fn creating_answers_201_with_the_entry_and_its_location() {
    let (client, _scratch) = guestbook().await;
    let created = client
        .post("/api/entries")
        .json(&json!({"name": "ann", "message": "hi", "admin": true, "id": 99}))
        .send()
        .await;
    let created = created
        .assert_status(201)
        .assert_header("location", "/api/entries/1")
        .assert_header("content-type", "application/json");
    let entry: Value = created.json();
    assert_eq!(
        (entry["id"].clone(), entry["name"].clone(), entry["message"].clone(), entry["photo"].clone()),
        (json!(1), json!("ann"), json!("hi"), Value::Null)
    );
    client.get("/api/entries/1").send().await.assert_status(200).assert_json(&entry);
    client.get("/").send().await.assert_body_contains(">ann</a>");
}

#[tokio::test]
async fn bad_fields_are_422_with_a_message_per_field() {
    let (client, _scratch) = guestbook().await;
    let cases = [
        (json!({}), json!({"name": "Name is required", "message": "Message is required"})),
        (json!({"name": null, "message": "hi"}), json!({"name": "Name is required"})),
        (json!({"name": 7, "message": ["hi"]}), json!({"name": "Name is required", "message": "Message is required"})),
        (json!({"name": "  ", "message": "hi"}), json!({"name": "Name is required"})),
        (json!({"name": "a".repeat(101), "message": "hi"}), json!({"name": "Name is too long (max 100 characters)"})),
        (
            json!({"name": "ann", "message": "b".repeat(501)}),
            json!({"message": "Message is too long (max 500 characters)"}),
        ),
    ];
    for (body, errors) in cases {
        client
            .post("/api/entries")
            .json(&body)
            .send()
            .await
            .assert_status(422)
            .assert_header("content-type", "application/json")
            .assert_json(&json!({ "errors": errors }));
    }
    client.get("/api/entries").send().await.assert_json(&json!([]));
}

#[tokio::test]
async fn bodies_the_json_extractor_refuses_keep_its_plain_texts() {
    let (client, _scratch) = guestbook().await;
    for not_an_object in ["[]", "\"x\"", "7", "null"] {
        let text = client
            .post("/api/entries")
            .header("content-type", "application/json")
            .body(not_an_object)
            .send()
            .await
            .assert_status(422)
            .text();
        assert!(text.starts_with("Failed to deserialize the JSON body: "), "{not_an_object}: {text}");
    }
    let text = client
        .post("/api/entries")
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .assert_status(400)
        .text();
    assert!(text.starts_with("Failed to parse the request body as JSON: "), "{text}");
    client
        .post("/api/entries")
        .form(&[("name", "ann"), ("message", "hi")])
        .send()
        .await
        .assert_status(415)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Expected Content-Type: application/json");
}

#[tokio::test]
async fn an_unknown_entry_is_the_handlers_own_json_404() {
    let (client, _scratch) = guestbook().await;
    for target in ["/api/entries/1", "/api/entries/0", "/api/entries/-5"] {
        client
            .get(target)
            .send()
            .await
            .assert_status(404)
            .assert_header("content-type", "application/json")
            .assert_json(&json!({"error": "no such entry"}));
    }
}
