//! `GatewayService<A>`: a gateway app as a `tower::Service` over `http` types.

use std::convert::Infallible;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use gateway_core::{App, Body, CatchPanic, Environ, Response, StartResponse, check_response};
use http::header::{CONNECTION, CONTENT_LENGTH};
use http::{HeaderValue, Method, Request, StatusCode};
use http_body::Body as HttpBody;

use crate::ForwardedPrefix;
use crate::body::ResponseBody;
use crate::connection_info::ConnectionInfo;
use crate::input::{InputFailure, input_from_body};

/// The default body-read timeout: no request-body bytes for this long is a 408.
///
/// # Examples
/// ```
/// assert_eq!(gateway_tower::DEFAULT_BODY_READ_TIMEOUT, std::time::Duration::from_secs(30));
/// ```
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A gateway app as a `tower::Service<http::Request<B>>`, for hyper, axum and tower-http.
///
/// Per request it builds the [`Environ`] (a view of the request, nothing copied), calls the
/// app, and turns the response into an `http::Response`:
/// - `Content-Length` from the body when its length is known, counted in bytes;
/// - HEAD answered with the GET headers and no body (the app may answer HEAD like GET);
/// - a panic in the app, or a response that breaks the contract
///   ([`gateway_core::check_response`]), becomes 500 `Internal Server Error`, cause logged;
/// - a `Content-Length` request header that is not a number is 400 before the app runs;
/// - a request body that stalls for the body-read timeout ends in 408, a broken one in 400,
///   both with `Connection: close`.
///
/// It is `Clone + Send + Sync + 'static`, its error is `Infallible` and its body
/// `Default + Send`, which is what axum's `nest_service`/`fallback_service` and tower-http's
/// layers ask of a service.
///
/// **Inside axum** (see [`AxumRouterExt`](crate::AxumRouterExt)): under `nest_service` the
/// app sees `SCRIPT_NAME` = the concrete prefix axum matched, which is the original path
/// (axum's `OriginalUri`) with the path axum passed on removed from its end, and
/// `PATH_INFO` = the rest. Where the original does not end with it (at the mount point
/// itself, axum turns `/legacy` into `/`), the whole original path is the prefix and
/// `PATH_INFO` is `""`. Without a connection of [`serve`](crate::serve)'s, the peer is
/// axum's `ConnectInfo<SocketAddr>` when axum serves with it (`REMOTE_ADDR`).
///
/// # Examples
/// ```
/// # tokio_test_block_on(async {
/// use gateway_core::{Environ, Response, StartResponse};
/// use gateway_tower::GatewayService;
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(http::StatusCode::OK, ()).body("Hello world!")
/// }
///
/// let request = http::Request::get("/").body(http_body_util::Empty::<bytes::Bytes>::new()).unwrap();
/// let response = GatewayService::new(hello).oneshot(request).await.unwrap();
/// assert_eq!(response.headers()["content-length"], "12");
/// assert_eq!(response.into_body().collect().await.unwrap().to_bytes(), "Hello world!");
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
/// ```
pub struct GatewayService<A> {
    app: Arc<A>,
    body_read_timeout: Option<Duration>,
    run_once: bool,
    connection: Option<ConnectionInfo>,
}

impl<A: App> GatewayService<A> {
    /// Wraps `app`, with the default body-read timeout.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _service = gateway_tower::GatewayService::new(hello);
    /// ```
    pub fn new(app: A) -> Self {
        Self::from_arc(Arc::new(app))
    }

    /// Wraps an app that is already shared.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _service = gateway_tower::GatewayService::from_arc(std::sync::Arc::new(hello));
    /// ```
    pub fn from_arc(app: Arc<A>) -> Self {
        Self { app, body_read_timeout: Some(DEFAULT_BODY_READ_TIMEOUT), run_once: false, connection: None }
    }

