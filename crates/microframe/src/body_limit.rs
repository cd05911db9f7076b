//! The body-limit layer: one limit for every read of the request body (the rules are in
//! [`BodyLimit`]'s docs).
//!
//! Inside a `Microframe` the declared-length check is deferred to the router
//! (`BodyLimit::deferred`), which knows the route's own limit.

use gateway_core::{App, Environ, Layer, Response, StartResponse};

use crate::rejection::PayloadTooLarge;
use crate::response::IntoResponse;

/// The default limit of a [`Microframe`](crate::Microframe): 2 MiB.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{DEFAULT_BODY_LIMIT, Microframe, TestClient};
///
/// assert_eq!(DEFAULT_BODY_LIMIT, 2 * 1024 * 1024);
/// async fn save() -> &'static str { "saved" }
/// let client = TestClient::new(Microframe::new().post("/", save));
/// let too_big = vec![b'a'; DEFAULT_BODY_LIMIT as usize + 1];
/// client.post("/").body(too_big).send().await.assert_status(413);
/// # });
/// ```
pub const DEFAULT_BODY_LIMIT: u64 = 2 * 1024 * 1024;

/// Sets `limit` on the request's input; refuses a declared length over it.
pub(crate) fn apply(environ: &mut Environ, limit: u64) -> Result<(), PayloadTooLarge> {
    let input = environ.input();
    input.set_limit(limit);
    if input.declared_over(limit) { Err(PayloadTooLarge) } else { Ok(()) }
}

/// Bounds the request body of the app it wraps.
///
/// The limit is set on gateway-core's [`Input`](gateway_core::Input), which every reader
/// goes through (`Form<T>`, `Json<T>`, `Multipart`, a handler reading `environ.input()`
/// itself), so buffered and streamed reads are bounded alike. A declared `Content-Length`
/// over the limit is refused with 413 `Payload Too Large` before anything is read; a
/// streamed body is cut at the limit with 413.
///
/// In a [`Microframe`](crate::Microframe) (2 MiB by default,
/// [`Microframe::body_limit`](crate::Microframe::body_limit)), a route may set its own limit
/// ([`Microframe::limit`](crate::Microframe::limit)), which replaces the app's. Where apps
/// are mounted in apps, the smallest app limit on the way in applies: a mounted app cannot
/// accept more than the app it is mounted in (only a route's own limit can).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Response, StartResponse};
/// use microframe::{BodyLimit, TestClient};
///
/// async fn echo(mut environ: Environ, start_response: StartResponse) -> Response {
///     match environ.input().read_to_end(u64::MAX).await {
///         Ok(body) => start_response.start(http::StatusCode::OK, ()).body(body),
///         Err(error) => start_response.reject(&error),
///     }
/// }
/// let client = TestClient::new(echo.with(BodyLimit::layer(4)));
/// client.post("/").body("1234").send().await.assert_status(200);
/// client.post("/").body("12345").send().await.assert_status(413).assert_body("Payload Too Large");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct BodyLimit<A> {
    inner: A,
    limit: u64,
    /// Whether a declared length over the limit is refused here; `false` inside a
    /// `Microframe`, whose router checks once it knows the route's own limit.
    refuse_declared: bool,
}

impl<A: App> BodyLimit<A> {
    /// Wraps `inner` with `limit` bytes.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let limited = microframe::BodyLimit::new(app, 1024);
    /// assert_eq!(limited.limit(), 1024);
    /// ```
    pub fn new(inner: A, limit: u64) -> Self {
        Self { inner, limit, refuse_declared: true }
    }

    /// Sets the limit but leaves the refusal of a declared length to the router, which may
    /// know a route limit that replaces this one.
    pub(crate) fn deferred(inner: A, limit: u64) -> Self {
        Self { inner, limit, refuse_declared: false }
    }

    /// The limit in bytes.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// assert_eq!(microframe::BodyLimit::new(app, 64 * 1024).limit(), 65536);
    /// ```
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Sets the limit on the request's input (the smaller of this one and one set further
    /// out) and, unless deferred to the router, refuses a declared length over it.
    pub(crate) fn prepare(&self, environ: &mut Environ) -> Result<(), PayloadTooLarge> {
        let limit = environ.input().limit().map_or(self.limit, |outer| outer.min(self.limit));
        if self.refuse_declared {
            return apply(environ, limit);
        }
        environ.input().set_limit(limit);
        Ok(())
    }

    /// Changes the limit.
    pub(crate) fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::BodyLimit::new(app, 1).get_ref();
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// The wrapped app, to change.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::BodyLimit::new(app, 1).get_mut();
    /// ```
    pub fn get_mut(&mut self) -> &mut A {
        &mut self.inner
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::BodyLimit::new(app, 1).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

impl BodyLimit<()> {
    /// A layer for [`App::with`].
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use gateway_core::{App, Environ, Response, StartResponse};
    /// use microframe::{BodyLimit, TestClient};
    ///
    /// async fn ignore(_environ: Environ, start_response: StartResponse) -> Response {
    ///     start_response.start(http::StatusCode::OK, ()).body("not read")
    /// }
    /// let client = TestClient::new(ignore.with(BodyLimit::layer(4)));
    /// // The declared length is over the limit: refused before the app runs.
    /// client.post("/").body("12345").send().await.assert_status(413);
    /// client.post("/").body("1234").send().await.assert_body("not read");
    /// # });
    /// ```
    pub fn layer(limit: u64) -> BodyLimitLayer {
        BodyLimitLayer { limit }
    }
}

/// Wraps apps in [`BodyLimit`].
///
/// # Examples
/// ```
/// let layer = microframe::BodyLimit::layer(1024);
/// assert_eq!(format!("{layer:?}"), "BodyLimitLayer { limit: 1024 }");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BodyLimitLayer {
    limit: u64,
}

impl<A: App> Layer<A> for BodyLimitLayer {
    type App = BodyLimit<A>;
    fn layer(&self, app: A) -> BodyLimit<A> {
        BodyLimit::new(app, self.limit)
    }
}

impl<A: App> App for BodyLimit<A> {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        if let Err(rejection) = self.prepare(&mut environ) {
            return rejection.into_response(start_response);
        }
        self.inner.call(environ, start_response).await
    }
}
