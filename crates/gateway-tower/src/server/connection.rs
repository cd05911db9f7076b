//! The hyper service of one connection: the `Host` rule, trusted proxy headers, the request
//! body's guard, the tower service, the 408 when the guard cut the body, the access log.

use std::convert::Infallible;
use std::error::Error;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker, ready};

use bytes::Bytes;
use http::header::HOST;
use http::{Request, Response, StatusCode, Version};
use http_body::Body as HttpBody;
use hyper::body::Incoming;

use super::access_log::{LogLine, LoggedBody};
use super::either_body::EitherBody;
use super::request_body::RequestBody;
use super::state::ConnectionState;
use crate::service::error_response;
use crate::{ConnectionInfo, ProxyHeaders};

/// Per-connection state shared by its requests.
pub(crate) struct ConnectionService<S> {
    pub(crate) service: S,
    pub(crate) info: ConnectionInfo,
    /// The proxy headers to apply, when this connection's peer is trusted.
    pub(crate) proxy: Option<Arc<ProxyHeaders>>,
    pub(crate) access_log: bool,
    pub(crate) state: Arc<ConnectionState>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> hyper::service::Service<Request<Incoming>> for ConnectionService<S>
where
    S: tower_service::Service<Request<RequestBody>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<Box<dyn Error + Send + Sync>> + Send,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    type Response = Response<LoggedBody<EitherBody<B>>>;
    type Error = Infallible;
    type Future = ConnectionFuture<S::Future, B, S::Error>;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        self.state.request_started();
        let state = Arc::clone(&self.state);
        let log = |remote: std::net::IpAddr, request: &Request<Incoming>| {
            self.access_log.then(|| LogLine::new(remote, request.method(), request.uri(), request.version()))
        };
        if violates_host_rule(&request) {
            tracing::debug!("HTTP/1.1 request without exactly one Host header; answering 400");
            let response = error_response(StatusCode::BAD_REQUEST, true).map(EitherBody::own);
            let line = log(self.info.remote_addr.ip(), &request);
            return ConnectionFuture::Ready { response: Some(logged(response, line, state)) };
        }
        let client = self.proxy.as_ref().and_then(|proxy| proxy.apply_to_request(self.info, &mut request));
        let line = log(client.unwrap_or(self.info.remote_addr.ip()), &request);
        let mut service = self.service.clone();
        // A service that is ready now (a `GatewayService` always is) is called at once and its
        // future polled in place; only one that must wait for readiness costs a boxed future.
        let mut cx = Context::from_waker(Waker::noop());
        if let Poll::Ready(Ok(())) = service.poll_ready(&mut cx) {
            let future = service.call(request.map(|body| RequestBody::new(body, &self.state)));
            return ConnectionFuture::Calling { future, line, state: Some(state) };
        }
        let request = request.map(|body| RequestBody::new(body, &self.state));
        let future = Box::pin(async move {
            poll_fn(|cx| service.poll_ready(cx)).await?;
            service.call(request).await
        });
        ConnectionFuture::Waiting { future, line, state: Some(state) }
    }
}

pin_project_lite::pin_project! {
    /// The future of one request on a connection.
    #[project = ConnectionFutureProj]
    pub(crate) enum ConnectionFuture<F, B, E> {
        Ready { response: Option<Response<LoggedBody<EitherBody<B>>>> },
        Calling { #[pin] future: F, line: Option<LogLine>, state: Option<Arc<ConnectionState>> },
        Waiting {
            future: BoxFuture<Result<Response<B>, E>>,
            line: Option<LogLine>,
            state: Option<Arc<ConnectionState>>,
        },
    }
}

impl<F, B, E> Future for ConnectionFuture<F, B, E>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    type Output = Result<Response<LoggedBody<EitherBody<B>>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (result, line, state) = match self.project() {
            ConnectionFutureProj::Ready { response } => {
                return Poll::Ready(Ok(response.take().expect("polled after completion")));
            }
            ConnectionFutureProj::Calling { future, line, state } => (ready!(future.poll(cx)), line, state),
            ConnectionFutureProj::Waiting { future, line, state } => (ready!(future.as_mut().poll(cx)), line, state),
        };
        let state = state.take().expect("polled after completion");
        let response = match result {
            // The guard cut the body: whatever the service made of the error, the client
            // was too slow, and the rest of its body is not read.
            Ok(_) if state.body_was_cut() => error_response(StatusCode::REQUEST_TIMEOUT, true).map(EitherBody::own),
            Ok(response) => response.map(EitherBody::service),
            Err(error) => {
                let error: Box<dyn Error + Send + Sync> = error.into();
                tracing::error!(%error, "service failed; answering 500");
                error_response(StatusCode::INTERNAL_SERVER_ERROR, false).map(EitherBody::own)
            }
        };
        Poll::Ready(Ok(logged(response, line.take(), state)))
    }
}

fn logged<B>(response: Response<B>, line: Option<LogLine>, state: Arc<ConnectionState>) -> Response<LoggedBody<B>> {
    let status = response.status();
    response.map(|body| LoggedBody::new(body, status, line, state))
}

/// RFC 9112 §3.2: an HTTP/1.1 request with no `Host`, or more than one, is a 400.
fn violates_host_rule<B>(request: &Request<B>) -> bool {
    request.version() == Version::HTTP_11 && request.headers().get_all(HOST).iter().count() != 1
}
