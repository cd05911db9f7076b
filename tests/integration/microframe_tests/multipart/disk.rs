//! A handler that streams a file part to disk, chunk by chunk, with `tokio::fs`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use microframe::rejection::MultipartRejection;
use microframe::{Microframe, Multipart, MultipartForm, State, TestClient};
use tokio::io::AsyncWriteExt;

/// Where uploads go.
#[derive(Clone)]
struct UploadDir(PathBuf);

/// Writes each file part to `<dir>/<n>.upload` (never to a path made of its file name) and
/// answers `<n>: <file name> <bytes>` for each.
async fn save(State(UploadDir(dir)): State<UploadDir>, mut form: Multipart) -> Result<String, MultipartRejection> {
    let mut saved = Vec::new();
    while let Some(mut field) = form.next_field().await? {
        let Some(file_name) = field.file_name().map(str::to_owned) else { continue };
        let path = dir.join(format!("{}.upload", saved.len()));
        let mut file = tokio::fs::File::create(&path).await.expect("create the upload file");
        let mut written = 0;
        while let Some(chunk) = field.chunk().await? {
            file.write_all(&chunk).await.expect("write a chunk");
            written += chunk.len();
        }
        file.flush().await.expect("flush the upload file");
        saved.push(format!("{}: {file_name} {written}", saved.len()));
    }
    Ok(saved.join("\n"))
}

#[tokio::test]
async fn a_handler_streams_a_file_part_to_disk() {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("microframe-multipart-{}-{nanos}", std::process::id()));
    tokio::fs::create_dir(&dir).await.expect("a fresh temp dir");

    let content: Vec<u8> = (0..(5 << 20) + 7).map(|n: u32| (n % 251) as u8).collect();
    let app = Microframe::new().state(UploadDir(dir.clone())).post("/upload", save).limit(8 << 20);
    let form = MultipartForm::new()
        .text("title", "holiday")
        .file("video", "../clip.mp4", "video/mp4", content.clone())
        .file("notes", "notes.txt", "text/plain", "seen");
    let response = TestClient::new(app).post("/upload").multipart(form).send().await;

    let first = tokio::fs::metadata(dir.join("0.upload")).await.map(|m| m.len());
    let (written, second) = (tokio::fs::read(dir.join("0.upload")).await, tokio::fs::read(dir.join("1.upload")).await);
    tokio::fs::remove_dir_all(&dir).await.expect("remove the temp dir");

    response.assert_status(200).assert_body("0: ../clip.mp4 5242887\n1: notes.txt 4");
    assert_eq!(first.expect("the first upload"), 5_242_887);
    assert!(written.expect("the first upload") == content, "the bytes on disk are the bytes sent");
    assert_eq!(second.expect("the second upload"), b"seen");
}
