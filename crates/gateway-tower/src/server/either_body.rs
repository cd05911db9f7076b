//! A response body that is either the service's or the server's own error page.

use std::error::Error;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};

use crate::ResponseBody;

pin_project_lite::pin_project! {
    /// The service's body, or one the server wrote itself (the `Host`-rule 400, a 500 for
    /// a failed service).
    #[project = EitherBodyProj]
    pub(crate) enum EitherBody<B> {
        Service { #[pin] body: B },
        Own { body: ResponseBody },
    }
}

impl<B> EitherBody<B> {
    pub(crate) fn service(body: B) -> Self {
        Self::Service { body }
    }
    pub(crate) fn own(body: ResponseBody) -> Self {
        Self::Own { body }
    }
}

impl<B> HttpBody for EitherBody<B>
where
    B: HttpBody<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.project() {
            EitherBodyProj::Service { body } => body.poll_frame(cx).map(|next| next.map(|r| r.map_err(Into::into))),
            EitherBodyProj::Own { body } => Pin::new(body).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Service { body } => body.is_end_stream(),
            Self::Own { body } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Service { body } => body.size_hint(),
            Self::Own { body } => body.size_hint(),
        }
    }
}
