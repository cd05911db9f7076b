//! `gateway.input`: the request body as an async stream that is already framed (see
//! [`Input`]).

use std::error::Error;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::StatusCode;

use crate::status::{self, Rejection};

/// The stream type a server hands over: framed chunks, or a framing error.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use bytes::Bytes;
/// use gateway_core::{Input, InputError, InputStream};
///
/// let chunks: InputStream = Box::pin(futures_util::stream::iter([
///     Ok::<_, InputError>(Bytes::from("age=")),
///     Ok(Bytes::from("10")),
/// ]));
/// assert_eq!(Input::from_stream(chunks, None).read_to_end(1024).await.unwrap(), "age=10");
/// # });
/// ```
pub type InputStream = Pin<Box<dyn Stream<Item = Result<Bytes, InputError>> + Send>>;

/// The request body of one request: `gateway.input`, an async stream that is already
/// framed.
///
/// The server hands the app exactly the body bytes (`Content-Length` bytes, or the decoded
/// chunked body), then end of stream; reading to the end is always safe. Every read goes
/// through one counter, so a limit set on the input ([`Input::set_limit`]) bounds buffered
/// and streamed reads alike: there is exactly one body-limit mechanism.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::Input;
///
/// let mut input = Input::from_bytes("age=10");
/// assert_eq!(input.read_to_end(1024).await.unwrap(), "age=10");
/// assert_eq!(input.read_to_end(1024).await.unwrap(), ""); // at EOF: empty
/// # });
/// ```
pub struct Input {
    source: Source,
    declared_length: Option<u64>,
    limit: Option<u64>,
    read: u64,
}

enum Source {
    Empty,
    Once(Bytes),
    // A `Mutex` only to make `Input` (and so `Environ`) `Sync`: it is never locked, every
    // access goes through `get_mut`, which costs nothing.
    Stream(Mutex<InputStream>),
}

/// Why reading the input failed. Each variant maps to the status of docs/design.md §3.
///
/// # Examples
/// ```
/// use gateway_core::{InputError, Rejection};
///
/// assert_eq!(InputError::TimedOut.status().as_u16(), 408);
/// assert_eq!(InputError::TimedOut.body_text(), "Request Timeout");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum InputError {
    /// More bytes than the limit, declared or streamed: 413 `Payload Too Large`.
    TooLarge,
    /// No body bytes arrived for the server's body-read timeout: 408 `Request Timeout`.
    TimedOut,
    /// The framing broke mid-read (bad chunk size, client abort): 400 `Bad Request`.
    Framing(Box<dyn Error + Send + Sync>),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => f.write_str("request body larger than the limit"),
            Self::TimedOut => f.write_str("no request body bytes within the body-read timeout"),
            Self::Framing(cause) => write!(f, "request body framing broken: {cause}"),
        }
    }
}

impl Error for InputError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Framing(cause) => Some(&**cause),
            _ => None,
        }
    }
}

impl Rejection for InputError {
    fn status(&self) -> StatusCode {
        match self {
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TimedOut => StatusCode::REQUEST_TIMEOUT,
            Self::Framing(_) => StatusCode::BAD_REQUEST,
        }
    }
    fn body_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::TooLarge => status::PAYLOAD_TOO_LARGE,
            Self::TimedOut => status::REQUEST_TIMEOUT,
            Self::Framing(_) => status::BAD_REQUEST,
        }
        .into()
    }
}

impl Input {
    /// An input with no bytes: a request without a body.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Input::empty().declared_length(), None);
    /// ```
    pub fn empty() -> Self {
        Self::new(Source::Empty, None)
    }

