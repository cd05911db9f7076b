//! `Multipart`: fields streamed in order, the 415/400 refusals, file names kept as data, and
//! the body cached by an extractor before it (the caps and limits are in `limits`, a
//! handler streaming to disk in `disk`).

mod disk;
mod limits;

use std::collections::HashMap;

use microframe::rejection::{FormRejection, MultipartRejection};
use microframe::{Form, Microframe, Multipart, MultipartForm, TestClient};

const BOUNDARY_X: &str = "multipart/form-data; boundary=X";

/// Every field as `name|file name|type|bytes`, one per line.
async fn describe(mut form: Multipart) -> Result<String, MultipartRejection> {
    let mut lines = Vec::new();
    while let Some(field) = form.next_field().await? {
        let head = format!("{}|{:?}|{:?}", field.name(), field.file_name(), field.content_type());
        lines.push(format!("{head}|{}", field.bytes().await?.escape_ascii()));
    }
    Ok(lines.join("\n"))
}

/// The fields' names only; their values are skipped, not read.
async fn names(mut form: Multipart) -> Result<String, MultipartRejection> {
    let mut names = Vec::new();
    while let Some(field) = form.next_field().await? {
        names.push(field.name().to_owned());
    }
    Ok(names.join(","))
}

fn client() -> TestClient {
    TestClient::new(Microframe::new().post("/", describe).post("/names", names).limit(8 << 20))
}

/// A raw body sent with `boundary=X`.
async fn raw(body: &str) -> microframe::TestResponse {
    client().post("/").header("content-type", BOUNDARY_X).body(body.to_owned()).send().await
}

#[tokio::test]
async fn fields_come_in_order_with_their_names_file_names_types_and_bytes() {
    let form = MultipartForm::new()
        .text("name", "ann")
        .file("photo", "a.png", "image/png", vec![0x89, b'P', b'N', b'G', 0, 255])
        .text("name", "bob")
        .file("empty", "", "application/octet-stream", Vec::new());
    client().post("/").multipart(form).send().await.assert_status(200).assert_body(concat!(
        "name|None|None|ann\n",
        "photo|Some(\"a.png\")|Some(\"image/png\")|\\x89PNG\\x00\\xff\n",
        "name|None|None|bob\n",
        "empty|Some(\"\")|Some(\"application/octet-stream\")|",
    ));
}

#[tokio::test]
async fn what_a_handler_skips_is_drained_and_the_next_field_still_comes() {
    let form =
        MultipartForm::new().file("big", "big.bin", "application/octet-stream", vec![7; 3 << 20]).text("after", "x");
    client().post("/names").multipart(form).send().await.assert_status(200).assert_body("big,after");
}

#[tokio::test]
async fn another_content_type_or_no_boundary_is_415_before_the_handler_runs() {
    let client = client();
    for content_type in
        ["multipart/form-data", "text/plain", "application/x-www-form-urlencoded", "multipart/mixed; boundary=X"]
    {
        client
            .post("/")
            .header("content-type", content_type)
            .body("--X--\r\n")
            .send()
            .await
            .assert_status(415)
            .assert_header("content-type", "text/plain; charset=utf-8")
            .assert_body("Expected Content-Type: multipart/form-data");
    }
    client
        .post("/")
        .body("--X--\r\n")
        .send()
        .await
        .assert_status(415)
        .assert_body("Expected Content-Type: multipart/form-data");
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let cases = [
        ("a wrong boundary", "--Y\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--Y--\r\n"),
        ("a part with no end", "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc"),
        ("headers with no end", "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n"),
        ("a header that does not parse", "--X\r\nContent-Disposition form-data\r\n\r\n1\r\n--X--\r\n"),
        ("a part with no name", "--X\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n1\r\n--X--\r\n"),
        ("no Content-Disposition", "--X\r\nContent-Type: text/plain\r\n\r\n1\r\n--X--\r\n"),
        ("an empty body", ""),
    ];
    for (case, body) in cases {
        let response = raw(body).await;
        assert_eq!((response.status().as_u16(), response.text()), (400, "Bad Request".to_owned()), "{case}");
        response.assert_header("content-type", "text/plain; charset=utf-8");
    }
}

#[tokio::test]
async fn file_names_are_data_returned_as_sent() {
    let part = |disposition: &str| format!("--X\r\nContent-Disposition: {disposition}\r\n\r\nv\r\n--X--\r\n");
    // What a browser sends for `../a"b` with CR, LF and NUL: quoted, with `%22`, `%0D`, `%0A`.
    let browser = part(r#"form-data; name="f"; filename="../../etc/pass%0D%0Awd%00%22.txt""#);
    raw(&browser).await.assert_status(200).assert_body(r#"f|Some("../../etc/pass%0D%0Awd%00%22.txt")|None|v"#);
    // Backslash-escaped quotes are undone by multer; backslashes otherwise stay.
    raw(&part(r#"form-data; name="f"; filename="..\\..\\a\"b.txt""#))
        .await
        .assert_body(r#"f|Some("..\\\\..\\\\a\"b.txt")|None|v"#);
    // A raw CR or NUL in a header cannot be sent: the headers do not parse.
    raw(&part("form-data; name=\"f\"; filename=\"a\rb\"")).await.assert_status(400).assert_body("Bad Request");
    raw(&part("form-data; name=\"f\"; filename=\"a\0b\"")).await.assert_status(400).assert_body("Bad Request");
}

async fn form_then_multipart(
    form: Result<Form<HashMap<String, String>>, FormRejection>,
    multipart: Multipart,
) -> Result<String, MultipartRejection> {
    let refused = form.err().map(|rejection| rejection.to_string()).unwrap_or_default();
    Ok(format!("form: {refused}\n{}", describe(multipart).await?))
}

#[tokio::test]
async fn a_form_extractor_before_it_refuses_without_reading_and_the_multipart_is_read() {
    let client = TestClient::new(Microframe::new().post("/", form_then_multipart));
    let form = MultipartForm::new().text("a", "1").file("b", "b.txt", "text/plain", "2");
    client.post("/").multipart(form).send().await.assert_status(200).assert_body(concat!(
        "form: Expected Content-Type: application/x-www-form-urlencoded\n",
        "a|None|None|1\n",
        "b|Some(\"b.txt\")|Some(\"text/plain\")|2",
    ));
}

async fn answer_the_refusal(form: Result<Multipart, MultipartRejection>) -> String {
    match form {
        Ok(_) => "multipart".to_owned(),
        Err(rejection) => format!("not multipart: {rejection}"),
    }
}

#[tokio::test]
async fn a_result_multipart_hands_the_415_to_the_handler() {
    let client = TestClient::new(Microframe::new().post("/", answer_the_refusal));
    client
        .post("/")
        .json(&[1])
        .send()
        .await
        .assert_status(200)
        .assert_body("not multipart: Expected Content-Type: multipart/form-data");
    client.post("/").multipart(MultipartForm::new()).send().await.assert_body("multipart");
}
