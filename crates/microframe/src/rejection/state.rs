//! The refusal of a `State<T>` nobody registered: a bug in the app, not in the request.

use std::borrow::Cow;

use gateway_core::{Rejection, Response, StartResponse, status};
use http::StatusCode;

use crate::response::{IntoResponse, reject};

/// A handler asked for `State<T>` and no app on the way registered a `T`: 500
/// `Internal Server Error`, with the type named in the log (at ERROR), never in the body.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, State, TestClient};
///
/// async fn count(State(n): State<u64>) -> String { n.to_string() }
/// let client = TestClient::new(Microframe::new().get("/", count)); // no `.state(0_u64)`
/// client.get("/").send().await.assert_status(500).assert_body("Internal Server Error");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingState {
    type_name: &'static str,
}

impl MissingState {
    pub(crate) fn of<T>() -> Self {
        Self { type_name: std::any::type_name::<T>() }
    }

    /// The type nobody registered.
    ///
    /// # Examples
    /// See [`MissingState`].
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl Rejection for MissingState {
    fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }
    fn body_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(status::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for MissingState {
    fn into_response(self, start_response: StartResponse) -> Response {
        tracing::error!(
            state = self.type_name,
            "State<{}> asked for, but no app registered one with `.state(..)`; answering 500",
            self.type_name
        );
        reject(&self, start_response)
    }
}

impl std::fmt::Display for MissingState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no state of type {} was registered", self.type_name)
    }
}

impl std::error::Error for MissingState {}
