//! `start_response` and the response it leads to, with "once, before the body" in the types.
//!
//! PEP 3333 checks at run time that `start_response` is called exactly once before the
//! first body chunk. Here the types check it: [`StartResponse::start`] consumes the
//! `StartResponse` and returns the only value a [`Response`] can be built from, so
//! calling it twice, or producing a body without calling it, does not compile.
//!
//! ```compile_fail,E0382
//! // start_response twice: the first call consumed it.
//! use gateway_core::{Environ, Response, StartResponse};
//! use http::StatusCode;
//! async fn app(_environ: Environ, start_response: StartResponse) -> Response {
//!     let _ = start_response.start(StatusCode::OK, ());
//!     start_response.start(StatusCode::OK, ()).body("twice")
//! }
//! ```
//!
//! ```compile_fail,E0277
//! // A body before start_response: a `Response` has no constructor of its own.
//! use gateway_core::{Body, Environ, Response, StartResponse};
//! async fn app(_environ: Environ, _start_response: StartResponse) -> Response {
//!     Response::from(Body::from("body first"))
//! }
//! ```
//!
//! PEP 3333's `exc_info` case, an error after `start_response` but before anything was
//! sent, is [`ResponseHead::replace`]: it is only possible while the app still holds the
//! head, that is before the response went to the server. Once the head is turned into a
//! response there is nothing left to replace:
//!
//! ```compile_fail,E0382
//! use gateway_core::{Environ, Response, StartResponse};
//! use http::StatusCode;
//! async fn app(_environ: Environ, start_response: StartResponse) -> Response {
//!     let head = start_response.start(StatusCode::OK, ());
//!     let response = head.body("sent");
//!     head.replace(StatusCode::INTERNAL_SERVER_ERROR, ()); // `head` was moved
//!     response
//! }
//! ```
//!
//! Header names and values are `http` types, whose constructors refuse CR, LF and the other
//! bytes HTTP forbids; a raw string cannot be put in a header map:
//!
//! ```compile_fail,E0308
//! let mut headers = http::HeaderMap::new();
//! headers.insert(http::header::CONTENT_TYPE, "text/plain\r\nX-Injected: 1");
//! ```
//!
//! ```
//! assert!(http::HeaderValue::from_str("text/plain\r\nX-Injected: 1").is_err());
//! assert!(http::HeaderName::from_bytes(b"Bad Name").is_err());
//! ```

use std::fmt;

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::body::Body;
use crate::header_values::TEXT_PLAIN_UTF_8;
use crate::status::Rejection;

/// The right to start the response, given to the app with the environ. Used exactly once.
///
/// # Examples
/// ```
/// use gateway_core::StartResponse;
/// use http::StatusCode;
///
/// let head = StartResponse::new().start(StatusCode::OK, [(http::header::CONTENT_TYPE, gateway_core::TEXT_PLAIN_UTF_8)]);
/// let response = head.body("Hello world!");
/// assert_eq!(response.status(), StatusCode::OK);
/// ```
#[derive(Debug, Default)]
#[must_use = "an app must call start_response to respond"]
pub struct StartResponse {
    _once: (),
}

impl StartResponse {
    /// A fresh `start_response`: servers make one per request, and middleware makes one for
    /// the app it wraps (PEP 3333 middleware passes its own `start_response` down).
    ///
    /// # Examples
    /// ```
    /// let _ = gateway_core::StartResponse::new();
    /// ```
    pub fn new() -> Self {
        Self { _once: () }
    }

    /// Sets the status and headers; the body follows with [`ResponseHead::body`].
    ///
    /// # Examples
    /// ```
    /// use gateway_core::StartResponse;
    /// use http::StatusCode;
    ///
    /// let head = StartResponse::new().start(StatusCode::NO_CONTENT, ());
    /// assert!(head.headers().is_empty());
    /// ```
    pub fn start(self, status: StatusCode, headers: impl IntoHeaders) -> ResponseHead {
        ResponseHead { status, headers: headers.into_headers(), refusal: false }
    }

