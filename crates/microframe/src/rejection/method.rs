//! The router's refusal of a method: 405 with `Allow`.

use std::borrow::Cow;

use gateway_core::{Rejection, Response, StartResponse, status};
use http::header::ALLOW;
use http::{HeaderValue, StatusCode};

use crate::response::{IntoResponse, reject};

/// The path matches but the method does not: 405 `Method Not Allowed` with `Allow`.
///
/// # Examples
/// ```
/// use gateway_core::Rejection;
/// let rejection = microframe::rejection::MethodNotAllowed::new("GET, HEAD, OPTIONS");
/// assert_eq!(rejection.status(), 405);
/// assert_eq!(rejection.allow(), "GET, HEAD, OPTIONS");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodNotAllowed {
    allow: String,
}

impl MethodNotAllowed {
    /// With the `Allow` header's value.
    ///
    /// # Examples
    /// See [`MethodNotAllowed`].
    pub fn new(allow: impl Into<String>) -> Self {
        Self { allow: allow.into() }
    }

    /// The `Allow` header's value.
    ///
    /// # Examples
    /// See [`MethodNotAllowed`].
    pub fn allow(&self) -> &str {
        &self.allow
    }
}

impl Rejection for MethodNotAllowed {
    fn status(&self) -> StatusCode {
        StatusCode::METHOD_NOT_ALLOWED
    }
    fn body_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(status::METHOD_NOT_ALLOWED)
    }
}

impl IntoResponse for MethodNotAllowed {
    fn into_response(self, start_response: StartResponse) -> Response {
        let mut response = reject(&self, start_response);
        if let Ok(allow) = HeaderValue::try_from(self.allow) {
            response.headers_mut().insert(ALLOW, allow);
        }
        response
    }
}
