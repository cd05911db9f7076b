//! `ServerError`: what goes wrong on the server's side (the database, a URL the app cannot
//! build, a session that cannot be written), answered as a 500.

use http::StatusCode;
use microframe::{IntoResponse, Response, StartResponse};

/// A failure that is the server's fault: a 500, rendered by the app's 500 page. The cause is
/// logged at ERROR (through `tracing`, which `serve` prints on stderr), never shown.
///
/// # Examples
/// ```
/// use microframe::IntoResponse;
/// let response = example_guestbook::ServerError::new("disk full").into_response(microframe::StartResponse::new());
/// assert_eq!(response.status(), 500);
/// ```
#[derive(Debug)]
pub struct ServerError(String);

impl ServerError {
    /// A failure with its cause, for the log.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(example_guestbook::ServerError::new("disk full").to_string(), "disk full");
    /// ```
    pub fn new(cause: impl Into<String>) -> Self {
        Self(cause.into())
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

macro_rules! server_error_from {
    ($($source:ty => $what:literal),*) => {$(
        impl From<$source> for ServerError {
            fn from(error: $source) -> Self {
                Self(format!(concat!($what, ": {}"), error))
            }
        }
    )*};
}

server_error_from!(
    rusqlite::Error => "database",
    microframe::UrlError => "url_for",
    serde_json::Error => "session"
);

impl IntoResponse for ServerError {
    /// A 500, the framework's refusal (so the app's 500 page renders it); the cause logged.
    fn into_response(self, start_response: StartResponse) -> Response {
        tracing::error!(error = %self, "answering 500");
        StatusCode::INTERNAL_SERVER_ERROR.into_response(start_response)
    }
}
