//! Every refusal microframe answers with, in one place: the status contract of docs/design.md §3.
//!
//! Each rejection is a type with `status()` and `body_text()` (through
//! [`gateway_core::Rejection`]); the response body **equals** `body_text()`, as
//! `text/plain; charset=utf-8`, unless an error handler for the status is registered.
//! Status texts come from `gateway_core::status`, the one place they are spelled. Every
//! rejection is logged at debug level through `tracing` when it is answered.
//!
//! # Examples
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use gateway_core::Rejection;
//! use microframe::rejection::MethodNotAllowed;
//! use microframe::{Microframe, TestClient};
//!
//! async fn save() -> &'static str { "saved" }
//! let refusal = MethodNotAllowed::new("OPTIONS, POST");
//! assert_eq!((refusal.status().as_u16(), refusal.body_text().as_ref()), (405, "Method Not Allowed"));
//! TestClient::new(Microframe::new().post("/", save)).get("/").send().await
//!     .assert_status(405)
//!     .assert_header("content-type", "text/plain; charset=utf-8")
//!     .assert_header("allow", "OPTIONS, POST")
//!     .assert_body(&refusal.body_text());
//! # });
//! ```

use std::borrow::Cow;
use std::fmt;

use gateway_core::{Rejection, Response, StartResponse, status};
use http::StatusCode;

use crate::multidict::MultiDict;
use crate::response::{IntoResponse, reject};

pub use json::{InvalidJsonContentType, JsonDataError, JsonRejection, JsonSyntaxError};
pub use method::MethodNotAllowed;
pub use multipart::{InvalidMultipartContentType, MultipartRejection};
pub use state::MissingState;

/// A rejection with a fixed status and text.
macro_rules! simple_rejection {
    ($(#[$doc:meta])* $name:ident, $status:ident, $text:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl Rejection for $name {
            fn status(&self) -> StatusCode {
                StatusCode::$status
            }
            fn body_text(&self) -> Cow<'_, str> {
                Cow::Borrowed($text)
            }
        }

        impl IntoResponse for $name {
            fn into_response(self, start_response: StartResponse) -> Response {
                reject(&self, start_response)
            }
        }
    };
}

simple_rejection!(
    /// No route matches the path: 404 `Not Found`.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// assert_eq!(microframe::rejection::NotFound.body_text(), "Not Found");
    /// ```
    NotFound, NOT_FOUND, status::NOT_FOUND
);

simple_rejection!(
    /// An unsafe request (POST, PUT, PATCH, DELETE) from another site, refused by the
    /// cross-site protection: 403 `Forbidden`.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// assert_eq!(microframe::rejection::Forbidden.body_text(), "Forbidden");
    /// ```
    Forbidden, FORBIDDEN, status::FORBIDDEN
);

simple_rejection!(
    /// A request body larger than the limit, declared or streamed: 413 `Payload Too Large`.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// assert_eq!(microframe::rejection::PayloadTooLarge.status(), 413);
    /// ```
    PayloadTooLarge, PAYLOAD_TOO_LARGE, status::PAYLOAD_TOO_LARGE
);

simple_rejection!(
    /// A form extractor got a non-empty body whose `Content-Type` is absent or not
    /// `application/x-www-form-urlencoded`: 415.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::Rejection;
    /// let rejection = microframe::rejection::InvalidFormContentType;
    /// assert_eq!(rejection.body_text(), "Expected Content-Type: application/x-www-form-urlencoded");
    /// ```
    InvalidFormContentType, UNSUPPORTED_MEDIA_TYPE, "Expected Content-Type: application/x-www-form-urlencoded"
);

/// A deserialize failure with the field path and the reason (`serde_path_to_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deserialize {
    field: Option<String>,
    reason: String,
}

impl Deserialize {
    fn text(&self, prefix: &str) -> String {
        match &self.field {
            Some(field) => format!("{prefix}: {field}: {}", self.reason),
            None => format!("{prefix}: {}", self.reason),
        }
    }
}

impl<E: fmt::Display> From<serde_path_to_error::Error<E>> for Deserialize {
    fn from(error: serde_path_to_error::Error<E>) -> Self {
        let path = error.path().to_string();
        let field = (path != "." && !path.is_empty()).then_some(path);
        Self { field, reason: error.inner().to_string() }
    }
}

