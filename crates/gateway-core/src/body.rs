//! The response body: buffered bytes or an async stream of chunks (see [`Body`]).

use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

/// The error a streaming body may end with; the server then aborts the response.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use bytes::Bytes;
/// use gateway_core::{Body, BodyError};
///
/// let failing = futures_util::stream::iter([Err::<Bytes, BodyError>("disk gone".into())]);
/// let error = Body::from_stream(failing).collect().await.unwrap_err();
/// assert_eq!(error.to_string(), "disk gone");
/// # });
/// ```
pub type BodyError = Box<dyn Error + Send + Sync>;

/// A boxed stream of body chunks.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use bytes::Bytes;
/// use gateway_core::{Body, BodyError, BodyStream};
///
/// let stream: BodyStream = Box::pin(futures_util::stream::iter([Ok::<_, BodyError>(Bytes::from("a"))]));
/// assert_eq!(Body::from_stream(stream).collect().await.unwrap(), "a");
/// # });
/// ```
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, BodyError>> + Send>>;

/// A response body: buffered bytes or an async stream of chunks.
///
/// Buffered bodies (one or several `Bytes`) know their length, so the server sends a
/// correct `Content-Length` counted in bytes; only a real stream is boxed, and it is sent
/// chunked unless the app declared its length ([`Body::from_sized_stream`]).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::Body;
///
/// let body = Body::from_chunks(["Héllo", " wörld"]);
/// assert_eq!(body.exact_length(), Some(13)); // bytes, not characters
/// assert_eq!(body.collect().await.unwrap(), "Héllo wörld");
/// # });
/// ```
#[must_use]
pub struct Body {
    kind: Kind,
}

enum Kind {
    Once(Bytes),
    Chunks(VecDeque<Bytes>, u64),
    Stream(BodyStream, Option<u64>),
}

impl Body {
    /// An empty body.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Body::empty().exact_length(), Some(0));
    /// ```
    pub fn empty() -> Self {
        Self { kind: Kind::Once(Bytes::new()) }
    }

    /// A buffered body made of several chunks (PEP 3333's iterable of byte strings).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Body::from_chunks(["a", "bc"]).exact_length(), Some(3));
    /// ```
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Bytes>,
    {
        let chunks: VecDeque<Bytes> = chunks.into_iter().map(Into::into).collect();
        let length = chunks.iter().map(|c| c.len() as u64).sum();
        Self { kind: Kind::Chunks(chunks, length) }
    }

    /// A body that declares `length` bytes and has none: the answer to HEAD of an app that
    /// sends the GET's `Content-Length` with no body (Flask, Bottle, an axum service). It
    /// passes the contract's length check, and the server sends no body on HEAD anyway.
    ///
    /// # Examples
    /// ```
    /// let body = gateway_core::Body::without_bytes(13);
    /// assert_eq!(body.exact_length(), Some(13));
    /// assert!(body.is_end_stream());
    /// ```
    pub fn without_bytes(length: u64) -> Self {
        Self { kind: Kind::Chunks(VecDeque::new(), length) }
    }

