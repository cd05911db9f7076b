//! The form layer and the `Form<T>` extractor: urlencoded bodies, read once.

use bytes::Bytes;
use gateway_core::{App, Environ, Layer, Response, StartResponse};
use http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::FromEnviron;
use crate::body_limit::DEFAULT_BODY_LIMIT;
use crate::multidict::MultiDict;
use crate::rejection::{FailedToDeserializeForm, FormRejection, InvalidFormContentType};
use crate::response::IntoResponse;

/// The form body, cached in the extensions once read.
#[derive(Debug, Clone)]
pub(crate) struct FormBody(pub(crate) Bytes);

/// Reads the urlencoded body once, bounded by the input's limit (2 MiB without a
/// body-limit layer), checking the `Content-Type` of a non-empty body.
pub(crate) async fn read_form_body(environ: &mut Environ) -> Result<Bytes, FormRejection> {
    if let Some(FormBody(body)) = environ.extensions().get::<FormBody>() {
        return Ok(body.clone());
    }
    let limit = environ.input().limit().unwrap_or(DEFAULT_BODY_LIMIT);
    let body = environ.input().read_to_end(limit).await?;
    if !body.is_empty() && !is_urlencoded(environ) {
        return Err(FormRejection::InvalidContentType(InvalidFormContentType));
    }
    environ.extensions_mut().insert(FormBody(body.clone()));
    Ok(body)
}

/// `application/x-www-form-urlencoded`, case-insensitive, parameters ignored.
fn is_urlencoded(environ: &Environ) -> bool {
    let Some(value) = environ.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
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
        super::deserialize_urlencoded(&body)
            .map(Form)
            .map_err(|error| FormRejection::Deserialize(FailedToDeserializeForm::from_path_error(error)))
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
