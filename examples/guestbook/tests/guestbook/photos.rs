//! Photos: judged by their first bytes, 1 MiB allowed and not a byte more, served with
//! their sniffed type, cached, `nosniff`.

use microframe::MultipartForm;

use crate::{HTML, PNG, entries, guestbook, signing};

const ONE_MIB: usize = 1 << 20;

/// A PNG signature followed by zeros, `size` bytes in all.
fn png_of_size(size: usize) -> Vec<u8> {
    let mut bytes = PNG[..8].to_vec();
    bytes.resize(size, 0);
    bytes
}

#[tokio::test]
async fn a_photo_is_stored_with_its_sniffed_type_and_served_cached_and_nosniff() {
    let (client, _scratch) = guestbook().await;
    client.post("/sign").multipart(signing("ann", "hi", Some(("text/plain", PNG)))).send().await.assert_status(303);
    let page = client.get("/entry/1").send().await.assert_status(200).text();
    assert!(page.contains(r#"<img src="/entry/1/photo""#), "{page}");
    assert!(client.get("/").send().await.text().contains(r#"src="/entry/1/photo""#));
    let photo = client.get("/entry/1/photo").send().await.assert_status(200);
    let photo = photo
        .assert_header("content-type", "image/png")
        .assert_header("cache-control", "max-age=31536000, immutable")
        .assert_header("x-content-type-options", "nosniff");
    assert_eq!(&photo.bytes()[..], PNG);

    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    client.post("/sign").multipart(signing("bob", "hi", Some(("image/png", gif)))).send().await.assert_status(303);
    client.get("/entry/2/photo").send().await.assert_header("content-type", "image/gif");
    let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF";
    client
        .post("/sign")
        .multipart(signing("cy", "hi", Some(("application/octet-stream", jpeg))))
        .send()
        .await
        .assert_status(303);
    client.get("/entry/3/photo").send().await.assert_header("content-type", "image/jpeg");
}

#[tokio::test]
async fn one_mebibyte_is_allowed_and_one_byte_more_is_refused() {
    let (client, _scratch) = guestbook().await;
    client
        .post("/sign")
        .multipart(signing("ann", "hi", Some(("image/png", &png_of_size(ONE_MIB)))))
        .send()
        .await
        .assert_status(303);
    assert_eq!(client.get("/entry/1/photo").send().await.bytes().len(), ONE_MIB);
    let refused = client
        .post("/sign")
        .multipart(signing("bob", "hi", Some(("image/png", &png_of_size(ONE_MIB + 1)))))
        .send()
        .await;
    refused
        .assert_status(422)
        .assert_header("content-type", HTML)
        .assert_body_contains("Photo is too large (max 1 MiB)");
    // The size is checked first: a big file of the wrong type says it is too large.
    let big_text = vec![b'a'; ONE_MIB + 1];
    client
        .post("/sign")
        .multipart(signing("bob", "hi", Some(("image/png", &big_text))))
        .send()
        .await
        .assert_status(422)
        .assert_body_contains("Photo is too large (max 1 MiB)")
        .assert_body_lacks("Photo must be");
    assert_eq!(entries(&client).await.len(), 1);
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_whatever_its_declared_type() {
    let (client, _scratch) = guestbook().await;
    for fake in [&b"<svg onload=alert(1)>"[..], b"\x89PNG", b"GIF88a", b"plain text"] {
        let page = client.post("/sign").multipart(signing("ann", "hi", Some(("image/png", fake)))).send().await;
        page.assert_status(422).assert_body_contains("<p class=\"error\">Photo must be a PNG, JPEG or GIF image</p>");
    }
    // Every bad field at once: three messages.
    let page = client
        .post("/sign")
        .multipart(signing("", "", Some(("image/gif", b"nope"))))
        .send()
        .await
        .assert_status(422)
        .text();
    assert_eq!(page.matches("<p class=\"error\">").count(), 3, "{page}");
    assert!(entries(&client).await.is_empty());
}

#[tokio::test]
async fn an_empty_file_part_is_no_photo_and_a_text_part_named_photo_is_ignored() {
    let (client, _scratch) = guestbook().await;
    // What a browser sends when no file was chosen: a file part with an empty name and body.
    let empty = MultipartForm::new().text("name", "ann").text("message", "hi").file(
        "photo",
        "",
        "application/octet-stream",
        Vec::new(),
    );
    client.post("/sign").multipart(empty).send().await.assert_status(303);
    let text = MultipartForm::new().text("name", "bob").text("message", "hi").text("photo", "\u{89}PNG\r\n\u{1a}\n");
    client.post("/sign").multipart(text).send().await.assert_status(303);
    let listed = entries(&client).await;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|entry| entry["photo"].is_null()), "{listed:?}");
    client.get("/entry/1/photo").send().await.assert_status(404).assert_header("content-type", HTML);
}

#[tokio::test]
async fn the_first_of_repeated_fields_counts_and_other_parts_are_skipped() {
    let (client, _scratch) = guestbook().await;
    let form = MultipartForm::new()
        .file("attachment", "a.bin", "application/octet-stream", vec![1; 100_000])
        .text("name", "first")
        .text("name", "second")
        .text("message", "one")
        .text("message", "two")
        .file("photo", "a.png", "image/png", PNG.to_vec())
        .file("photo", "b.gif", "image/gif", b"GIF89a".to_vec());
    client.post("/sign").multipart(form).send().await.assert_status(303);
    let entry = &entries(&client).await[0];
    assert_eq!((entry["name"].as_str(), entry["message"].as_str()), (Some("first"), Some("one")));
    client.get("/entry/1/photo").send().await.assert_header("content-type", "image/png");
}