    /// Answers with a rejection: its status and its text as a `text/plain` body.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::StartResponse;
    /// use http::StatusCode;
    ///
    /// let response = StartResponse::new().reject(&StatusCode::NOT_FOUND);
    /// assert_eq!(response.status(), StatusCode::NOT_FOUND);
    /// assert_eq!(response.body().exact_length(), Some(9)); // "Not Found"
    /// ```
    ///
    /// The response is marked as a refusal ([`Response::is_refusal`]): middleware that
    /// renders error pages (microframe's) renders refusals, and leaves alone the responses
    /// an app built with a body of its own.
    pub fn reject(self, rejection: &impl Rejection) -> Response {
        let text = rejection.body_text().into_owned();
        let mut head = self.start(rejection.status(), [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]);
        head.refusal = true;
        head.body(text)
    }
}

/// Status and headers set, nothing sent yet: the token a body is attached to.
///
/// # Examples
/// ```
/// use gateway_core::StartResponse;
/// use http::StatusCode;
///
/// let mut head = StartResponse::new().start(StatusCode::OK, ());
/// head.headers_mut().insert("x-step", http::HeaderValue::from_static("4"));
/// assert_eq!(head.body("done").headers()["x-step"], "4");
/// ```
#[derive(Debug)]
#[must_use = "a response head needs a body"]
pub struct ResponseHead {
    status: StatusCode,
    headers: HeaderMap,
    /// Made by [`StartResponse::reject`].
    refusal: bool,
}

impl ResponseHead {
    /// PEP 3333's `start_response(status, headers, exc_info)`: after an error, replaces the
    /// status and headers. Only possible while nothing was sent, which the types ensure.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::StartResponse;
    /// use http::StatusCode;
    ///
    /// let head = StartResponse::new().start(StatusCode::OK, ());
    /// // ... rendering failed:
    /// let head = head.replace(StatusCode::INTERNAL_SERVER_ERROR, ());
    /// assert_eq!(head.status(), StatusCode::INTERNAL_SERVER_ERROR);
    /// ```
    pub fn replace(self, status: StatusCode, headers: impl IntoHeaders) -> ResponseHead {
        ResponseHead { status, headers: headers.into_headers(), refusal: false }
    }

    /// The status.
    ///
    /// # Examples
    /// ```
    /// let head = gateway_core::StartResponse::new().start(http::StatusCode::OK, ());
    /// assert_eq!(head.status(), 200);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    ///
    /// # Examples
    /// ```
    /// let head = gateway_core::StartResponse::new().start(http::StatusCode::OK, ());
    /// assert!(head.headers().is_empty());
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers, to change.
    ///
    /// # Examples
    /// ```
    /// let mut head = gateway_core::StartResponse::new().start(http::StatusCode::OK, ());
    /// head.headers_mut().insert("x-a", http::HeaderValue::from_static("1"));
    /// assert_eq!(head.headers().len(), 1);
    /// ```
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// Attaches the body: the response is complete and goes back to the server.
    ///
    /// # Examples
    /// ```
    /// let head = gateway_core::StartResponse::new().start(http::StatusCode::OK, ());
    /// assert_eq!(head.body("abc").body().exact_length(), Some(3));
    /// ```
    pub fn body(self, body: impl Into<Body>) -> Response {
        Response { head: self, body: body.into() }
    }
}

/// A complete response: the head given to `start_response`, and the body.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::StartResponse;
/// use http::StatusCode;
///
/// let response = StartResponse::new().start(StatusCode::OK, ()).body("hi");
/// let (head, body) = response.into_parts();
/// assert_eq!(head.status(), StatusCode::OK);
/// assert_eq!(body.collect().await.unwrap(), "hi");
/// # });
/// ```
#[must_use]
pub struct Response {
    head: ResponseHead,
    body: Body,
}

impl Response {
    /// The status.
    ///
    /// # Examples
    /// ```
    /// let response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("");
    /// assert_eq!(response.status(), 200);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The status, to change (an error page keeping the error's status).
    ///
    /// # Examples
    /// ```
    /// let mut response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("");
    /// *response.status_mut() = http::StatusCode::NOT_FOUND;
    /// assert_eq!(response.status(), 404);
    /// ```
    pub fn status_mut(&mut self) -> &mut StatusCode {
        &mut self.head.status
    }

