//! The status contract's texts: the one place where error bodies are spelled.
//!
//! Every error response of the project (gateway-core, gateway-tower, microframe) has a
//! `text/plain; charset=utf-8` body that **equals** one of these texts, with no trailing
//! newline (docs/design.md §3). Other crates reuse these constants instead of spelling them again.
//!
//! # Examples
//! ```
//! use gateway_core::status;
//! use http::StatusCode;
//!
//! assert_eq!(status::NOT_FOUND, "Not Found");
//! assert_eq!(status::text(StatusCode::NOT_FOUND), Some(status::NOT_FOUND));
//! ```

use http::StatusCode;

/// Body of a 400 response (bad framing, a `Content-Length` that is not a number).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::BAD_REQUEST);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::BAD_REQUEST);
/// # });
/// ```
pub const BAD_REQUEST: &str = "Bad Request";
/// Body of a 403 response (a cross-site request refused).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::FORBIDDEN);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::FORBIDDEN);
/// # });
/// ```
pub const FORBIDDEN: &str = "Forbidden";
/// Body of a 404 response.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::NOT_FOUND);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::NOT_FOUND);
/// # });
/// ```
pub const NOT_FOUND: &str = "Not Found";
/// Body of a 405 response.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::METHOD_NOT_ALLOWED);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::METHOD_NOT_ALLOWED);
/// # });
/// ```
pub const METHOD_NOT_ALLOWED: &str = "Method Not Allowed";
/// Body of a 408 response (no request-body bytes for the body-read timeout).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::REQUEST_TIMEOUT);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::REQUEST_TIMEOUT);
/// # });
/// ```
pub const REQUEST_TIMEOUT: &str = "Request Timeout";
/// Body of a 413 response (a request body over the limit, declared or streamed).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::PAYLOAD_TOO_LARGE);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::PAYLOAD_TOO_LARGE);
/// # });
/// ```
pub const PAYLOAD_TOO_LARGE: &str = "Payload Too Large";
/// Body of a 500 response (a panic, a broken contract, a failed render): never the cause.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{StartResponse, status};
/// use http::StatusCode;
///
/// let response = StartResponse::new().reject(&StatusCode::INTERNAL_SERVER_ERROR);
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), status::INTERNAL_SERVER_ERROR);
/// # });
/// ```
pub const INTERNAL_SERVER_ERROR: &str = "Internal Server Error";

/// The stable body text of an error status, or `None` for a status the contract does not
/// answer with a fixed text.
///
/// # Examples
/// ```
/// use gateway_core::status;
/// use http::StatusCode;
///
/// assert_eq!(status::text(StatusCode::PAYLOAD_TOO_LARGE), Some("Payload Too Large"));
/// assert_eq!(status::text(StatusCode::OK), None);
/// ```
pub fn text(status: StatusCode) -> Option<&'static str> {
    Some(match status {
        StatusCode::BAD_REQUEST => BAD_REQUEST,
        StatusCode::FORBIDDEN => FORBIDDEN,
        StatusCode::NOT_FOUND => NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED => METHOD_NOT_ALLOWED,
        StatusCode::REQUEST_TIMEOUT => REQUEST_TIMEOUT,
        StatusCode::PAYLOAD_TOO_LARGE => PAYLOAD_TOO_LARGE,
        StatusCode::INTERNAL_SERVER_ERROR => INTERNAL_SERVER_ERROR,
        _ => return None,
    })
}

/// A refusal with a status and a stable body text: what every error of the project is.
///
/// [`StartResponse::reject`](crate::StartResponse::reject) turns one into a
/// `text/plain; charset=utf-8` response.
///
/// # Examples
/// ```
/// use gateway_core::{InputError, Rejection};
/// use http::StatusCode;
///
/// let error = InputError::TooLarge;
/// assert_eq!(error.status(), StatusCode::PAYLOAD_TOO_LARGE);
/// assert_eq!(error.body_text(), "Payload Too Large");
/// ```
pub trait Rejection {
    /// The response status.
    fn status(&self) -> StatusCode;
    /// The exact response body.
    fn body_text(&self) -> std::borrow::Cow<'_, str>;
}

impl Rejection for StatusCode {
    /// A bare status rejects with its contract text, or its canonical reason phrase.
    fn status(&self) -> StatusCode {
        *self
    }
    fn body_text(&self) -> std::borrow::Cow<'_, str> {
        text(*self).or_else(|| self.canonical_reason()).unwrap_or_default().into()
    }
}