    /// Sets the body-read timeout (`None`: wait forever). Needs a tokio runtime with time
    /// enabled when it fires.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _service = gateway_tower::GatewayService::new(hello).body_read_timeout(Some(std::time::Duration::from_secs(5)));
    /// ```
    pub fn body_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Marks requests as `gateway.run_once` (the server exits after one).
    pub(crate) fn run_once(mut self, run_once: bool) -> Self {
        self.run_once = run_once;
        self
    }

    /// The same service for requests of one connection (`REMOTE_ADDR`, `SERVER_NAME`).
    pub(crate) fn on_connection(&self, connection: ConnectionInfo) -> Self {
        Self { connection: Some(connection), ..self.clone() }
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let service = gateway_tower::GatewayService::new(hello);
    /// let _app = service.get_ref();
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.app
    }
}

impl<A> Clone for GatewayService<A> {
    fn clone(&self) -> Self {
        Self {
            app: Arc::clone(&self.app),
            body_read_timeout: self.body_read_timeout,
            run_once: self.run_once,
            connection: self.connection,
        }
    }
}

impl<A> fmt::Debug for GatewayService<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayService")
            .field("app", &std::any::type_name::<A>())
            .field("body_read_timeout", &self.body_read_timeout)
            .finish()
    }
}

impl<A, B> tower_service::Service<Request<B>> for GatewayService<A>
where
    A: App,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> ResponseFuture {
        let (mut parts, body) = request.into_parts();
        let mounted_at = crate::axum_mount::unnest(&mut parts);
        // On `serve`'s connections hyper has checked `Content-Length` already (400 for a
        // malformed or differing one) and framed the body by it; elsewhere check it here.
        let declared = if self.connection.is_some() {
            body.size_hint().exact()
        } else {
            match declared_length(&parts.headers) {
                Ok(declared) => declared,
                Err(()) => return ResponseFuture::ready(error_response(StatusCode::BAD_REQUEST, true)),
            }
        };
        let is_head = parts.method == Method::HEAD;
        let (input, failure) = input_from_body(body, declared, self.body_read_timeout);
        let mut environ = Environ::new(parts, input).with_run_once(self.run_once);
        // A request on `serve`'s connections has no extension unless a trusted proxy's
        // headers were applied: then it skips the lookups.
        let connection = if environ.extensions().is_empty() {
            self.connection
        } else {
            environ = from_extensions(environ);
            // The request's own `ConnectionInfo` first: the client's, behind a proxy.
            environ.extensions().get::<ConnectionInfo>().copied().or(self.connection)
        };
        if let Some(connection) = connection {
            environ = environ.with_local_addr(connection.local_addr).with_remote_addr(connection.remote_addr);
        } else if let Some(peer) = crate::axum_mount::peer(environ.parts()) {
            environ = environ.with_remote_addr(peer);
        }
        if let Some(prefix) = mounted_at {
            environ.shift_path(&prefix);
        }
        // An app may do work before its future exists (microframe routes there, custom
        // converters included): a panic there is contained too, as a 500.
        let app = Arc::clone(&self.app);
        let future = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            app.call_owned(environ, StartResponse::new())
        })) {
            Ok(future) => future,
            Err(panic) => {
                let panic = gateway_core::panic_message(&*panic);
                tracing::error!(%panic, "app panicked before its future started; answering 500");
                Box::pin(std::future::ready(StartResponse::new().reject(&http::StatusCode::INTERNAL_SERVER_ERROR)))
            }
        };
        let wire = self.connection.is_some();
        ResponseFuture { state: State::App { future: CatchPanic::new(future), is_head, wire, failure } }
    }
}

/// What the request's extensions say of the environ: the transport's scheme
/// ([`UrlScheme`](crate::UrlScheme)) and a prefix a proxy stripped ([`ForwardedPrefix`]).
fn from_extensions(mut environ: Environ) -> Environ {
    if let Some(&scheme) = environ.extensions().get::<crate::UrlScheme>() {
        environ = environ.with_url_scheme(scheme.as_str());
    }
    if let Some(ForwardedPrefix(prefix)) = environ.extensions().get::<ForwardedPrefix>() {
        let prefix = prefix.clone();
        environ = environ.with_forwarded_prefix(&prefix);
    }
    environ
}

