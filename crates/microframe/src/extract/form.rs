//! The form layer and the `Form<T>` extractor: urlencoded bodies, read once.

use bytes::Bytes;
use gateway_core::{App, Environ, Layer, Response, StartResponse};
use serde::de::DeserializeOwned;

use super::{FromEnviron, OptionalFromEnviron, body};
use crate::multidict::MultiDict;
use crate::rejection::{FailedToDeserializeForm, FormRejection, InvalidFormContentType};
use crate::response::IntoResponse;

/// Reads the urlencoded body once (cached for later extractors), bounded by the input's
/// limit. The `Content-Type` is checked first: a non-empty body of another type is refused
/// without being read, and an empty or absent body is an empty form whatever its type.
pub(crate) async fn read_form_body(environ: &mut Environ) -> Result<Bytes, FormRejection> {
    if !is_urlencoded(environ) {
        return match body::is_empty(environ).await? {
            true => Ok(Bytes::new()),
            false => Err(FormRejection::InvalidContentType(InvalidFormContentType)),
        };
    }
    Ok(body::buffered(environ).await?)
}

/// `application/x-www-form-urlencoded`, case-insensitive, parameters ignored.
fn is_urlencoded(environ: &Environ) -> bool {
    body::media_type(environ).is_some_and(|essence| essence.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// The urlencoded body deserialized into `T` (`serde_html_form` 0.4 semantics, as
/// [`Query`](crate::Query)). An empty or absent body is an empty form. Failures: 415 for
/// another `Content-Type`, 413 over the body limit, 422
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
