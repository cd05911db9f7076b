//! Redirects: 303 See Other by default, 307 and 308 by name.

use gateway_core::{Body, Response, StartResponse};
use http::header::LOCATION;
use http::{HeaderValue, StatusCode};

use super::IntoResponse;

/// A redirect to `Location`, with an empty body.
///
/// [`Redirect::to`] is 303 See Other (after a POST, the browser follows with GET);
/// [`Redirect::temporary`] is 307 and [`Redirect::permanent`] is 308 (both keep the
/// method). A location that is not a valid header value (a raw newline, say) becomes a 500
/// rather than a broken header.
///
/// # Examples
/// ```
/// use microframe::{IntoResponse, Redirect};
///
/// let response = Redirect::to("/hello/bob").into_response(gateway_core::StartResponse::new());
/// assert_eq!(response.status(), 303);
/// assert_eq!(response.headers()["location"], "/hello/bob");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    status: StatusCode,
    location: String,
}

impl Redirect {
    /// 303 See Other.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Redirect::to("/").status(), 303);
    /// ```
    pub fn to(location: impl Into<String>) -> Self {
        Self { status: StatusCode::SEE_OTHER, location: location.into() }
    }

    /// 307 Temporary Redirect.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Redirect::temporary("/").status(), 307);
    /// ```
    pub fn temporary(location: impl Into<String>) -> Self {
        Self { status: StatusCode::TEMPORARY_REDIRECT, location: location.into() }
    }

    /// 308 Permanent Redirect.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Redirect::permanent("/").status(), 308);
    /// ```
    pub fn permanent(location: impl Into<String>) -> Self {
        Self { status: StatusCode::PERMANENT_REDIRECT, location: location.into() }
    }

    /// The status.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Redirect::to("/").status(), http::StatusCode::SEE_OTHER);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The location.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::Redirect::to("/x").location(), "/x");
    /// ```
    pub fn location(&self) -> &str {
        &self.location
    }
}

impl IntoResponse for Redirect {
    fn into_response(self, start_response: StartResponse) -> Response {
        match HeaderValue::try_from(self.location) {
            Ok(location) => start_response.start(self.status, [(LOCATION, location)]).body(Body::empty()),
            Err(error) => {
                tracing::error!(%error, "redirect location is not a valid header value; answering 500");
                start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}