/// The request's `Content-Length`: digits only, and repeated values all equal (hyper has
/// already refused worse on a socket; in process this is the only check).
fn declared_length(headers: &http::HeaderMap) -> Result<Option<u64>, ()> {
    let mut declared = None;
    for value in headers.get_all(CONTENT_LENGTH) {
        let digits = value.as_bytes();
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(());
        }
        let length: u64 = std::str::from_utf8(digits).map_err(drop)?.parse().map_err(drop)?;
        if declared.is_some_and(|earlier| earlier != length) {
            return Err(());
        }
        declared = Some(length);
    }
    Ok(declared)
}

/// The future of `GatewayService`'s `Service::call`.
///
/// # Examples
/// ```
/// fn is_send<T: Send>() {}
/// is_send::<gateway_tower::ResponseFuture>();
/// ```
pub struct ResponseFuture {
    state: State,
}

enum State {
    App {
        future: CatchPanic<Pin<Box<dyn Future<Output = Response> + Send>>>,
        is_head: bool,
        /// Served by `serve`'s hyper connection, which writes `Content-Length` itself.
        wire: bool,
        failure: Option<InputFailure>,
    },
    Ready(Option<http::Response<ResponseBody>>),
}

impl ResponseFuture {
    fn ready(response: http::Response<ResponseBody>) -> Self {
        Self { state: State::Ready(Some(response)) }
    }
}

impl Future for ResponseFuture {
    type Output = Result<http::Response<ResponseBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let response = match &mut this.state {
            State::Ready(response) => {
                response.take().unwrap_or_else(|| error_response(StatusCode::INTERNAL_SERVER_ERROR, false))
            }
            State::App { future, is_head, wire, failure } => match Pin::new(future).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(response)) => match failure.as_ref().and_then(InputFailure::status) {
                    Some(status) => {
                        tracing::debug!(%status, "request body failed; answering {status} and closing");
                        error_response(status, true)
                    }
                    None => {
                        let mut response = into_http(response, *is_head, *wire);
                        // On serve's connection, a body left unread means hyper closes the
                        // connection after this response: say so, so a client that pipelined
                        // the next request knows it was not read.
                        if *wire && failure.as_ref().is_some_and(|failure| !failure.finished()) {
                            response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
                        }
                        response
                    }
                },
                Poll::Ready(Err(panic)) => {
                    tracing::error!(panic = %panic, "app panicked; answering 500");
                    error_response(StatusCode::INTERNAL_SERVER_ERROR, false)
                }
            },
        };
        Poll::Ready(Ok(response))
    }
}

impl fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseFuture")
    }
}

/// Turns an app's response into an `http::Response`, enforcing the contract.
///
/// `Content-Length` goes into the headers when the body's length is known and the caller
/// needs the header itself: in process, inside axum, and on HEAD (whose body is dropped
/// here). On `serve`'s own connections hyper writes it from the body's exact size, with no
/// allocation, so it is left to hyper there (`wire` true).
fn into_http(response: Response, is_head: bool, wire: bool) -> http::Response<ResponseBody> {
    if let Err(violation) = check_response(&response) {
        tracing::error!(rule = violation.rule(), "{violation}; answering 500");
        return error_response(StatusCode::INTERNAL_SERVER_ERROR, false);
    }
    let mut response = http::Response::<Body>::from(response);
    let status = response.status();
    if let Some(length) = response.body().exact_length() {
        let bodiless = status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED;
        if !bodiless && (is_head || !wire) && !response.headers().contains_key(CONTENT_LENGTH) {
            response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
    }
    if is_head {
        *response.body_mut() = Body::empty();
    }
    response.map(ResponseBody::new)
}

/// A contract error response: `text/plain` with the status text, optionally closing.
pub(crate) fn error_response(status: StatusCode, close: bool) -> http::Response<ResponseBody> {
    let mut response = into_http(StartResponse::new().reject(&status), false, false);
    if close {
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
