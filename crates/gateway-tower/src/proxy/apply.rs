//! Applying what trusted proxy headers say: to a request's head (what `serve` does, before
//! the access log), and to an environ ([`TrustProxyHeaders`], the gateway layer for apps
//! mounted in axum or run on another server). Both go through `ProxyHeaders::rewrite`, so
//! what changes is decided in one place (and described in [`ProxyHeaders`]'s docs).

use std::net::{IpAddr, SocketAddr};

use gateway_core::{App, Environ, Response, StartResponse};
use http::header::HOST;
use http::{HeaderMap, HeaderValue, Request};

use super::ProxyHeaders;
use crate::{ConnectionInfo, UrlScheme};

/// What a request looked like before trusted proxy headers were applied, as a request
/// extension; present exactly when the peer was trusted and its headers were read.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Input, Response, StartResponse};
/// use gateway_tower::{ProxyHeaders, ProxyOriginals, TrustProxyHeaders};
///
/// async fn who(environ: Environ, start_response: StartResponse) -> Response {
///     let before = environ.extensions().get::<ProxyOriginals>().unwrap();
///     let text = format!("{} via {}", environ.get("REMOTE_ADDR").unwrap(), before.peer.ip());
///     start_response.start(http::StatusCode::OK, ()).body(text)
/// }
/// let app = TrustProxyHeaders::new(who, ProxyHeaders::new().trust("10.0.0.0/8").unwrap());
/// let (parts, ()) = http::Request::get("/").header("x-forwarded-for", "203.0.113.7").body(()).unwrap().into_parts();
/// let environ = Environ::new(parts, Input::empty()).with_remote_addr("10.0.0.2:5000".parse().unwrap());
/// let response = app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "203.0.113.7 via 10.0.0.2");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyOriginals {
    /// The connection's peer: the proxy.
    pub peer: SocketAddr,
    /// The scheme of the connection to the proxy.
    pub scheme: UrlScheme,
    /// The `Host` header as received, when there was one.
    pub host: Option<HeaderValue>,
}

/// The path prefix a trusted proxy mounts the app under (`X-Forwarded-Prefix`), as a request
/// extension: [`GatewayService`](crate::GatewayService) puts it in front of `SCRIPT_NAME`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use gateway_core::{Environ, Response, StartResponse};
/// use gateway_tower::{ForwardedPrefix, GatewayService};
/// use http_body_util::{BodyExt, Full};
/// use tower::ServiceExt;
///
/// async fn mount(environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(http::StatusCode::OK, ()).body(format!("{}|{}", environ.script_name(), environ.path_info()))
/// }
/// let mut request = http::Request::get("/page").body(Full::<bytes::Bytes>::default()).unwrap();
/// request.extensions_mut().insert(ForwardedPrefix("/app".into()));
/// let response = GatewayService::new(mount).oneshot(request).await.unwrap();
/// assert_eq!(response.into_body().collect().await.unwrap().to_bytes(), "/app|/page");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedPrefix(pub String);

/// What else a rewrite changed, besides `Host`.
pub(crate) struct Rewritten {
    pub(crate) client: SocketAddr,
    pub(crate) scheme: UrlScheme,
    pub(crate) prefix: Option<String>,
    pub(crate) originals: ProxyOriginals,
}

impl ProxyHeaders {
    /// Reads the headers of a request from `peer`, sets the forwarded `Host` in `headers`,
    /// and returns the rest; `None` (nothing changed) when `peer` is not trusted.
    pub(crate) fn rewrite(&self, peer: SocketAddr, scheme: UrlScheme, headers: &mut HeaderMap) -> Option<Rewritten> {
        let seen = self.resolve(peer.ip(), headers)?;
        let originals = ProxyOriginals { peer, scheme, host: headers.get(HOST).cloned() };
        let host = match (seen.host, seen.port) {
            (Some(host), None) => Some(host),
            (host, Some(port)) => {
                let host = host.or_else(|| originals.host.as_ref()?.to_str().ok().map(str::to_owned));
                host.map(|host| format!("{}:{port}", without_port(&host)))
            }
            (None, None) => None,
        };
        if let Some(value) = host.and_then(|host| HeaderValue::try_from(host).ok()) {
            headers.insert(HOST, value);
        }
        let client = match seen.client {
            Some((ip, port)) => SocketAddr::new(ip, port.unwrap_or(0)),
            None => peer,
        };
        Some(Rewritten { client, scheme: seen.proto.unwrap_or(scheme), prefix: seen.prefix, originals })
    }

