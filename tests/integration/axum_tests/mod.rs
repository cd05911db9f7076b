//! axum and tower-http with gateway apps, both ways round (docs/design.md §1, §2,
//! §4): gateway apps mounted in an axum `Router` (`AxumRouterExt`), tower-http layers
//! around `GatewayService`, and an axum `Router` mounted in a microframe app (`TowerApp`).
//!
//! In process through `tower::ServiceExt::oneshot` where the network does not matter; over a
//! real socket (`gateway_tower::serve_service`) for the "on the plain server" variants.

mod bad_input;
mod body_limits;
mod catch_panic;
mod layers;
mod mount_forms;
mod mounted_microframe;
mod router_in_microframe;
mod trace;

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::WithConnectionInfo;
use gateway_tower::server::ServeService;
use http::StatusCode;
use http_body_util::BodyExt;
use test_support::Reply;
use tokio::sync::oneshot;
use tower::{Service, ServiceExt};

/// A gateway app that answers with what it was told about where it is:
/// `SCRIPT_NAME=… PATH_INFO=… raw_script=… raw_path=… raw_uri=…` (decoded, then raw).
async fn where_am_i(environ: Environ, start_response: StartResponse) -> Response {
    let text = format!(
        "SCRIPT_NAME={} PATH_INFO={} raw_script={} raw_path={} raw_uri={}",
        environ.script_name(),
        environ.path_info(),
        environ.raw_script_name(),
        environ.raw_path_info(),
        environ.raw_uri(),
    );
    start_response.start(StatusCode::OK, ()).body(text)
}

/// A request with an empty body, as axum builds them.
fn get(target: &str) -> http::Request<axum::body::Body> {
    http::Request::get(target).body(axum::body::Body::empty()).expect("a valid request")
}

/// Sends `request` through `service` in process and reads the whole response.
async fn call<S, ReqBody, ResBody>(service: S, request: http::Request<ReqBody>) -> Reply
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>, Error = Infallible>,
    ResBody: http_body::Body<Data = Bytes>,
    ResBody::Error: std::fmt::Debug,
{
    let response = match service.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("the response body").to_bytes();
    Reply { status: parts.status, headers: parts.headers, body }
}

/// `(status, body text)` of a reply, for compact assertions.
fn status_and_text(reply: &Reply) -> (u16, String) {
    (reply.status.as_u16(), reply.text())
}

/// A service served by `gateway_tower::serve_service` on `127.0.0.1:0`, access log off;
/// dropping it triggers the graceful shutdown.
struct Served {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Serves `service` (an axum `Router`, a layered `GatewayService`) over real sockets.
async fn serve_service<S>(service: S) -> Served
where
    S: Clone + Send + Sync + 'static,
    WithConnectionInfo<S>: ServeService,
{
    let (stop, stopped) = oneshot::channel::<()>();
    let server = gateway_tower::serve_service("127.0.0.1:0", service)
        .access_log(false)
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
        })
        .bind()
        .await
        .expect("bind 127.0.0.1:0");
    let addr = server.local_addr();
    tokio::spawn(server.run());
    Served { addr, _stop: stop }
}
