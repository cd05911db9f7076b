//! The error-page layer: panics caught per request, refusals rendered by handlers (the
//! rules are in [`ErrorPages`]'s docs).

use std::collections::HashMap;
use std::sync::Arc;

use gateway_core::{App, BoxApp, CatchPanic, Environ, Input, Response, StartResponse};
use http::{HeaderMap, Method, StatusCode, Uri, Version};

use crate::cookies::CookieSlot;
use crate::extract::{FromEnviron, StateChain};
use crate::router::UrlTable;

/// The status an error handler renders.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{ErrorStatus, Html, Microframe, TestClient};
///
/// async fn page(ErrorStatus(status): ErrorStatus) -> Html<String> {
///     Html(format!("<h1>{}</h1>", status.as_u16()))
/// }
/// let app = Microframe::new().error_handler(http::StatusCode::NOT_FOUND, page);
/// TestClient::new(app).get("/nope").send().await.assert_status(404).assert_body("<h1>404</h1>");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorStatus(pub StatusCode);

impl FromEnviron for ErrorStatus {
    type Rejection = std::convert::Infallible;

    /// The status being rendered (200 outside an error handler).
    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(environ.extensions().get::<ErrorStatus>().copied().unwrap_or(ErrorStatus(StatusCode::OK)))
    }
}

/// Error handlers by status.
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers(Arc<HashMap<StatusCode, BoxApp>>);

impl ErrorHandlers {
    pub(crate) fn insert(&mut self, status: StatusCode, handler: BoxApp) {
        Arc::make_mut(&mut self.0).insert(status, handler);
    }
}

/// The app wrapped with panic catching and error pages: what
/// [`Microframe::error_handler`](crate::Microframe::error_handler) registers into.
///
/// Around the app it wraps, this layer
/// - catches a panic of the app's future and answers 500 `Internal Server Error` (the cause
///   logged, never sent), so that a 500 page can be rendered (with no handler registered it
///   leaves that to `GatewayService`, which answers the same 500 for any app);
/// - for a **refusal** whose status has a registered handler, calls that handler instead
///   and sends its response **with the original status**, unless the handler set another
///   one (Flask's pitfall, where a handler returning only a body turns a 404 into a 200,
///   cannot happen). The refusal's headers that do not describe its body (`Allow`,
///   `WWW-Authenticate`, `Retry-After`, ...; not `Content-*`) are kept where the page does
///   not set them.
///
/// A refusal is a response made with `StartResponse::reject`
/// ([`Response::is_refusal`](gateway_core::Response::is_refusal)): the framework's own (no
/// route, wrong method, an extractor's rejection, a body over the limit, a panic), a
/// handler's abort (a bare `StatusCode`, `(StatusCode, headers)`, [`Abort`](crate::Abort)),
/// or a mounted gateway app's. A response a handler built with a body of its own is sent as
/// it is, whatever its status: a 422 page that re-renders a form, an API's JSON 404 (Flask
/// and Bottle render their `abort`s, not the pages a view returns).
///
/// Handlers are ordinary handlers; they see the request's method, target, headers and peer,
/// the app's mount point (`SCRIPT_NAME`, with a prefix a proxy forwarded), its named routes
/// (`UrlFor` works) and its state (`State<T>`), and can take [`ErrorStatus`] to learn the
/// status they render.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Response, StartResponse};
/// use microframe::{ErrorPages, HandlerApp, TestClient};
///
/// async fn broken(_e: Environ, _s: StartResponse) -> Response { panic!("bug") }
/// async fn sorry() -> &'static str { "Sorry!" }
/// let app = ErrorPages::new(broken).handler(http::StatusCode::INTERNAL_SERVER_ERROR, HandlerApp::new(sorry));
/// TestClient::new(app).get("/").send().await.assert_status(500).assert_body("Sorry!");
/// # });
/// ```
#[derive(Clone)]
pub struct ErrorPages<A> {
    inner: A,
    handlers: ErrorHandlers,
    /// The named routes of the app inside, for `UrlFor` in handlers (set by `Microframe`).
    url_table: Option<UrlTable>,
}

impl<A> std::fmt::Debug for ErrorPages<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let statuses: Vec<u16> = self.handlers.0.keys().map(StatusCode::as_u16).collect();
        f.debug_struct("ErrorPages").field("statuses", &statuses).finish()
    }
}

impl<A: App> ErrorPages<A> {
    /// Wraps `inner`, with no handler yet (panics still become 500).
    ///
    /// # Examples
    /// See [`ErrorPages`].
    pub fn new(inner: A) -> Self {
        Self { inner, handlers: ErrorHandlers::default(), url_table: None }
    }

