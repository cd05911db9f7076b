//! `Abort`: a handler's explicit refusal, rendered by the app's error handler.

use std::fmt;

use gateway_core::{Response, StartResponse};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::IntoResponse;
use super::headers::add_headers;

/// Stops the handler with an error status, as Flask's `abort(404)`: the response is the
/// framework's refusal for that status (its text, `Not Found`, `Unauthorized`, ...), so an
/// error handler registered for the status renders it. A bare `StatusCode` and a
/// `(StatusCode, headers)` pair abort the same way; `Abort` is the same as an error value,
/// for `?` and `Result<T, Abort>`.
///
/// A response the handler builds with a body of its own, `(StatusCode::NOT_FOUND, Json(..))`
/// say, is **not** an abort: it is sent as it is.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use http::StatusCode;
/// use microframe::{Abort, Html, Microframe, Path, TestClient};
///
/// async fn entry(Path(id): Path<i64>) -> Result<String, Abort> {
///     if id != 1 {
///         return Err(Abort::new(StatusCode::NOT_FOUND));
///     }
///     Ok("the first entry".to_owned())
/// }
/// async fn admin() -> Abort {
///     Abort::new(StatusCode::UNAUTHORIZED).header("www-authenticate", "Basic realm=\"admin\"")
/// }
/// async fn missing() -> Html<&'static str> { Html("<h1>No such page</h1>") }
///
/// let app = Microframe::new()
///     .get("/entry/<id:int>", entry)
///     .get("/admin", admin)
///     .error_handler(StatusCode::NOT_FOUND, missing);
/// let client = TestClient::new(app);
/// client.get("/entry/2").send().await.assert_status(404).assert_body("<h1>No such page</h1>");
/// client.get("/admin").send().await
///     .assert_status(401)
///     .assert_header("www-authenticate", "Basic realm=\"admin\"")
///     .assert_body("Unauthorized");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Abort {
    status: StatusCode,
    headers: HeaderMap,
}

impl Abort {
    /// An abort with `status`.
    ///
    /// # Examples
    /// See [`Abort`].
    pub fn new(status: StatusCode) -> Self {
        Self { status, headers: HeaderMap::new() }
    }

    /// Adds a header to the refusal (`WWW-Authenticate`, `Retry-After`, ...). A name or value
    /// that HTTP does not allow makes the response a 500, logged.
    ///
    /// # Examples
    /// See [`Abort`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => {
                tracing::error!(name, value, "Abort::header: not a valid header; the abort becomes a 500");
                self.status = StatusCode::INTERNAL_SERVER_ERROR;
            }
        }
        self
    }

    /// The status.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Abort::new(http::StatusCode::GONE).status(), 410);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<StatusCode> for Abort {
    fn from(status: StatusCode) -> Self {
        Self::new(status)
    }
}

impl IntoResponse for Abort {
    fn into_response(self, start_response: StartResponse) -> Response {
        add_headers(self.status.into_response(start_response), self.headers)
    }
}

impl fmt::Display for Abort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "aborted with {}", self.status)
    }
}

impl std::error::Error for Abort {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_a_repeated_header_is_kept() {
        let abort = Abort::new(StatusCode::UNAUTHORIZED)
            .header("www-authenticate", "Basic")
            .header("www-authenticate", "Bearer");
        let response = abort.into_response(StartResponse::new());
        let values: Vec<_> = response.headers().get_all("www-authenticate").iter().collect();
        assert_eq!(values, ["Basic", "Bearer"]);
        assert!(response.is_refusal());
    }

    #[test]
    fn a_header_that_cannot_be_sent_makes_the_abort_a_500() {
        let response = Abort::new(StatusCode::UNAUTHORIZED).header("x-bad", "a\nb").into_response(StartResponse::new());
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get("x-bad").is_none());
    }
}
