//! A test-only server for the upload memory test (`tests/integration/memory_upload.rs`), run
//! as a child process so that its peak memory is its own.
//!
//! `upload_server ADDR`: `POST /upload` (body limit raised to 2 GiB) streams the multipart
//! body, counts the bytes of its file parts chunk by chunk without keeping them, and
//! answers the count.

use microframe::rejection::MultipartRejection;
use microframe::{Microframe, Multipart};

async fn upload(mut form: Multipart) -> Result<String, MultipartRejection> {
    let mut total: u64 = 0;
    while let Some(mut field) = form.next_field().await? {
        if field.file_name().is_some() {
            while let Some(chunk) = field.chunk().await? {
                total += chunk.len() as u64;
            }
        }
    }
    Ok(total.to_string())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let app = Microframe::new().post("/upload", upload).limit(2 << 30);
    gateway_tower::serve(address, app).access_log(false).await
}
