use bytes::Bytes;
use futures_util::StreamExt;
use gateway_core::Rejection;

use super::*;
use crate::MultipartForm;

fn environ(content_type: &str, input: Input) -> Environ {
    let (parts, ()) = http::Request::post("/").header("content-type", content_type).body(()).unwrap().into_parts();
    Environ::new(parts, input)
}

/// Every field as `name:file_name:text`, or the refusal's status.
async fn read_all(environ: &mut Environ) -> Result<Vec<String>, u16> {
    let mut form = Multipart::from_environ_last(environ).await.map_err(|r| r.status().as_u16())?;
    let mut seen = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|r| r.status().as_u16())? {
        let head = format!("{}:{}", field.name(), field.file_name().unwrap_or("-"));
        seen.push(format!("{head}:{}", field.text().await.map_err(|r| r.status().as_u16())?));
    }
    Ok(seen)
}

#[tokio::test]
async fn a_body_an_extractor_cached_is_read_from_the_cache() {
    let form = MultipartForm::new().text("a", "1").file("b", "b.txt", "text/plain", "2");
    let mut environ = environ(&form.content_type(), Input::empty());
    environ.extensions_mut().insert(BufferedBody(form.to_bytes()));
    assert_eq!(read_all(&mut environ).await, Ok(vec!["a:-:1".to_owned(), "b:b.txt:2".to_owned()]));
}

#[tokio::test]
async fn the_media_type_is_case_insensitive_and_needs_a_boundary() {
    let body = "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--X--\r\n";
    let mut upper = environ("Multipart/Form-Data; boundary=X", Input::from_bytes(body));
    assert_eq!(read_all(&mut upper).await, Ok(vec!["a:-:1".to_owned()]));
    for refused in
        ["multipart/form-data", "multipart/form-data; boundary=\"\"", "multipart/mixed; boundary=X", "text/plain"]
    {
        assert_eq!(read_all(&mut environ(refused, Input::from_bytes(body))).await, Err(415), "{refused}");
    }
}

#[tokio::test]
async fn a_refusal_sticks() {
    let mut environ = environ("multipart/form-data; boundary=X", Input::from_bytes("--Y\r\n"));
    let mut form = Multipart::from_environ_last(&mut environ).await.unwrap();
    assert!(matches!(form.next_field().await, Err(MultipartRejection::Malformed)));
    assert!(matches!(form.next_field().await, Err(MultipartRejection::Malformed)));
}

/// How many of 64 chunks of 16 KiB (after `first`) the parser reads before it refuses the
/// body as malformed, with no boundary and no end of headers among them.
async fn chunks_read_before_refusal(first: &'static str) -> usize {
    let pulled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&pulled);
    let pad = futures_util::stream::iter(0..64).map(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Bytes::from(vec![b'p'; 16 * 1024]))
    });
    let chunks = futures_util::stream::iter([Ok(Bytes::from(first))]).chain(pad);
    let mut environ = environ("multipart/form-data; boundary=X", Input::from_stream(Box::pin(chunks), None));
    let mut form = Multipart::from_environ_last(&mut environ).await.unwrap();
    assert!(matches!(form.next_field().await, Err(MultipartRejection::Malformed)));
    pulled.load(std::sync::atomic::Ordering::Relaxed)
}

#[tokio::test]
async fn a_preamble_or_part_headers_without_an_end_are_refused_before_they_are_buffered_whole() {
    for first in ["", "--X\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: "] {
        let read = chunks_read_before_refusal(first).await;
        assert!(read <= 6, "{read} chunks of 16 KiB read of 64 after {first:?}: not stopped at the 64 KiB bound");
    }
}

/// A field whose bytes end with `error` after its first chunk: the status of the refusal.
async fn status_after(error: gateway_core::InputError) -> Result<Option<Bytes>, u16> {
    let head = Bytes::from("--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
    let input = Input::from_stream(Box::pin(futures_util::stream::iter([Ok(head), Err(error)])), None);
    let mut environ = environ("multipart/form-data; boundary=X", input);
    let mut form = Multipart::from_environ_last(&mut environ).await.unwrap();
    let mut field = form.next_field().await.unwrap().unwrap();
    field.chunk().await.map_err(|r| r.status().as_u16())
}

#[tokio::test]
async fn the_input_errors_keep_their_status() {
    use gateway_core::InputError;
    assert_eq!(status_after(InputError::TimedOut).await, Err(408));
    assert_eq!(status_after(InputError::Framing("bad chunk size".into())).await, Err(400));
    assert_eq!(status_after(InputError::TooLarge).await, Err(413));
}