    /// The headers.
    ///
    /// # Examples
    /// ```
    /// let response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("");
    /// assert!(response.headers().is_empty());
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The headers, to change (middleware adding a header on the way out).
    ///
    /// # Examples
    /// ```
    /// let mut response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("");
    /// response.headers_mut().insert("x-elapsed", http::HeaderValue::from_static("0.1ms"));
    /// assert_eq!(response.headers()["x-elapsed"], "0.1ms");
    /// ```
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.head.headers
    }

    /// Whether the response is a refusal made with [`StartResponse::reject`] (a status and
    /// its contract text), rather than a response the app built with a body of its own.
    /// The mark stays through [`into_parts`](Response::into_parts) and back.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::StartResponse;
    /// use http::StatusCode;
    ///
    /// assert!(StartResponse::new().reject(&StatusCode::NOT_FOUND).is_refusal());
    /// assert!(!StartResponse::new().start(StatusCode::NOT_FOUND, ()).body("no such page").is_refusal());
    /// ```
    pub fn is_refusal(&self) -> bool {
        self.head.refusal
    }

    /// The body.
    ///
    /// # Examples
    /// ```
    /// let response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("ab");
    /// assert_eq!(response.body().exact_length(), Some(2));
    /// ```
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Splits into head and body; middleware that rewrites the body builds the response
    /// again with [`ResponseHead::body`].
    ///
    /// # Examples
    /// ```
    /// let response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("a");
    /// let (head, _old_body) = response.into_parts();
    /// assert_eq!(head.body("b").body().exact_length(), Some(1));
    /// ```
    pub fn into_parts(self) -> (ResponseHead, Body) {
        (self.head, self.body)
    }
}

impl From<Response> for http::Response<Body> {
    /// The response as `http` types, for servers and adapters.
    ///
    /// ```
    /// let response = gateway_core::StartResponse::new().start(http::StatusCode::OK, ()).body("a");
    /// let http_response: http::Response<gateway_core::Body> = response.into();
    /// assert_eq!(http_response.status(), 200);
    /// ```
    fn from(response: Response) -> Self {
        let mut http_response = http::Response::new(response.body);
        *http_response.status_mut() = response.head.status;
        *http_response.headers_mut() = response.head.headers;
        http_response
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.head.status)
            .field("headers", &self.head.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Anything `start_response` accepts as headers: a `HeaderMap`, an array or `Vec` of
/// `(HeaderName, HeaderValue)` pairs, or `()` for none.
///
/// # Examples
/// ```
/// use gateway_core::IntoHeaders;
/// use http::header::{CONTENT_TYPE, CACHE_CONTROL};
/// use http::HeaderValue;
///
/// let headers = [(CONTENT_TYPE, gateway_core::TEXT_PLAIN_UTF_8), (CACHE_CONTROL, HeaderValue::from_static("no-store"))];
/// assert_eq!(headers.clone().into_headers().len(), 2);
/// // Room for a few more: hyper reuses a sent response's map for the next request's headers.
/// assert!(headers.into_headers().capacity() >= 6);
/// ```
pub trait IntoHeaders {
    /// The header map.
    fn into_headers(self) -> HeaderMap;
}

impl IntoHeaders for HeaderMap {
    fn into_headers(self) -> HeaderMap {
        self
    }
}

impl IntoHeaders for () {
    fn into_headers(self) -> HeaderMap {
        HeaderMap::new()
    }
}

/// The least room a response's header map is made with: what `HeaderMap::new()` takes at its
/// first insert. hyper keeps a sent response's map for the connection's next request, so a
/// map sized for one header would be regrown for every request with a few headers.
const RESPONSE_HEADERS_ROOM: usize = 6;

impl<const N: usize> IntoHeaders for [(HeaderName, HeaderValue); N] {
    fn into_headers(self) -> HeaderMap {
        let mut map = HeaderMap::with_capacity(N.max(RESPONSE_HEADERS_ROOM));
        for (name, value) in self {
            map.append(name, value);
        }
        map
    }
}

impl IntoHeaders for Vec<(HeaderName, HeaderValue)> {
    fn into_headers(self) -> HeaderMap {
        self.into_iter().collect()
    }
}
