//! Turning what a handler returns into a gateway response (what each type sends is in
//! [`IntoResponse`]'s docs).

mod abort;
mod either;
mod escape;
mod headers;
mod redirect;
mod template;

use std::borrow::Cow;
use std::convert::Infallible;

use bytes::Bytes;
use gateway_core::{Body, Rejection, Response, StartResponse, TEXT_HTML_UTF_8, TEXT_PLAIN_UTF_8};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};

pub use abort::Abort;
pub use either::Either;
pub use escape::HtmlEntities;
pub use headers::IntoResponseHeaders;
pub use redirect::Redirect;
pub use template::Render;

/// A value a handler can return.
///
/// The conversion is given the request's `start_response`, so the gateway contract (status
/// and headers once, before the body) holds by type here too.
///
/// | returned | status | `Content-Type` |
/// |---|---|---|
/// | `&'static str`, `String`, `Cow<'static, str>` | 200 | `text/plain; charset=utf-8` |
/// | [`Html<T>`] | 200 | `text/html; charset=utf-8` |
/// | `Vec<u8>`, `Bytes` | 200 | `application/octet-stream` |
/// | [`Render<T>`](crate::Render) (askama) | 200, 500 if rendering fails | `text/html; charset=utf-8` |
/// | [`Json<T>`](crate::Json) | 200, 500 if serializing fails | `application/json` |
/// | [`Redirect`] | 303, 307 or 308 | none, empty body |
/// | `StatusCode`, [`Abort`], `(StatusCode, headers)` | that status (an **abort**) | `text/plain; charset=utf-8`, the status text |
/// | a [`rejection`](crate::rejection) | its status (a refusal) | `text/plain; charset=utf-8`, its text |
/// | `(StatusCode, T)`, `(StatusCode, headers, T)`, `(headers, T)` | the given status, or `T`'s | `T`'s, headers added |
/// | `Result<T, E>`, [`Either<L, R>`] | one of the two | |
/// | a gateway [`Response`] | its own | its own: sent as it is |
///
/// Headers are a `HeaderMap` or an array or `Vec` of pairs, typed or `(&str, &str)` (see
/// [`IntoResponseHeaders`]). An **abort** is the framework's refusal for its status, so an
/// error handler registered for that status renders it; a response with a body the handler
/// chose (`(StatusCode::NOT_FOUND, Json(..))`, a re-rendered form with 422) is sent as it is
/// (see [`ErrorPages`](crate::ErrorPages)). A bare 204 or 304 has no body.
///
/// # Examples
/// ```
/// use gateway_core::StartResponse;
/// use http::StatusCode;
/// use microframe::{Html, IntoResponse, Redirect};
///
/// let response = (StatusCode::CREATED, "made").into_response(StartResponse::new());
/// assert_eq!(response.status(), 201);
/// assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
/// assert!(!response.is_refusal());
///
/// let page = Html("<h1>Hi</h1>").into_response(StartResponse::new());
/// assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
///
/// let abort = StatusCode::NOT_FOUND.into_response(StartResponse::new());
/// assert!(abort.is_refusal()); // an error handler for 404 renders it
/// # let body = futures_executor::block_on(abort.into_parts().1.collect()).unwrap();
/// assert_eq!(body, "Not Found");
///
/// let moved = Redirect::to("/new").into_response(StartResponse::new());
/// assert_eq!(moved.status(), StatusCode::SEE_OTHER);
/// assert_eq!(moved.headers()["location"], "/new");
///
/// let ok: Result<&'static str, StatusCode> = Err(StatusCode::FORBIDDEN);
/// assert_eq!(ok.into_response(StartResponse::new()).status(), 403);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a handler",
    note = "return a `&'static str`, `String`, `Html<T>`, `Json<T>`, `Render<T>`, `Redirect`, `StatusCode`, `Abort`, `(StatusCode, T)`, `(StatusCode, headers, T)`, `(headers, T)`, or a `Result` or `Either` of those, or implement `IntoResponse`",
    note = "`serde_json::Value` and other serializable values are returned as `Json(value)`"
)]
pub trait IntoResponse {
    /// Starts the response and attaches the body.
    fn into_response(self, start_response: StartResponse) -> Response;

    /// The response with `status` instead of its own: what `(StatusCode, T)` sends. The
    /// default sets the status on [`into_response`](IntoResponse::into_response)'s
    /// response; headers alone (no body of their own) answer as the bare status does
    /// instead, so `(StatusCode::UNAUTHORIZED, [("www-authenticate", "Basic")])` is an abort.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::StartResponse;
    /// use microframe::IntoResponse;
    ///
    /// let page = "made".into_response_with_status(http::StatusCode::CREATED, StartResponse::new());
    /// assert_eq!(page.status(), 201);
    /// assert!(!page.is_refusal());
    /// let abort = [("retry-after", "60")].into_response_with_status(http::StatusCode::SERVICE_UNAVAILABLE, StartResponse::new());
    /// assert!(abort.is_refusal());
    /// assert_eq!(abort.headers()["retry-after"], "60");
    /// ```
    fn into_response_with_status(self, status: StatusCode, start_response: StartResponse) -> Response
    where
        Self: Sized,
    {
        let mut response = self.into_response(start_response);
        *response.status_mut() = status;
        response
    }
}

/// An HTML body: `text/html; charset=utf-8`. The text is sent as it is: escape user data
/// (askama templates through [`Render`] do it for you).
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
        self.1.into_response_with_status(self.0, start_response)
    }
}

impl<H: IntoResponseHeaders, T: IntoResponse> IntoResponse for (StatusCode, H, T) {
    /// `T`'s response with the status set and the headers added (replacing `T`'s own
    /// value of a header given here).
    fn into_response(self, start_response: StartResponse) -> Response {
        let (status, headers, body) = self;
        headers::add_headers((status, body).into_response(start_response), headers)
    }
}

impl<H: IntoResponseHeaders, T: IntoResponse> IntoResponse for (H, T) {
    /// `T`'s response with the headers added (replacing `T`'s own value of a header given
    /// here).
    ///
    /// ```
    /// use microframe::IntoResponse;
    ///
    /// let response = ([("cache-control", "no-store")], "fresh").into_response(gateway_core::StartResponse::new());
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.headers()["cache-control"], "no-store");
    /// ```
    fn into_response(self, start_response: StartResponse) -> Response {
        headers::add_headers(self.1.into_response(start_response), self.0)
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
