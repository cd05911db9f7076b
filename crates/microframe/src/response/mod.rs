//! Turning what a handler returns into a gateway response.
//!
//! A handler returns anything that is [`IntoResponse`]; the conversion is given the
//! request's `start_response`, so the gateway contract (status and headers once, before the
//! body) holds by type here too.
//!
//! | returned | status | `Content-Type` |
//! |---|---|---|
//! | `&'static str`, `String` | 200 | `text/plain; charset=utf-8` |
//! | [`Html<T>`] | 200 | `text/html; charset=utf-8` |
//! | `Vec<u8>`, `Bytes` | 200 | `application/octet-stream` |
//! | [`Render<T>`](crate::Render) (askama) | 200, 500 if rendering fails | `text/html; charset=utf-8` |
//! | [`Redirect`] | 303, 307 or 308 | none, empty body |
//! | `StatusCode` | that status | `text/plain`, the status text |
//! | `(StatusCode, T)`, `(StatusCode, headers, T)` | the given status | `T`'s, headers added |
//! | `Result<T, E>` | `T`'s or `E`'s | |

mod escape;
mod redirect;
mod template;

use std::borrow::Cow;
use std::convert::Infallible;

use bytes::Bytes;
use gateway_core::{Body, IntoHeaders, Rejection, Response, StartResponse, TEXT_HTML_UTF_8, TEXT_PLAIN_UTF_8};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};

pub use escape::HtmlEntities;
pub use redirect::Redirect;
pub use template::Render;

/// A value a handler can return.
///
/// # Examples
/// ```
/// use gateway_core::StartResponse;
/// use microframe::IntoResponse;
///
/// let response = (http::StatusCode::CREATED, "made").into_response(StartResponse::new());
/// assert_eq!(response.status(), 201);
/// assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a handler",
    note = "return a `&'static str`, `String`, `Html<T>`, `Render<T>`, `Redirect`, `StatusCode`, `(StatusCode, T)`, `(StatusCode, headers, T)` or a `Result` of those, or implement `IntoResponse`"
)]
pub trait IntoResponse {
    /// Starts the response and attaches the body.
    fn into_response(self, start_response: StartResponse) -> Response;
}

/// An HTML body: `text/html; charset=utf-8`. The text is sent as it is: escape user data
/// (askama templates through [`Render`](crate::Render) do it for you).
///
/// # Examples
/// ```
/// use microframe::{Html, IntoResponse};
///
/// let response = Html("<h1>Index</h1>").into_response(gateway_core::StartResponse::new());
/// assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Html<T>(pub T);

impl<T: Into<Body>> IntoResponse for Html<T> {
    fn into_response(self, start_response: StartResponse) -> Response {
        start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_HTML_UTF_8)]).body(self.0)
    }
}

fn plain(start_response: StartResponse, body: impl Into<Body>) -> Response {
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body(body)
}

impl IntoResponse for &'static str {
    fn into_response(self, start_response: StartResponse) -> Response {
        plain(start_response, self)
    }
}

impl IntoResponse for String {
    fn into_response(self, start_response: StartResponse) -> Response {
        plain(start_response, self)
    }
}

impl IntoResponse for Cow<'static, str> {
    fn into_response(self, start_response: StartResponse) -> Response {
        match self {
            Cow::Borrowed(text) => plain(start_response, text),
            Cow::Owned(text) => plain(start_response, text),
        }
    }
}

const OCTET_STREAM: HeaderValue = HeaderValue::from_static("application/octet-stream");

impl IntoResponse for Vec<u8> {
    fn into_response(self, start_response: StartResponse) -> Response {
        start_response.start(StatusCode::OK, [(CONTENT_TYPE, OCTET_STREAM)]).body(self)
    }
}

impl IntoResponse for Bytes {
    fn into_response(self, start_response: StartResponse) -> Response {
        start_response.start(StatusCode::OK, [(CONTENT_TYPE, OCTET_STREAM)]).body(self)
    }
}

impl IntoResponse for StatusCode {
    /// The status with its text from the status contract (`Not Found`, ...), or its
    /// canonical reason phrase; 204 and 304 get no body.
    fn into_response(self, start_response: StartResponse) -> Response {
        if self == StatusCode::NO_CONTENT || self == StatusCode::NOT_MODIFIED {
            return start_response.start(self, ()).body(Body::empty());
        }
        start_response.reject(&self)
    }
}

impl IntoResponse for Response {
    /// A response built by hand is sent as it is.
    fn into_response(self, _start_response: StartResponse) -> Response {
        self
    }
}

impl IntoResponse for Infallible {
    fn into_response(self, _start_response: StartResponse) -> Response {
        match self {}
    }
}

impl<T: IntoResponse> IntoResponse for (StatusCode, T) {
    fn into_response(self, start_response: StartResponse) -> Response {
        let mut response = self.1.into_response(start_response);
        *response.status_mut() = self.0;
        response
    }
}

impl<H: IntoHeaders, T: IntoResponse> IntoResponse for (StatusCode, H, T) {
    /// `T`'s response with the status set and the headers added (replacing `T`'s own
    /// value of a header given here).
    fn into_response(self, start_response: StartResponse) -> Response {
        let (status, headers, body) = self;
        let mut response = (status, body).into_response(start_response);
        let mut current = None;
        for (name, value) in headers.into_headers() {
            match name {
                Some(name) => {
                    response.headers_mut().insert(&name, value);
                    current = Some(name);
                }
                None => {
                    if let Some(name) = &current {
                        response.headers_mut().append(name, value);
                    }
                }
            }
        }
        response
    }
}

impl<T: IntoResponse, E: IntoResponse> IntoResponse for Result<T, E> {
    fn into_response(self, start_response: StartResponse) -> Response {
        match self {
            Ok(value) => value.into_response(start_response),
            Err(error) => error.into_response(start_response),
        }
    }
}

/// Answers a rejection of the status contract (its status and exact text body), logging it
/// at debug level.
pub(crate) fn reject(rejection: &impl Rejection, start_response: StartResponse) -> Response {
    tracing::debug!(status = %rejection.status(), body = %rejection.body_text(), "rejected");
    start_response.reject(rejection)
}