macro_rules! deserialize_rejection {
    ($(#[$doc:meta])* $name:ident, $status:ident, $prefix:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            error: Deserialize,
            values: MultiDict,
        }

        impl $name {
            pub(crate) fn from_path_error<E: fmt::Display>(error: serde_path_to_error::Error<E>, values: MultiDict) -> Self {
                Self { error: error.into(), values }
            }

            /// The field the error is about, when serde names one.
            ///
            /// # Examples
            /// See [`FailedToDeserializeForm`], which reads `field`, `reason` and `values`.
            pub fn field(&self) -> Option<&str> {
                self.error.field.as_deref()
            }

            /// Why the field does not fit (serde's message, without the field).
            ///
            /// # Examples
            /// See [`FailedToDeserializeForm`], which reads `field`, `reason` and `values`.
            pub fn reason(&self) -> &str {
                &self.error.reason
            }

            /// Every submitted pair, as sent: what a page re-renders its form with.
            ///
            /// # Examples
            /// See [`FailedToDeserializeForm`], which reads `field`, `reason` and `values`.
            pub fn values(&self) -> &MultiDict {
                &self.values
            }
        }

        impl Rejection for $name {
            fn status(&self) -> StatusCode {
                StatusCode::$status
            }
            fn body_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.error.text($prefix))
            }
        }

        impl IntoResponse for $name {
            fn into_response(self, start_response: StartResponse) -> Response {
                reject(&self, start_response)
            }
        }
    };
}

deserialize_rejection!(
    /// The query string does not fit `Query<T>`: 400
    /// `Failed to deserialize query string: <field>: <reason>`.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// #[derive(serde::Deserialize)]
    /// struct Page { n: i32 }
    /// async fn page(microframe::Query(page): microframe::Query<Page>) -> String { page.n.to_string() }
    /// let client = microframe::TestClient::new(microframe::Microframe::new().get("/", page));
    /// client.get("/?n=hi").send().await.assert_status(400)
    ///     .assert_body("Failed to deserialize query string: n: invalid digit found in string");
    /// # });
    /// ```
    FailedToDeserializeQueryString, BAD_REQUEST, "Failed to deserialize query string"
);

deserialize_rejection!(
    /// The form body does not fit `Form<T>`: 422
    /// `Failed to deserialize form body: <field>: <reason>`.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// #[derive(serde::Deserialize)]
    /// struct Profile { age: u32 }
    /// async fn save(microframe::Form(p): microframe::Form<Profile>) -> String { p.age.to_string() }
    /// let client = microframe::TestClient::new(microframe::Microframe::new().post("/", save));
    /// client.post("/").form(&[("age", "old")]).send().await.assert_status(422)
    ///     .assert_body("Failed to deserialize form body: age: invalid digit found in string");
    ///
    /// // Taken as a `Result`, the handler answers itself, with the field and the values sent.
    /// async fn retry(form: Result<microframe::Form<Profile>, microframe::rejection::FormRejection>) -> String {
    ///     match form {
    ///         Ok(microframe::Form(p)) => p.age.to_string(),
    ///         Err(microframe::rejection::FormRejection::Deserialize(e)) => {
    ///             let (field, reason) = (e.field().unwrap_or("?"), e.reason());
    ///             format!("{field} is wrong, {reason} (you typed {:?})", e.values().get("age").unwrap_or(""))
    ///         }
    ///         Err(other) => other.to_string(),
    ///     }
    /// }
    /// let client = microframe::TestClient::new(microframe::Microframe::new().post("/", retry));
    /// client.post("/").form(&[("age", "old")]).send().await.assert_status(200)
    ///     .assert_body(r#"age is wrong, invalid digit found in string (you typed "old")"#);
    /// # });
    /// ```
    FailedToDeserializeForm, UNPROCESSABLE_ENTITY, "Failed to deserialize form body"
);

