//! The request body as body extractors share it: read once, cached, and looked at without
//! being consumed.
//!
//! - [`buffered`] reads the whole body (bounded as `FromEnviron`'s docs say) once and caches
//!   it in the environ's extensions, so `Form<T>`, `Json<T>` and any later extractor read
//!   the same bytes.
//! - [`is_empty`] answers "does the request have body bytes?" without losing any: from the
//!   cache, the declared `Content-Length`, or, for a chunked body, by reading its first
//!   chunk and putting it back in front of the rest of the stream. That is how an extractor
//!   refuses a `Content-Type` without consuming the body, and how `Option<Form<T>>` knows
//!   that there is no form.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use gateway_core::{Environ, Input, InputError};
use http::header::CONTENT_TYPE;

use crate::body_limit::DEFAULT_BODY_LIMIT;

/// The whole request body, cached in the extensions once read.
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub(crate) Bytes);

/// The whole body, read once (bounded by the input's limit) and cached.
pub(crate) async fn buffered(environ: &mut Environ) -> Result<Bytes, InputError> {
    if let Some(BufferedBody(body)) = environ.extensions().get::<BufferedBody>() {
        return Ok(body.clone());
    }
    let limit = environ.input().limit().unwrap_or(DEFAULT_BODY_LIMIT);
    let body = environ.input().read_to_end(limit).await?;
    environ.extensions_mut().insert(BufferedBody(body.clone()));
    Ok(body)
}

/// Whether the request has no body bytes. Consumes nothing: a chunk read to find out is put
/// back in front of the input.
pub(crate) async fn is_empty(environ: &mut Environ) -> Result<bool, InputError> {
    if let Some(BufferedBody(body)) = environ.extensions().get::<BufferedBody>() {
        return Ok(body.is_empty());
    }
    if let Some(length) = environ.input().declared_length() {
        return Ok(length == 0);
    }
    let mut rest = std::mem::replace(environ.input(), Input::empty());
    let limit = rest.limit();
    match rest.chunk().await {
        None => Ok(true),
        Some(Err(error)) => Err(error),
        Some(Ok(first)) => {
            let mut replayed = Input::from_stream(Box::pin(Replay { first: Some(first), rest }), None);
            if let Some(limit) = limit {
                replayed.set_limit(limit);
            }
            *environ.input() = replayed;
            Ok(false)
        }
    }
}

/// A chunk already read, then the rest of the input.
struct Replay {
    first: Option<Bytes>,
    rest: Input,
}

impl Stream for Replay {
    type Item = Result<Bytes, InputError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.first.take() {
            Some(first) => Poll::Ready(Some(Ok(first))),
            None => self.rest.poll_chunk(cx),
        }
    }
}

/// The request's media type (`Content-Type` without parameters), trimmed; `None` when the
/// header is absent or not text.
pub(crate) fn media_type(environ: &Environ) -> Option<&str> {
    let value = environ.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(chunks: &'static [&'static str]) -> Environ {
        let stream = futures_util::stream::iter(chunks.iter().map(|c| Ok(Bytes::from_static(c.as_bytes()))));
        let (parts, ()) = http::Request::post("/").body(()).unwrap().into_parts();
        Environ::new(parts, Input::from_stream(Box::pin(stream), None))
    }

    #[tokio::test]
    async fn looking_at_a_chunked_body_keeps_every_byte() {
        let mut environ = chunked(&["a=", "1&b", "=2"]);
        assert!(!is_empty(&mut environ).await.unwrap());
        assert!(!is_empty(&mut environ).await.unwrap());
        assert_eq!(buffered(&mut environ).await.unwrap(), "a=1&b=2");
        assert_eq!(buffered(&mut environ).await.unwrap(), "a=1&b=2", "cached for a second reader");
    }

    #[tokio::test]
    async fn a_chunked_body_without_chunks_is_empty() {
        assert!(is_empty(&mut chunked(&[])).await.unwrap());
    }

    #[tokio::test]
    async fn the_limit_still_holds_after_looking() {
        let mut environ = chunked(&["12345", "6789"]);
        environ.input().set_limit(8);
        assert!(!is_empty(&mut environ).await.unwrap());
        assert!(matches!(buffered(&mut environ).await, Err(InputError::TooLarge)));
    }
}
