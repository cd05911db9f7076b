//! The addresses of a request's connection, as a request extension.

use std::net::SocketAddr;
use std::task::{Context, Poll};

use http::Request;

/// The local and remote address of the connection a request arrived on.
///
/// `serve` puts it in every request's extensions when it serves a tower service, and
/// [`GatewayService`](crate::GatewayService) reads it from there (for `REMOTE_ADDR`,
/// `SERVER_NAME` and `SERVER_PORT`) when it runs inside such a service, an axum `Router`
/// for instance.
///
/// # Examples
/// ```
/// let info = gateway_tower::ConnectionInfo {
///     local_addr: "127.0.0.1:8051".parse().unwrap(),
///     remote_addr: "127.0.0.1:40000".parse().unwrap(),
/// };
/// assert_eq!(info.remote_addr.port(), 40000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The address the server accepted the connection on.
    pub local_addr: SocketAddr,
    /// The peer's address.
    pub remote_addr: SocketAddr,
}

/// The scheme of the connection a request arrived on, as a request extension: what
/// [`GatewayService`](crate::GatewayService) gives the app as `gateway.url_scheme`. Without
/// it the scheme is `http`; the request target's own scheme is never believed (over plain
/// TCP a client can send `GET https://bank.example/x`). `serve` speaks plain HTTP; whatever
/// terminates TLS in front of an app (a TLS acceptor, a trusted proxy's headers, the test
/// client for an `https://` target) inserts `UrlScheme::Https`, and
/// [`TowerApp`](crate::TowerApp) passes the scheme on to the service it wraps.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use gateway_core::{Environ, Response, StartResponse};
/// use gateway_tower::{GatewayService, UrlScheme};
/// use http_body_util::{BodyExt, Full};
/// use tower::ServiceExt;
///
/// async fn scheme(environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(http::StatusCode::OK, ()).body(environ.url_scheme())
/// }
/// let ask = |request: http::Request<Full<bytes::Bytes>>| async {
///     let response = GatewayService::new(scheme).oneshot(request).await.unwrap();
///     response.into_body().collect().await.unwrap().to_bytes()
/// };
/// let spoofed = http::Request::get("https://bank.example/x").body(Full::default()).unwrap();
/// assert_eq!(ask(spoofed).await, "http");
/// let mut secured = http::Request::get("/x").body(Full::default()).unwrap();
/// secured.extensions_mut().insert(UrlScheme::Https);
/// assert_eq!(ask(secured).await, "https");
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum UrlScheme {
    /// Plain HTTP (the default).
    #[default]
    Http,
    /// HTTP over TLS.
    Https,
}

impl UrlScheme {
    /// `"http"` or `"https"`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_tower::UrlScheme::Https.as_str(), "https");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

/// A tower service whose requests carry a [`ConnectionInfo`] extension (the connection's,
/// unless the request carries one already: the client's, when trusted proxy headers said it).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use gateway_tower::{ConnectionInfo, WithConnectionInfo};
/// use tower::ServiceExt;
///
/// let info = ConnectionInfo { local_addr: "127.0.0.1:1".parse().unwrap(), remote_addr: "127.0.0.1:2".parse().unwrap() };
/// let echo = tower::service_fn(|request: http::Request<()>| async move {
///     Ok::<_, std::convert::Infallible>(request.extensions().get::<ConnectionInfo>().copied())
/// });
/// let seen = WithConnectionInfo::new(echo, info).oneshot(http::Request::new(())).await.unwrap();
/// assert_eq!(seen, Some(info));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct WithConnectionInfo<S> {
    inner: S,
    info: ConnectionInfo,
}

impl<S> WithConnectionInfo<S> {
    /// Wraps `inner` for one connection.
    ///
    /// # Examples
    /// ```
    /// # let info = gateway_tower::ConnectionInfo { local_addr: "127.0.0.1:1".parse().unwrap(), remote_addr: "127.0.0.1:2".parse().unwrap() };
    /// let service = gateway_tower::WithConnectionInfo::new(tower::service_fn(|_: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) }), info);
    /// assert_eq!(service.info().local_addr.port(), 1);
    /// ```
    pub fn new(inner: S, info: ConnectionInfo) -> Self {
        Self { inner, info }
    }

    /// The connection's addresses.
    ///
    /// # Examples
    /// ```
    /// # let info = gateway_tower::ConnectionInfo { local_addr: "127.0.0.1:1".parse().unwrap(), remote_addr: "127.0.0.1:2".parse().unwrap() };
    /// # let service = gateway_tower::WithConnectionInfo::new((), info);
    /// assert_eq!(service.info().remote_addr.port(), 2);
    /// ```
    pub fn info(&self) -> ConnectionInfo {
        self.info
    }
}

impl<S, B> tower_service::Service<Request<B>> for WithConnectionInfo<S>
where
    S: tower_service::Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        // One set already is the client's, from trusted proxy headers (`Serve::proxy_headers`).
        if request.extensions().get::<ConnectionInfo>().is_none() {
            request.extensions_mut().insert(self.info);
        }
        self.inner.call(request)
    }
}