    /// Applies the headers to a request arriving on `connection`: `Host`, and the
    /// [`ConnectionInfo`] (the client's address), [`UrlScheme`], [`ForwardedPrefix`] and
    /// [`ProxyOriginals`] extensions. Returns the client's address when the peer is trusted.
    pub(crate) fn apply_to_request<B>(&self, connection: ConnectionInfo, request: &mut Request<B>) -> Option<IpAddr> {
        let scheme = request.extensions().get::<UrlScheme>().copied().unwrap_or_default();
        let rewritten = self.rewrite(connection.remote_addr, scheme, request.headers_mut())?;
        let extensions = request.extensions_mut();
        extensions.insert(ConnectionInfo { remote_addr: rewritten.client, ..connection });
        extensions.insert(rewritten.scheme);
        if let Some(prefix) = rewritten.prefix {
            extensions.insert(ForwardedPrefix(prefix));
        }
        extensions.insert(rewritten.originals);
        Some(rewritten.client.ip())
    }
}

/// `host` without a `:port` (an IPv6 literal keeps its brackets).
fn without_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(colon) if !host[colon..].contains(']') => &host[..colon],
        _ => host,
    }
}

/// The gateway layer: trusted proxy headers applied to the environ of every request, around
/// any gateway app (a `Microframe`, a Python WSGI app, a plain async fn), for apps mounted
/// in axum or served by another server. On [`serve`](crate::serve), prefer
/// [`Serve::proxy_headers`](crate::Serve::proxy_headers), which also puts the client's
/// address in the access log. The peer is the environ's `REMOTE_ADDR`: without one (in
/// process), nothing is trusted.
///
/// # Examples
/// See [`ProxyOriginals`].
#[derive(Debug, Clone)]
pub struct TrustProxyHeaders<A> {
    inner: A,
    proxy: ProxyHeaders,
}

impl<A> TrustProxyHeaders<A> {
    /// Wraps `inner`, reading headers as `proxy` says.
    ///
    /// # Examples
    /// See [`ProxyOriginals`].
    pub fn new(inner: A, proxy: ProxyHeaders) -> Self {
        Self { inner, proxy }
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let layer = gateway_tower::TrustProxyHeaders::new(app, gateway_tower::ProxyHeaders::new());
    /// let _app = layer.get_ref();
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// The settings.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let layer = gateway_tower::TrustProxyHeaders::new(app, gateway_tower::ProxyHeaders::new());
    /// assert!(layer.proxy_headers().trusted().is_empty());
    /// ```
    pub fn proxy_headers(&self) -> &ProxyHeaders {
        &self.proxy
    }

    /// The wrapped app, unwrapped.
    ///
    /// # Examples
    /// ```
    /// # async fn app(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _app = gateway_tower::TrustProxyHeaders::new(app, gateway_tower::ProxyHeaders::new()).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

impl<A: App> App for TrustProxyHeaders<A> {
    fn call(&self, mut environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        let applied = environ.extensions().get::<ProxyOriginals>().is_some();
        if let Some(peer) = environ.remote_addr().filter(|_| !applied) {
            let scheme = if environ.url_scheme() == "https" { UrlScheme::Https } else { UrlScheme::Http };
            if let Some(rewritten) = self.proxy.rewrite(peer, scheme, environ.headers_mut()) {
                environ = environ.with_remote_addr(rewritten.client).with_url_scheme(rewritten.scheme.as_str());
                if let Some(prefix) = &rewritten.prefix {
                    environ = environ.with_forwarded_prefix(prefix);
                    environ.extensions_mut().insert(ForwardedPrefix(prefix.clone()));
                }
                environ.extensions_mut().insert(rewritten.originals);
            }
        }
        self.inner.call(environ, start_response)
    }
}