    /// An input of one buffered chunk (tests, in-process calls); its length is declared.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Input::from_bytes("abc").declared_length(), Some(3));
    /// ```
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let length = bytes.len() as u64;
        Self::new(Source::Once(bytes), Some(length))
    }

    /// An input over a framed stream, with the `Content-Length` the request declared.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// use bytes::Bytes;
    /// use gateway_core::{Input, InputError};
    ///
    /// let chunks = futures_util::stream::iter([Ok::<_, InputError>(Bytes::from("a=")), Ok(Bytes::from("1"))]);
    /// let mut input = Input::from_stream(Box::pin(chunks), None);
    /// assert_eq!(input.read_to_end(16).await.unwrap(), "a=1");
    /// # });
    /// ```
    pub fn from_stream(stream: InputStream, declared_length: Option<u64>) -> Self {
        Self::new(Source::Stream(Mutex::new(stream)), declared_length)
    }

    fn new(source: Source, declared_length: Option<u64>) -> Self {
        Self { source, declared_length, limit: None, read: 0 }
    }

    /// The `Content-Length` the request declared, if any.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Input::from_bytes("").declared_length(), Some(0));
    /// ```
    pub fn declared_length(&self) -> Option<u64> {
        self.declared_length
    }

    /// Bounds every later read to `limit` bytes in total; a layer that owns the body limit
    /// sets it once. A smaller limit given to [`read_to_end`](Self::read_to_end) still
    /// applies to that call.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// use gateway_core::{Input, InputError};
    ///
    /// let mut input = Input::from_bytes("0123456789");
    /// input.set_limit(4);
    /// assert!(matches!(input.chunk().await, Some(Err(InputError::TooLarge))));
    /// # });
    /// ```
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = Some(limit);
    }

    /// The limit set with [`set_limit`](Self::set_limit).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Input::empty().limit(), None);
    /// ```
    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    /// Whether the declared length already exceeds `limit` (so a 413 can be sent before
    /// reading anything).
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_core::Input::from_bytes("12345").declared_over(4));
    /// ```
    pub fn declared_over(&self, limit: u64) -> bool {
        let limit = self.limit.map_or(limit, |own| own.min(limit));
        self.declared_length.is_some_and(|length| length > limit)
    }

    /// The next chunk, `None` at the end of the body.
    ///
    /// # Errors
    /// [`InputError::TooLarge`] once the bytes read pass the limit, or the stream's own
    /// error (timeout, broken framing).
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// let mut input = gateway_core::Input::from_bytes("abc");
    /// assert_eq!(input.chunk().await.unwrap().unwrap(), "abc");
    /// assert!(input.chunk().await.is_none());
    /// # });
    /// ```
    pub async fn chunk(&mut self) -> Option<Result<Bytes, InputError>> {
        poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Polls for the next chunk (the poll form of [`chunk`](Self::chunk), for servers and
    /// middleware that implement streams).
    ///
    /// # Examples
    /// ```
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut input = gateway_core::Input::empty();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(matches!(input.poll_chunk(&mut cx), Poll::Ready(None)));
    /// ```
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, InputError>>> {
        if self.read == 0 && self.limit.is_some_and(|limit| self.declared_over(limit)) {
            self.source = Source::Empty;
            return Poll::Ready(Some(Err(InputError::TooLarge)));
        }
        let next = match &mut self.source {
            Source::Empty => None,
            Source::Once(_) => match std::mem::replace(&mut self.source, Source::Empty) {
                Source::Once(bytes) if !bytes.is_empty() => Some(Ok(bytes)),
                _ => None,
            },
            Source::Stream(stream) => {
                let stream = stream.get_mut().unwrap_or_else(PoisonError::into_inner);
                match stream.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(next) => next,
                }
            }
        };
        if let Some(Ok(bytes)) = &next {
            self.read += bytes.len() as u64;
            if self.limit.is_some_and(|limit| self.read > limit) {
                self.source = Source::Empty;
                return Poll::Ready(Some(Err(InputError::TooLarge)));
            }
        }
        if matches!(next, Some(Err(_))) {
            self.source = Source::Empty;
        }
        Poll::Ready(next)
    }

    /// Reads the rest of the body into one buffer, refusing more than `limit` bytes (and
    /// more than the input's own limit). A declared length over the limit is refused before
    /// any byte is read. One chunk is returned as it is, without a copy.
    ///
    /// # Errors
    /// [`InputError::TooLarge`] (413) past the limit; the stream's error otherwise.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// use gateway_core::{Input, InputError};
    ///
    /// let mut input = Input::from_bytes("0123456789");
    /// assert!(matches!(input.read_to_end(4).await, Err(InputError::TooLarge)));
    /// # });
    /// ```
    pub async fn read_to_end(&mut self, limit: u64) -> Result<Bytes, InputError> {
        if self.declared_over(limit) {
            self.source = Source::Empty;
            return Err(InputError::TooLarge);
        }
        let start = self.read;
        let mut first: Option<Bytes> = None;
        let mut rest = BytesMut::new();
        while let Some(chunk) = self.chunk().await {
            let chunk = chunk?;
            if self.read - start > limit {
                self.source = Source::Empty;
                return Err(InputError::TooLarge);
            }
            match &first {
                None => first = Some(chunk),
                Some(head) => {
                    if rest.is_empty() {
                        rest.extend_from_slice(head);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        Ok(if rest.is_empty() { first.unwrap_or_default() } else { rest.freeze() })
    }
}

impl Stream for Input {
    type Item = Result<Bytes, InputError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<input>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(chunks: &[&'static str]) -> Input {
        let items: Vec<Result<Bytes, InputError>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c.as_bytes()))).collect();
        Input::from_stream(Box::pin(futures_util::stream::iter(items)), None)
    }

    #[test]
    fn several_chunks_are_joined_in_order() {
        let mut input = streamed(&["a", "bc", "", "d"]);
        let body = futures_executor::block_on(input.read_to_end(10));
        assert_eq!(body.ok().as_deref(), Some(&b"abcd"[..]));
    }

    #[test]
    fn streamed_body_over_the_limit_is_too_large() {
        let mut input = streamed(&["abc", "def"]);
        let body = futures_executor::block_on(input.read_to_end(5));
        assert!(matches!(body, Err(InputError::TooLarge)));
    }

    #[test]
    fn body_exactly_at_the_limit_is_accepted() {
        let mut input = streamed(&["abc", "de"]);
        let body = futures_executor::block_on(input.read_to_end(5));
        assert_eq!(body.ok().as_deref(), Some(&b"abcde"[..]));
    }

    #[test]
    fn own_limit_bounds_a_later_read_with_a_larger_limit() {
        let mut input = streamed(&["abc", "def"]);
        input.set_limit(4);
        let body = futures_executor::block_on(input.read_to_end(100));
        assert!(matches!(body, Err(InputError::TooLarge)));
    }

    #[test]
    fn declared_length_over_the_limit_is_refused_before_reading() {
        let mut input = Input::from_stream(Box::pin(futures_util::stream::pending()), Some(10));
        // The stream never yields: a read that polled it would hang.
        let body = futures_executor::block_on(input.read_to_end(5));
        assert!(matches!(body, Err(InputError::TooLarge)));
    }

    #[test]
    fn framing_error_is_passed_on_and_ends_the_input() {
        let items = vec![Ok(Bytes::from_static(b"a")), Err(InputError::Framing("bad chunk".into()))];
        let mut input = Input::from_stream(Box::pin(futures_util::stream::iter(items)), None);
        let body = futures_executor::block_on(input.read_to_end(10));
        assert_eq!(body.map_err(|e| e.status().as_u16()).err(), Some(400));
        assert!(futures_executor::block_on(input.chunk()).is_none());
    }
}
