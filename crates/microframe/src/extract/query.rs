//! The query layer and the `Query<T>` extractor.

use gateway_core::{App, Environ, Layer, Response, StartResponse};
use serde::de::DeserializeOwned;

use super::{FromEnviron, OptionalFromEnviron};
use crate::multidict::MultiDict;
use crate::rejection::FailedToDeserializeQueryString;

/// The query string deserialized into `T` with `serde_html_form` 0.4: repeated keys fill a
/// `Vec`, `n=` is `None` for `Option<number>`, a repeated key into a scalar is an error.
/// Failure: 400 `Failed to deserialize query string: <field>: <reason>`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, Query, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Profile {
///     age: u32,
///     #[serde(default)]
///     hobbies: Vec<String>,
/// }
/// async fn profile(Query(p): Query<Profile>) -> String {
///     format!("{} {:?}", p.age, p.hobbies)
/// }
/// let client = TestClient::new(Microframe::new().get("/", profile));
/// client.get("/?age=10&hobbies=a&hobbies=b").send().await.assert_body(r#"10 ["a", "b"]"#);
/// client.get("/?age=1&age=2").send().await.assert_status(400);
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send> FromEnviron for Query<T> {
    type Rejection = FailedToDeserializeQueryString;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let query = environ.query_string().as_bytes();
        let deserializer = serde_html_form::Deserializer::from_bytes(query);
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|error| FailedToDeserializeQueryString::from_path_error(error, MultiDict::parse(query)))
    }
}

impl<T: DeserializeOwned + Send> OptionalFromEnviron for Query<T> {
    type Rejection = FailedToDeserializeQueryString;

    /// `None` when the request has no query string (`QUERY_STRING` empty); a query string
    /// that does not fit is refused as usual (400).
    async fn from_environ_optional(environ: &mut Environ) -> Result<Option<Self>, Self::Rejection> {
        if environ.query_string().is_empty() {
            return Ok(None);
        }
        Self::from_environ(environ).await.map(Some)
    }
}

/// The query layer: parses the query string once into a [`MultiDict`] cached in the
/// environ's extensions, for every layer and handler after it.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Response, StartResponse};
/// use microframe::{MultiDict, ParseQuery, TestClient};
///
/// async fn greet(mut environ: Environ, start_response: StartResponse) -> Response {
///     let name = MultiDict::query(&mut environ).get("name").unwrap_or("world").to_owned();
///     start_response.start(http::StatusCode::OK, ()).body(format!("Hello {name}!"))
/// }
/// let client = TestClient::new(greet.with(ParseQuery::layer()));
/// client.get("/?name=bob").send().await.assert_body("Hello bob!");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct ParseQuery<A> {
    inner: A,
}

impl<A: App> ParseQuery<A> {
    /// Wraps `inner`.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _app = microframe::ParseQuery::new(app);
    /// ```
    pub fn new(inner: A) -> Self {
        Self { inner }
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::ParseQuery::new(app).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

impl ParseQuery<()> {
    /// A layer for [`App::with`].
    ///
    /// # Examples
    /// See [`ParseQuery`].
    pub fn layer() -> ParseQueryLayer {
        ParseQueryLayer { _private: () }
    }
}

/// Wraps apps in [`ParseQuery`].
///
/// # Examples
/// ```
/// let _layer = microframe::ParseQuery::layer();
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ParseQueryLayer {
    _private: (),
}

impl<A: App> Layer<A> for ParseQueryLayer {
    type App = ParseQuery<A>;
    fn layer(&self, app: A) -> ParseQuery<A> {
        ParseQuery::new(app)
    }
}

impl<A: App> App for ParseQuery<A> {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        MultiDict::query(&mut environ);
        self.inner.call(environ, start_response).await
    }
}
