//! The caps (1000 parts, 500 KiB of non-file field values) and the body limit, on a
//! multipart body: 413 `Payload Too Large`, rendered by an error handler when one is set.

use std::convert::Infallible;

use http::StatusCode;
use http_body::Frame;
use microframe::rejection::MultipartRejection;
use microframe::{MAX_MULTIPART_FIELD_MEMORY, MAX_MULTIPART_PARTS, Microframe, Multipart, MultipartForm, TestClient};

use super::super::send_in_process;

/// How many fields, after reading every value (text fields as text, files by chunks).
async fn count(mut form: Multipart) -> Result<String, MultipartRejection> {
    let (mut fields, mut bytes) = (0, 0);
    while let Some(mut field) = form.next_field().await? {
        fields += 1;
        if field.file_name().is_some() {
            while let Some(chunk) = field.chunk().await? {
                bytes += chunk.len();
            }
        } else {
            bytes += field.text().await?.len();
        }
    }
    Ok(format!("{fields} fields, {bytes} bytes"))
}

fn client() -> TestClient {
    TestClient::new(Microframe::new().post("/", count).limit(8 << 20))
}

fn texts(fields: usize, value: &str) -> MultipartForm {
    (0..fields).fold(MultipartForm::new(), |form, n| form.text(&format!("f{n}"), value))
}

#[tokio::test]
async fn at_most_1000_parts() {
    assert_eq!(MAX_MULTIPART_PARTS, 1000);
    client()
        .post("/")
        .multipart(texts(1000, "v"))
        .send()
        .await
        .assert_status(200)
        .assert_body("1000 fields, 1000 bytes");
    client()
        .post("/")
        .multipart(texts(1001, "v"))
        .send()
        .await
        .assert_status(413)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Payload Too Large");
}

#[tokio::test]
async fn at_most_500_kib_of_text_fields_in_all_while_files_do_not_count() {
    assert_eq!(MAX_MULTIPART_FIELD_MEMORY, 500 * 1024);
    let kib_100 = "x".repeat(100 * 1024);
    client()
        .post("/")
        .multipart(texts(5, &kib_100))
        .send()
        .await
        .assert_status(200)
        .assert_body("5 fields, 512000 bytes");
    client().post("/").multipart(texts(6, &kib_100)).send().await.assert_status(413).assert_body("Payload Too Large");
    let files = (0..6)
        .fold(MultipartForm::new(), |form, n| form.file(&format!("f{n}"), "a.txt", "text/plain", kib_100.clone()));
    client().post("/").multipart(files).send().await.assert_status(200).assert_body("6 fields, 614400 bytes");
}

fn three_mib_file() -> MultipartForm {
    MultipartForm::new().file("file", "big.bin", "application/octet-stream", vec![1; 3 << 20])
}

#[tokio::test]
async fn the_route_limit_bounds_the_whole_body() {
    let app = Microframe::new().post("/small", count).post("/large", count).limit(4 << 20);
    let client = TestClient::new(app.clone());
    client.post("/small").multipart(three_mib_file()).send().await.assert_status(413).assert_body("Payload Too Large");
    client
        .post("/large")
        .multipart(three_mib_file())
        .send()
        .await
        .assert_status(200)
        .assert_body("1 fields, 3145728 bytes");

    // Streamed without a Content-Length, the limit cuts it while the handler reads.
    let form = three_mib_file();
    let body = form.to_bytes();
    let request = |path: &str| {
        let frames: Vec<_> =
            body.chunks(100_000).map(|chunk| Ok::<_, Infallible>(Frame::data(body.slice_ref(chunk)))).collect();
        let stream = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
        http::Request::post(path).header("content-type", form.content_type()).body(stream).expect("a request")
    };
    assert_eq!(send_in_process(app.clone(), request("/small")).await, (413, "Payload Too Large".to_owned()));
    assert_eq!(send_in_process(app, request("/large")).await, (200, "1 fields, 3145728 bytes".to_owned()));
}

/// The error page: its status stays the refusal's.
async fn too_large_page() -> &'static str {
    "<h1>That upload is too large</h1>"
}

#[tokio::test]
async fn an_error_handler_renders_the_413_of_a_refusal_met_while_the_handler_reads() {
    let app = Microframe::new().post("/", count).error_handler(StatusCode::PAYLOAD_TOO_LARGE, too_large_page);
    let client = TestClient::new(app);
    client
        .post("/")
        .multipart(texts(1001, "v"))
        .send()
        .await
        .assert_status(413)
        .assert_body("<h1>That upload is too large</h1>");
    client
        .post("/")
        .multipart(three_mib_file())
        .send()
        .await
        .assert_status(413)
        .assert_body("<h1>That upload is too large</h1>");
    client.post("/").multipart(texts(2, "v")).send().await.assert_status(200).assert_body("2 fields, 2 bytes");
}
