//! `TowerApp<S>`: the reverse adapter, any tower service as a gateway app.

use std::error::Error;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::extract::OriginalUri;
use bytes::Bytes;
use gateway_core::{App, Body, BodyError, Environ, Input, InputError, Response, StartResponse};
use http::header::CONTENT_LENGTH;
use http::{Request, StatusCode, Uri};
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;

/// A tower service (an axum `Router`, a `tower::service_fn`, ...) as a gateway app.
///
/// The service sees the request below the mount point, as axum's `nest_service` would
/// show it: the path is `PATH_INFO` (raw; `/` when empty) with the query, axum's
/// `OriginalUri` is the whole target, and the body is the environ's input. Its response,
/// streaming included, passes through unchanged; a service error becomes 500. The
/// gateway's body limit holds: a body over it is 413 `Payload Too Large`, whatever the
/// service would have made of the error.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
/// use gateway_tower::{InputBody, TowerApp};
///
/// let echo_path = tower::service_fn(|request: http::Request<InputBody>| async move {
///     let path = request.uri().path().to_owned();
///     Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Full::new(bytes::Bytes::from(path))))
/// });
/// let app = TowerApp::new(echo_path);
/// let (parts, ()) = http::Request::get("/api/users").body(()).unwrap().into_parts();
/// let mut environ = Environ::new(parts, Input::empty());
/// environ.shift_path("/api");
/// let response = app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "/users");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TowerApp<S> {
    service: S,
}

impl<S> TowerApp<S> {
    /// Wraps `service`.
    ///
    /// # Examples
    /// ```
    /// let service = tower::service_fn(|_: http::Request<gateway_tower::InputBody>| async {
    ///     Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Empty::<bytes::Bytes>::new()))
    /// });
    /// let _app = gateway_tower::TowerApp::new(service);
    /// ```
    pub fn new(service: S) -> Self {
        Self { service }
    }

    /// The wrapped service.
    ///
    /// # Examples
    /// ```
    /// let app = gateway_tower::TowerApp::new(());
    /// let () = *app.get_ref();
    /// ```
    pub fn get_ref(&self) -> &S {
        &self.service
    }

    /// Unwraps the service.
    ///
    /// # Examples
    /// ```
    /// let () = gateway_tower::TowerApp::new(()).into_inner();
    /// ```
    pub fn into_inner(self) -> S {
        self.service
    }
}

impl<S, B> App for TowerApp<S>
where
    S: tower_service::Service<Request<InputBody>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send,
    S::Error: fmt::Display + Send,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        // The gateway's body limit holds for the service too: a declared length over it is
        // refused here, and a streamed body cut at it answers 413 whatever the service
        // made of the error (axum, for one, calls a body error it does not know a 400).
        let limit = environ.input().limit();
        if limit.is_some_and(|limit| environ.input().declared_over(limit)) {
            return start_response.reject(&InputError::TooLarge);
        }
        let head = environ.method() == http::Method::HEAD;
        let (request, too_large) = into_request(environ, limit.is_some());
        let mut service = self.service.clone();
        let result = match poll_fn(|cx| service.poll_ready(cx)).await {
            Ok(()) => service.call(request).await,
            Err(error) => Err(error),
        };
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                tracing::error!(%error, "tower service failed; answering 500");
                return start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR);
            }
        };
        if too_large.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
            return start_response.reject(&InputError::TooLarge);
        }
        let (parts, body) = response.into_parts();
        let length = body.size_hint().exact();
        if length == Some(0) && body.is_end_stream() {
            // A service's answer to HEAD has the GET's `Content-Length` and no bytes: keep the
            // length declared, so the server sends it (and no body), as for a gateway app.
            let declared = parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            let body = match declared.filter(|&length| head && length > 0) {
                Some(length) => Body::without_bytes(length),
                None => Body::empty(),
            };
            return start_response.start(parts.status, parts.headers).body(body);
        }
        // Data frames only: trailers have no place in a gateway body.
        let stream = body.map_err(Into::<BodyError>::into).into_data_stream();
        let body = match length {
            Some(length) => Body::from_sized_stream(stream, length),
            None => Body::from_stream(stream),
        };
        start_response.start(parts.status, parts.headers).body(body)
    }
}

/// The request the service sees: the path below the mount point, the input as the body,
/// and axum's `OriginalUri` (the whole target) unless an outer axum router set it already.
/// With `watch_limit`, also the flag that tells whether the body went over the limit.
fn into_request(environ: Environ, watch_limit: bool) -> (Request<InputBody>, Option<Arc<AtomicBool>>) {
    let mounted = !environ.raw_script_name().is_empty();
    let below = mounted.then(|| {
        let path = match environ.raw_path_info() {
            "" => "/",
            path => path,
        };
        match environ.parts().uri.query() {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        }
    });
    let https = environ.url_scheme() == "https";
    let forwarded = (!environ.forwarded_prefix().is_empty()).then(|| environ.forwarded_prefix().to_owned());
    let (mut parts, input) = environ.into_parts();
    // The prefix a proxy stripped, for a gateway app inside the service.
    if let Some(prefix) = forwarded {
        parts.extensions.insert(crate::ForwardedPrefix(prefix));
    }
    // The scheme the environ settled on, for a gateway app inside the service.
    if https {
        parts.extensions.insert(crate::UrlScheme::Https);
    } else if parts.extensions.get::<crate::UrlScheme>().is_some() {
        parts.extensions.remove::<crate::UrlScheme>();
    }
    if parts.extensions.get::<OriginalUri>().is_none() {
        parts.extensions.insert(OriginalUri(parts.uri.clone()));
    }
    if let Some(Ok(uri)) = below.map(|target| target.parse::<Uri>()) {
        parts.uri = uri;
    }
    let too_large = watch_limit.then(|| Arc::new(AtomicBool::new(false)));
    let body = InputBody { input, too_large: too_large.clone() };
    (Request::from_parts(parts, body), too_large)
}

/// The environ's input as an `http_body::Body`, for the tower service.
///
/// # Examples
/// ```
/// use http_body::Body as _;
/// # let (parts, ()) = http::Request::post("/").body(()).unwrap().into_parts();
/// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::from_bytes("abc"));
/// let (_parts, input) = environ.into_parts();
/// let body = gateway_tower::InputBody::new(input);
/// assert_eq!(body.size_hint().exact(), Some(3));
/// ```
#[derive(Debug)]
pub struct InputBody {
    input: Input,
    /// Set when the input refused bytes over its limit.
    too_large: Option<Arc<AtomicBool>>,
}

impl InputBody {
    /// Wraps an input.
    ///
    /// # Examples
    /// ```
    /// let _ = gateway_tower::InputBody::new(gateway_core::Input::empty());
    /// ```
    pub fn new(input: Input) -> Self {
        Self { input, too_large: None }
    }
}

impl HttpBody for InputBody {
    type Data = Bytes;
    type Error = InputError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, InputError>>> {
        let this = self.get_mut();
        let next = this.input.poll_chunk(cx);
        if let (Poll::Ready(Some(Err(InputError::TooLarge))), Some(flag)) = (&next, &this.too_large) {
            flag.store(true, Ordering::Relaxed);
        }
        next.map(|next| next.map(|chunk| chunk.map(Frame::data)))
    }

    fn size_hint(&self) -> SizeHint {
        match self.input.declared_length() {
            Some(length) => SizeHint::with_exact(length),
            None => SizeHint::default(),
        }
    }
}
