//! The form layer and the `Form<T>` extractor: urlencoded bodies, read once.

use bytes::Bytes;
use gateway_core::{App, Environ, Layer, Response, StartResponse};
use serde::de::DeserializeOwned;

use super::{FromEnviron, OptionalFromEnviron, body};
use crate::multidict::MultiDict;
use crate::rejection::{FailedToDeserializeForm, FormRejection, InvalidFormContentType};
use crate::response::IntoResponse;

/// The most fields an urlencoded body may have: past it, 413 `Payload Too Large`.
///
/// *Why:* parsing keeps a key and a value per field, so a body of many tiny fields costs
/// far more memory than its size (a 2 MiB body of `a&a&a…` took 89 MB before this cap).
/// With at most 1,000 fields, the parsed form holds the decoded text (never longer than the
/// body) plus about 50 KB of bookkeeping: within 4× the body for any body past 64 KiB.
/// The number is Werkzeug's `max_form_parts`. Query strings have no such cap: the target's
/// length limit bounds them.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Form, Microframe, MultiDict, TestClient, MAX_FORM_FIELDS};
///
/// async fn count(Form(form): Form<MultiDict>) -> String { form.len().to_string() }
/// let client = TestClient::new(Microframe::new().post("/", count));
/// let fields = |n: usize| vec!["a=1"; n].join("&");
/// client.post("/").header("content-type", "application/x-www-form-urlencoded").body(fields(MAX_FORM_FIELDS)).send().await
///     .assert_body("1000");
/// client.post("/").header("content-type", "application/x-www-form-urlencoded").body(fields(MAX_FORM_FIELDS + 1)).send().await
///     .assert_status(413)
///     .assert_body("Payload Too Large");
/// # });
/// ```
pub const MAX_FORM_FIELDS: usize = 1000;

/// Reads the urlencoded body once (cached for later extractors), bounded by the input's
/// limit, and refuses more than [`MAX_FORM_FIELDS`] fields. The `Content-Type` is checked
/// first: a non-empty body of another type is refused without being read, and an empty or
/// absent body is an empty form whatever its type.
pub(crate) async fn read_form_body(environ: &mut Environ) -> Result<Bytes, FormRejection> {
    if !is_urlencoded(environ) {
        return match body::is_empty(environ).await? {
            true => Ok(Bytes::new()),
            false => Err(FormRejection::InvalidContentType(InvalidFormContentType)),
        };
    }
    let body = body::buffered(environ).await?;
    match has_more_fields_than(&body, MAX_FORM_FIELDS) {
        true => Err(FormRejection::TooManyFields),
        false => Ok(body),
    }
}

/// Whether `body` has more than `max` fields as the urlencoded parser counts them
/// (non-empty `&`-separated pieces). `n` fields need at least `2n - 1` bytes, so a shorter
/// body is not scanned at all: the everyday small form pays nothing.
fn has_more_fields_than(body: &[u8], max: usize) -> bool {
    body.len() > 2 * max && body.split(|&byte| byte == b'&').filter(|piece| !piece.is_empty()).nth(max).is_some()
}

/// `application/x-www-form-urlencoded`, case-insensitive, parameters ignored.
fn is_urlencoded(environ: &Environ) -> bool {
    body::media_type(environ).is_some_and(|essence| essence.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// The urlencoded body deserialized into `T` (`serde_html_form` 0.4 semantics, as
/// [`Query`](crate::Query)). An empty or absent body is an empty form. Failures: 415 for
/// another `Content-Type`, 413 over the body limit or past [`MAX_FORM_FIELDS`] fields, 422
/// `Failed to deserialize form body: <field>: <reason>`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Form, Microframe, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Login { user: String }
/// async fn login(Form(login): Form<Login>) -> String {
///     format!("Hi {}", login.user)
/// }
/// let client = TestClient::new(Microframe::new().post("/login", login));
/// client.post("/login").form(&[("user", "ann")]).send().await.assert_body("Hi ann");
/// client.post("/login").header("content-type", "text/plain").body("user=ann").send().await.assert_status(415);
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + Send> FromEnviron for Form<T> {
    type Rejection = FormRejection;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let body = read_form_body(environ).await?;
        super::deserialize_urlencoded(&body).map(Form).map_err(|error| {
            FormRejection::Deserialize(FailedToDeserializeForm::from_path_error(error, MultiDict::parse(&body)))
        })
    }
}

impl<T: DeserializeOwned + Send> OptionalFromEnviron for Form<T> {
    type Rejection = FormRejection;

    /// `None` when the request has no body bytes, whatever its `Content-Type`; any other
    /// refusal (a non-empty body of another type included) answers as usual.
    async fn from_environ_optional(environ: &mut Environ) -> Result<Option<Self>, Self::Rejection> {
        if body::is_empty(environ).await? {
            return Ok(None);
        }
        Self::from_environ(environ).await.map(Some)
    }
}

/// The form layer: reads and parses an urlencoded body once, before the app runs, into a
/// [`MultiDict`] that [`MultiDict::form`] then returns without reading again; answers the
/// form rejections (415, 413, ...) itself.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Response, StartResponse};
/// use microframe::{MultiDict, ParseForm, TestClient};
///
/// async fn age(mut environ: Environ, start_response: StartResponse) -> Response {
///     let age = match MultiDict::form(&mut environ).await {
///         Ok(form) => form.get("age").unwrap_or("?").to_owned(),
///         Err(_) => unreachable!("the layer answered already"),
///     };
///     start_response.start(http::StatusCode::OK, ()).body(age)
/// }
/// let client = TestClient::new(age.with(ParseForm::layer()));
/// client.post("/").form(&[("age", "10")]).send().await.assert_body("10");
/// client.post("/").header("content-type", "text/plain").body("age=10").send().await.assert_status(415);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct ParseForm<A> {
    inner: A,
}

impl<A: App> ParseForm<A> {
    /// Wraps `inner`.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _app = microframe::ParseForm::new(app);
    /// ```
    pub fn new(inner: A) -> Self {
        Self { inner }
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::ParseForm::new(app).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

impl ParseForm<()> {
    /// A layer for [`App::with`].
    ///
    /// # Examples
    /// See [`ParseForm`].
    pub fn layer() -> ParseFormLayer {
        ParseFormLayer { _private: () }
    }
}

/// Wraps apps in [`ParseForm`].
///
/// # Examples
/// ```
/// let _layer = microframe::ParseForm::layer();
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ParseFormLayer {
    _private: (),
}

impl<A: App> Layer<A> for ParseFormLayer {
    type App = ParseForm<A>;
    fn layer(&self, app: A) -> ParseForm<A> {
        ParseForm::new(app)
    }
}

impl<A: App> App for ParseForm<A> {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        if let Err(rejection) = MultiDict::form(&mut environ).await {
            return rejection.into_response(start_response);
        }
        self.inner.call(environ, start_response).await
    }
}

#[cfg(test)]
mod tests {
    use super::has_more_fields_than;

    #[test]
    fn fields_are_counted_as_the_parser_sees_them() {
        let fields = |n: usize| vec!["a"; n].join("&");
        assert!(!has_more_fields_than(fields(1000).as_bytes(), 1000));
        assert!(has_more_fields_than(fields(1001).as_bytes(), 1000));
        assert!(!has_more_fields_than(format!("&&{}&&", fields(1000)).as_bytes(), 1000), "empty pieces are no fields");
        assert!(!has_more_fields_than("&".repeat(5000).as_bytes(), 1000));
        assert!(has_more_fields_than(fields(3).as_bytes(), 2));
        assert!(!has_more_fields_than(b"a=1&b=2", 2));
    }
}
