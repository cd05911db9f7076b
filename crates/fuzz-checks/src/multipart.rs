//! `multipart/form-data` bodies, on `multer`.

use std::sync::OnceLock;

use microframe::rejection::MultipartRejection;
use microframe::{Microframe, Multipart, TestClient};

async fn read_all(mut form: Multipart) -> Result<String, MultipartRejection> {
    let mut seen = 0;
    while let Some(mut field) = form.next_field().await? {
        let _ = (field.name().len(), field.file_name().map(str::len), field.content_type().map(str::len));
        while let Some(chunk) = field.chunk().await? {
            seen += chunk.len();
        }
    }
    Ok(seen.to_string())
}

fn client() -> &'static TestClient {
    static CLIENT: OnceLock<TestClient> = OnceLock::new();
    CLIENT.get_or_init(|| TestClient::new(Microframe::new().post("/", read_all)).without_cookies())
}

/// An arbitrary multipart body (the first byte picks the boundary's length, the next bytes
/// are the boundary, the rest the body) read part by part to its end: 200, or a refusal
/// 400, 413 or 415, never a panic or a 5xx.
///
/// # Panics
/// When the answer is another status.
///
/// # Examples
/// ```
/// fuzz_checks::multipart(b"\x01x--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n");
/// fuzz_checks::multipart(b"\x03abc--abc\r\nContent-Disposition: form-data\r\n\r\n");
/// ```
pub fn check(data: &[u8]) {
    let Some((&length, rest)) = data.split_first() else { return };
    let length = usize::from(length % 70).min(rest.len());
    let (boundary, body) = rest.split_at(length);
    let Ok(content_type) = http::HeaderValue::from_bytes(&[b"multipart/form-data; boundary=", boundary].concat())
    else {
        return;
    };
    let Ok(content_type) = content_type.to_str() else { return };
    crate::runtime::block_on(async {
        let response = client().post("/").header("content-type", content_type).body(body.to_vec()).send().await;
        let status = response.status().as_u16();
        assert!(matches!(status, 200 | 400 | 413 | 415), "{status}: {}", response.text());
    });
}

#[cfg(test)]
mod tests {
    use microframe::MultipartForm;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_body_is_read_or_refused(boundary in "[a-zA-Z0-9'()+_,-./:=?]{0,20}", body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut data = vec![boundary.len() as u8];
            data.extend(boundary.bytes());
            data.extend(body);
            super::check(&data);
        }

        #[test]
        fn well_formed_bodies_are_read_whole(texts in proptest::collection::vec(("[a-z]{1,6}", "\\PC{0,20}"), 1..5), file in proptest::collection::vec(any::<u8>(), 0..500)) {
            let mut form = MultipartForm::new();
            for (name, value) in &texts {
                form = form.text(name, value);
            }
            let form = form.file("f", "a.bin", "application/octet-stream", file.clone());
            let expected: usize = texts.iter().map(|(_, value)| value.len()).sum::<usize>() + file.len();
            let response = crate::runtime::block_on(super::client().post("/").multipart(form).send());
            prop_assert_eq!(response.status(), 200);
            prop_assert_eq!(response.text(), expected.to_string());
        }
    }
}
