//! The multipart refusals: 415 for another `Content-Type`, 400 for a malformed body, 413
//! for too many parts, too much field memory or a body over the limit, and the body's own
//! 408/400.

use std::borrow::Cow;

use gateway_core::{Rejection, Response, StartResponse, status};
use http::StatusCode;

use super::PayloadTooLarge;
use crate::response::{IntoResponse, reject};

simple_rejection!(
    /// A [`Multipart`](crate::Multipart) extractor got a request whose `Content-Type` is
    /// absent, not `multipart/form-data`, or has no `boundary`: 415.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// let rejection = microframe::rejection::InvalidMultipartContentType;
    /// assert_eq!(rejection.status(), 415);
    /// assert_eq!(rejection.body_text(), "Expected Content-Type: multipart/form-data");
    /// ```
    InvalidMultipartContentType, UNSUPPORTED_MEDIA_TYPE, "Expected Content-Type: multipart/form-data"
);

/// Why a multipart body could not be read, at extraction (415) or later, from
/// [`Multipart::next_field`](crate::Multipart::next_field) and the field's reads; a
/// handler returns it (or `?`s it) and it answers with its status and text.
///
/// | variant | status | body |
/// |---|---|---|
/// | `InvalidContentType` | 415 | `Expected Content-Type: multipart/form-data` |
/// | `Malformed` | 400 | `Bad Request` |
/// | `TooManyParts`, `FieldsTooLarge`, `TooLarge` | 413 | `Payload Too Large` |
/// | `Timeout` | 408 | `Request Timeout` |
/// | `BadBody` | 400 | `Bad Request` |
///
/// # Examples
/// ```
/// use gateway_core::Rejection;
/// use microframe::rejection::{MultipartRejection, PayloadTooLarge};
///
/// assert_eq!(MultipartRejection::TooManyParts.status(), 413);
/// assert_eq!(MultipartRejection::Malformed.to_string(), "Bad Request");
/// assert_eq!(MultipartRejection::from(PayloadTooLarge).body_text(), "Payload Too Large");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MultipartRejection {
    /// 415: not `multipart/form-data`, or no boundary.
    InvalidContentType(InvalidMultipartContentType),
    /// 400: not well-formed multipart: a wrong boundary, a part with no end, part headers
    /// that do not parse or pass 64 KiB, a part without a name.
    Malformed,
    /// 413: more than [`MAX_MULTIPART_PARTS`](crate::MAX_MULTIPART_PARTS) parts.
    TooManyParts,
    /// 413: more than [`MAX_MULTIPART_FIELD_MEMORY`](crate::MAX_MULTIPART_FIELD_MEMORY)
    /// bytes of non-file field values.
    FieldsTooLarge,
    /// 413: over the body limit.
    TooLarge(PayloadTooLarge),
    /// 408: the body stalled (the server also closes the connection).
    Timeout,
    /// 400: the body's framing broke (the server also closes the connection).
    BadBody,
}

impl From<PayloadTooLarge> for MultipartRejection {
    fn from(rejection: PayloadTooLarge) -> Self {
        Self::TooLarge(rejection)
    }
}

from_input_error!(MultipartRejection);

impl Rejection for MultipartRejection {
    fn status(&self) -> StatusCode {
        match self {
            Self::InvalidContentType(r) => r.status(),
            Self::Malformed | Self::BadBody => StatusCode::BAD_REQUEST,
            Self::TooManyParts | Self::FieldsTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooLarge(r) => r.status(),
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
        }
    }
    fn body_text(&self) -> Cow<'_, str> {
        match self {
            Self::InvalidContentType(r) => r.body_text(),
            Self::Malformed | Self::BadBody => Cow::Borrowed(status::BAD_REQUEST),
            Self::TooManyParts | Self::FieldsTooLarge => Cow::Borrowed(status::PAYLOAD_TOO_LARGE),
            Self::TooLarge(r) => r.body_text(),
            Self::Timeout => Cow::Borrowed(status::REQUEST_TIMEOUT),
        }
    }
}

impl IntoResponse for MultipartRejection {
    fn into_response(self, start_response: StartResponse) -> Response {
        reject(&self, start_response)
    }
}

rejection_error!(InvalidMultipartContentType, MultipartRejection);
