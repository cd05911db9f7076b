//! The JSON refusals (415, 400, 422, and the body's own 413/408/400).

use std::borrow::Cow;

use gateway_core::{Rejection, Response, StartResponse, status};
use http::StatusCode;

use super::{Deserialize, PayloadTooLarge};
use crate::response::{IntoResponse, reject};

simple_rejection!(
    /// A JSON extractor got a request whose `Content-Type` is absent or neither
    /// `application/json` nor `application/<anything>+json`: 415.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// let rejection = microframe::rejection::InvalidJsonContentType;
    /// assert_eq!(rejection.body_text(), "Expected Content-Type: application/json");
    /// ```
    InvalidJsonContentType, UNSUPPORTED_MEDIA_TYPE, "Expected Content-Type: application/json"
);

/// The body is not JSON (bad syntax, cut short, not UTF-8, nested past serde_json's
/// recursion limit): 400 `Failed to parse the request body as JSON: <serde_json message>`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Json, Microframe, TestClient};
///
/// async fn save(Json(value): Json<serde_json::Value>) -> String { value.to_string() }
/// let client = TestClient::new(Microframe::new().post("/", save));
/// client.post("/").header("content-type", "application/json").body("{\"a\":").send().await
///     .assert_status(400)
///     .assert_body("Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 5");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntaxError {
    message: String,
}

impl JsonSyntaxError {
    pub(crate) fn new(error: &serde_json::Error) -> Self {
        Self { message: error.to_string() }
    }
}

impl Rejection for JsonSyntaxError {
    fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }
    fn body_text(&self) -> Cow<'_, str> {
        Cow::Owned(format!("Failed to parse the request body as JSON: {}", self.message))
    }
}

/// JSON that does not fit the type: 422
/// `Failed to deserialize the JSON body: <field path>: <reason>` (the path left out when
/// the whole value is wrong).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Json, Microframe, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Entry { tags: Vec<u8> }
/// async fn save(Json(entry): Json<Entry>) -> String { entry.tags.len().to_string() }
/// let client = TestClient::new(Microframe::new().post("/", save));
/// client.post("/").header("content-type", "application/json").body(r#"{"tags":[1,"x"]}"#).send().await
///     .assert_status(422)
///     .assert_body("Failed to deserialize the JSON body: tags[1]: invalid type: string \"x\", expected u8 at line 1 column 14");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDataError {
    error: Deserialize,
}

impl JsonDataError {
    pub(crate) fn from_path_error(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        Self { error: error.into() }
    }

    /// The path of the field the error is about (`tags[1]`, `author.name`), when there is one.
    ///
    /// # Examples
    /// See [`JsonDataError`].
    pub fn field(&self) -> Option<&str> {
        self.error.field.as_deref()
    }
}

impl Rejection for JsonDataError {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }
    fn body_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.error.text("Failed to deserialize the JSON body"))
    }
}

/// Why a JSON body could not be read.
///
/// # Examples
/// ```
/// use gateway_core::Rejection;
/// let rejection = microframe::rejection::JsonRejection::from(microframe::rejection::PayloadTooLarge);
/// assert_eq!(rejection.status(), 413);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonRejection {
    /// 415: not a JSON `Content-Type`.
    InvalidContentType(InvalidJsonContentType),
    /// 400: not JSON.
    Syntax(JsonSyntaxError),
    /// 422: JSON that does not fit the type.
    Data(JsonDataError),
    /// 413: over the body limit.
    TooLarge(PayloadTooLarge),
    /// 408: the body stalled (the server also closes the connection).
    Timeout,
    /// 400: the body's framing broke (the server also closes the connection).
    BadBody,
}

impl From<PayloadTooLarge> for JsonRejection {
    fn from(rejection: PayloadTooLarge) -> Self {
        Self::TooLarge(rejection)
    }
}

from_input_error!(JsonRejection);

impl Rejection for JsonRejection {
    fn status(&self) -> StatusCode {
        match self {
            Self::InvalidContentType(r) => r.status(),
            Self::Syntax(r) => r.status(),
            Self::Data(r) => r.status(),
            Self::TooLarge(r) => r.status(),
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::BadBody => StatusCode::BAD_REQUEST,
        }
    }
    fn body_text(&self) -> Cow<'_, str> {
        match self {
            Self::InvalidContentType(r) => r.body_text(),
            Self::Syntax(r) => r.body_text(),
            Self::Data(r) => r.body_text(),
            Self::TooLarge(r) => r.body_text(),
            Self::Timeout => Cow::Borrowed(status::REQUEST_TIMEOUT),
            Self::BadBody => Cow::Borrowed(status::BAD_REQUEST),
        }
    }
}

macro_rules! answer_with_reject {
    ($($name:ty),*) => {$(
        impl IntoResponse for $name {
            fn into_response(self, start_response: StartResponse) -> Response {
                reject(&self, start_response)
            }
        }
    )*};
}
answer_with_reject!(JsonSyntaxError, JsonDataError, JsonRejection);

rejection_error!(InvalidJsonContentType, JsonSyntaxError, JsonDataError, JsonRejection);