/// Why a form could not be read.
///
/// # Examples
/// ```
/// use gateway_core::Rejection;
/// let rejection = microframe::rejection::FormRejection::from(microframe::rejection::PayloadTooLarge);
/// assert_eq!(rejection.status(), 413);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormRejection {
    /// 415: not a urlencoded body.
    InvalidContentType(InvalidFormContentType),
    /// 413: over the body limit.
    TooLarge(PayloadTooLarge),
    /// 413 `Payload Too Large`: more than [`MAX_FORM_FIELDS`](crate::MAX_FORM_FIELDS) fields.
    TooManyFields,
    /// 408: the body stalled (the server also closes the connection).
    Timeout,
    /// 400: the body's framing broke (the server also closes the connection).
    BadBody,
    /// 422: the fields do not fit the type.
    Deserialize(FailedToDeserializeForm),
}

impl FormRejection {
    /// The submitted pairs, when the body was read but does not fit the type (the
    /// [`Deserialize`](FormRejection::Deserialize) case): what a page re-renders its form with.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::rejection::FormRejection;
    /// use microframe::{Form, Microframe, TestClient};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Stars { stars: u8 }
    /// async fn rate(form: Result<Form<Stars>, FormRejection>) -> String {
    ///     match form {
    ///         Ok(Form(rating)) => rating.stars.to_string(),
    ///         Err(rejection) => format!("{:?}", rejection.values().and_then(|values| values.get("stars"))),
    ///     }
    /// }
    /// let client = TestClient::new(Microframe::new().post("/", rate));
    /// client.post("/").form(&[("stars", "many")]).send().await.assert_body(r#"Some("many")"#);
    /// client.post("/").header("content-type", "text/plain").body("x").send().await.assert_body("None");
    /// # });
    /// ```
    pub fn values(&self) -> Option<&MultiDict> {
        match self {
            Self::Deserialize(rejection) => Some(rejection.values()),
            _ => None,
        }
    }
}

impl From<PayloadTooLarge> for FormRejection {
    fn from(rejection: PayloadTooLarge) -> Self {
        Self::TooLarge(rejection)
    }
}

/// A failed body read as a body extractor's rejection: the same three answers for every
/// one of them (413, 408, 400).
macro_rules! from_input_error {
    ($($name:ident),*) => {$(
        impl From<gateway_core::InputError> for $name {
            fn from(error: gateway_core::InputError) -> Self {
                match error {
                    gateway_core::InputError::TooLarge => Self::TooLarge(PayloadTooLarge),
                    gateway_core::InputError::TimedOut => Self::Timeout,
                    _ => Self::BadBody,
                }
            }
        }
    )*};
}

from_input_error!(FormRejection);

impl Rejection for FormRejection {
    fn status(&self) -> StatusCode {
        match self {
            Self::InvalidContentType(r) => r.status(),
            Self::TooLarge(r) => r.status(),
            Self::TooManyFields => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::BadBody => StatusCode::BAD_REQUEST,
            Self::Deserialize(r) => r.status(),
        }
    }
    fn body_text(&self) -> Cow<'_, str> {
        match self {
            Self::InvalidContentType(r) => r.body_text(),
            Self::TooLarge(r) => r.body_text(),
            Self::TooManyFields => Cow::Borrowed(status::PAYLOAD_TOO_LARGE),
            Self::Timeout => Cow::Borrowed(status::REQUEST_TIMEOUT),
            Self::BadBody => Cow::Borrowed(status::BAD_REQUEST),
            Self::Deserialize(r) => r.body_text(),
        }
    }
}

impl IntoResponse for FormRejection {
    fn into_response(self, start_response: StartResponse) -> Response {
        reject(&self, start_response)
    }
}

/// Every rejection reads as its body text and is an error, so `?` and logs can carry it.
macro_rules! rejection_error {
    ($($name:ty),*) => {$(
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.body_text())
            }
        }

        impl std::error::Error for $name {}
    )*};
}

rejection_error!(
    Forbidden,
    NotFound,
    PayloadTooLarge,
    InvalidFormContentType,
    MethodNotAllowed,
    FailedToDeserializeQueryString,
    FailedToDeserializeForm,
    FormRejection
);

// After the macros, which the submodules use.
mod json;
mod method;
mod multipart;
mod state;
