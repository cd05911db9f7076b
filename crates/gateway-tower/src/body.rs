//! The response body a `GatewayService` returns: the app's `Body` as an `http_body::Body`.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use gateway_core::{Body, BodyError};
use http_body::{Frame, SizeHint};

/// A gateway [`Body`] as an [`http_body::Body`] (streaming, `Default`, `Send`), so hyper,
/// axum and tower-http take it. A panic while the body is produced ends it with an error
/// (the head is already sent, so the connection is closed), never the whole connection task.
///
/// # Examples
/// ```
/// use gateway_tower::ResponseBody;
/// use http_body::Body as _;
///
/// let body = ResponseBody::new(gateway_core::Body::from("abc"));
/// assert_eq!(body.size_hint().exact(), Some(3));
/// assert!(ResponseBody::default().is_end_stream());
/// ```
#[derive(Default)]
pub struct ResponseBody {
    inner: Body,
}

impl ResponseBody {
    /// Wraps a gateway body.
    ///
    /// # Examples
    /// ```
    /// let _ = gateway_tower::ResponseBody::new(gateway_core::Body::empty());
    /// ```
    pub fn new(inner: Body) -> Self {
        Self { inner }
    }
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let inner = &mut self.get_mut().inner;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll_chunk(cx))) {
            Ok(poll) => poll.map(|next| next.map(|chunk| chunk.map(Frame::data))),
            Err(payload) => {
                let message = gateway_core::panic_message(&*payload);
                tracing::error!(panic = %message, "response body panicked; aborting the response");
                *inner = Body::empty();
                Poll::Ready(Some(Err(message.into())))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        match self.inner.exact_length() {
            Some(length) => SizeHint::with_exact(length),
            None => SizeHint::default(),
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResponseBody").field(&self.inner).finish()
    }
}