    /// Renders responses of `status` with `handler` (an app; wrap a handler function in
    /// [`HandlerApp`](crate::HandlerApp)).
    ///
    /// # Examples
    /// See [`ErrorPages`].
    pub fn handler(mut self, status: StatusCode, handler: impl App) -> Self {
        self.handlers.insert(status, BoxApp::new(handler));
        self
    }

    pub(crate) fn handlers_mut(&mut self) -> &mut ErrorHandlers {
        &mut self.handlers
    }

    /// Whether any status has a handler (without one, the layer only passes requests on).
    pub(crate) fn has_handlers(&self) -> bool {
        !self.handlers.0.is_empty()
    }

    pub(crate) fn set_url_table(&mut self, table: UrlTable) {
        self.url_table = Some(table);
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::ErrorPages::new(app).get_ref();
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// The wrapped app, to change.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::ErrorPages::new(app).get_mut();
    /// ```
    pub fn get_mut(&mut self) -> &mut A {
        &mut self.inner
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = microframe::ErrorPages::new(app).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

/// What an error handler sees of the request: its head, mount point (a forwarded prefix
/// included) and peer, not its body or extensions.
struct RequestHead {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    /// The mount point below the prefix a proxy stripped, and that prefix.
    raw_script_name: String,
    forwarded_prefix: String,
    remote_addr: Option<std::net::SocketAddr>,
    url_scheme: &'static str,
    state: Option<StateChain>,
    cookies: CookieSlot,
}

impl RequestHead {
    fn of(environ: &mut Environ) -> Self {
        let cookies = CookieSlot::of(environ);
        let parts = environ.parts();
        Self {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            version: parts.version,
            headers: parts.headers.clone(),
            raw_script_name: environ.raw_script_name()[environ.forwarded_prefix().len()..].to_owned(),
            forwarded_prefix: environ.forwarded_prefix().to_owned(),
            remote_addr: environ.remote_addr(),
            url_scheme: environ.url_scheme(),
            state: environ.extensions().get::<StateChain>().cloned(),
            cookies,
        }
    }

    fn into_environ(self, status: StatusCode, url_table: Option<&UrlTable>) -> Environ {
        let mut parts = http::Request::new(()).into_parts().0;
        parts.method = self.method;
        parts.uri = self.uri;
        parts.version = self.version;
        parts.headers = self.headers;
        parts.extensions.insert(ErrorStatus(status));
        if let Some(table) = url_table {
            parts.extensions.insert(table.clone());
        }
        if let Some(state) = self.state {
            parts.extensions.insert(state);
        }
        if let Some(cookies) = self.cookies.get() {
            parts.extensions.insert(cookies.clone());
        }
        let mut environ = Environ::new(parts, Input::empty()).with_url_scheme(self.url_scheme);
        environ.shift_path(&self.raw_script_name);
        if let Some(peer) = self.remote_addr {
            environ = environ.with_remote_addr(peer);
        }
        environ.with_forwarded_prefix(&self.forwarded_prefix)
    }
}

impl<A: App> App for ErrorPages<A> {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        if self.handlers.0.is_empty() {
            // Nothing to render: the server's own panic catching (GatewayService) answers
            // the same 500, so save the allocation of a caught future here.
            return self.inner.call(environ, start_response).await;
        }
        let head = RequestHead::of(&mut environ);
        let response = match CatchPanic::new(Box::pin(self.inner.call(environ, StartResponse::new()))).await {
            Ok(response) => response,
            Err(panic) => {
                tracing::error!(%panic, "handler panicked; answering 500");
                StartResponse::new().reject(&StatusCode::INTERNAL_SERVER_ERROR)
            }
        };
        let status = response.status();
        let Some(handler) = self.handlers.0.get(&status).filter(|_| response.is_refusal()) else {
            return response;
        };
        let environ = head.into_environ(status, self.url_table.as_ref());
        let page = CatchPanic::new(Box::pin(handler.call(environ, start_response))).await;
        let mut page = match page {
            Ok(page) => page,
            Err(panic) => {
                tracing::error!(%panic, %status, "error handler panicked; sending the plain error");
                return response;
            }
        };
        if page.status() == StatusCode::OK {
            *page.status_mut() = status;
        }
        for (name, value) in response.headers() {
            if !name.as_str().starts_with("content-") && !page.headers().contains_key(name) {
                page.headers_mut().append(name.clone(), value.clone());
            }
        }
        page
    }
}