    /// A streaming body of unknown length: sent chunked, each chunk flushed as produced.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use gateway_core::{Body, BodyError};
    ///
    /// let chunks = futures_util::stream::iter([Ok::<_, BodyError>(Bytes::from("tick\n"))]);
    /// let body = Body::from_stream(chunks);
    /// assert_eq!(body.exact_length(), None);
    /// ```
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        Self { kind: Kind::Stream(Box::pin(stream), None) }
    }

    /// A streaming body whose length is known in advance (sent with that
    /// `Content-Length`; the server refuses to send more or fewer bytes).
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use gateway_core::{Body, BodyError};
    ///
    /// let chunks = futures_util::stream::iter([Ok::<_, BodyError>(Bytes::from("abc"))]);
    /// assert_eq!(Body::from_sized_stream(chunks, 3).exact_length(), Some(3));
    /// ```
    pub fn from_sized_stream<S>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        Self { kind: Kind::Stream(Box::pin(stream), Some(length)) }
    }

    /// The exact length in bytes, when it is known before sending.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Body::from("✓").exact_length(), Some(3));
    /// ```
    pub fn exact_length(&self) -> Option<u64> {
        match &self.kind {
            Kind::Once(bytes) => Some(bytes.len() as u64),
            Kind::Chunks(_, length) => Some(*length),
            Kind::Stream(_, length) => *length,
        }
    }

    /// Whether the body is a stream (as opposed to buffered bytes).
    ///
    /// # Examples
    /// ```
    /// assert!(!gateway_core::Body::from("x").is_stream());
    /// ```
    pub fn is_stream(&self) -> bool {
        matches!(self.kind, Kind::Stream(..))
    }

    /// Polls for the next chunk; `None` at the end. Empty chunks are skipped.
    ///
    /// # Examples
    /// ```
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut body = gateway_core::Body::from("hi");
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(matches!(body.poll_chunk(&mut cx), Poll::Ready(Some(Ok(b))) if b == "hi"));
    /// assert!(matches!(body.poll_chunk(&mut cx), Poll::Ready(None)));
    /// ```
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BodyError>>> {
        match &mut self.kind {
            Kind::Once(bytes) if bytes.is_empty() => Poll::Ready(None),
            Kind::Once(bytes) => Poll::Ready(Some(Ok(std::mem::take(bytes)))),
            Kind::Chunks(chunks, _) => loop {
                match chunks.pop_front() {
                    None => return Poll::Ready(None),
                    Some(chunk) if chunk.is_empty() => continue,
                    Some(chunk) => return Poll::Ready(Some(Ok(chunk))),
                }
            },
            Kind::Stream(stream, _) => loop {
                match stream.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                    other => return other,
                }
            },
        }
    }

    /// Whether the body is known to have nothing more to give.
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_core::Body::empty().is_end_stream());
    /// ```
    pub fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Once(bytes) => bytes.is_empty(),
            Kind::Chunks(chunks, _) => chunks.iter().all(Bytes::is_empty),
            Kind::Stream(_, length) => *length == Some(0),
        }
    }

    /// The next chunk, `None` at the end.
    ///
    /// # Errors
    /// The stream's own error.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// let mut body = gateway_core::Body::from_chunks(["a", "b"]);
    /// assert_eq!(body.chunk().await.unwrap().unwrap(), "a");
    /// # });
    /// ```
    pub async fn chunk(&mut self) -> Option<Result<Bytes, BodyError>> {
        poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads the whole body into one buffer (tests and middleware that rewrite bodies).
    ///
    /// # Errors
    /// The stream's own error.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// let body = gateway_core::Body::from_chunks(["Hello ", "World"]);
    /// assert_eq!(body.collect().await.unwrap(), "Hello World");
    /// # });
    /// ```
    pub async fn collect(mut self) -> Result<Bytes, BodyError> {
        if let Kind::Once(bytes) = &mut self.kind {
            return Ok(std::mem::take(bytes));
        }
        let mut all = BytesMut::new();
        while let Some(chunk) = self.chunk().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all.freeze())
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl Stream for Body {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Once(bytes) => f.debug_tuple("Body").field(bytes).finish(),
            Kind::Chunks(chunks, _) => f.debug_tuple("Body").field(chunks).finish(),
            Kind::Stream(_, length) => f.debug_struct("Body").field("stream_length", length).finish(),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self { kind: Kind::Once(bytes) }
    }
}

macro_rules! body_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Body {
            fn from(value: $t) -> Self {
                Self::from(Bytes::from(value))
            }
        }
    )*};
}
body_from!(&'static str, &'static [u8], String, Vec<u8>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_chunks_are_skipped_and_order_is_kept() {
        let body = Body::from_chunks(["a", "", "b", ""]);
        let all = futures_executor::block_on(body.collect());
        assert_eq!(all.ok().as_deref(), Some(&b"ab"[..]));
    }

    #[test]
    fn length_counts_bytes_not_characters() {
        assert_eq!(Body::from_chunks(["Héllo", " wörld ✓"]).exact_length(), Some(17));
    }
}
