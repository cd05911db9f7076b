//! In-process calls: `GatewayService` + `oneshot`, under `Validate`.

use bytes::Bytes;
use gateway_core::{App, Validate};
use gateway_tower::GatewayService;
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

use crate::Reply;

/// Sends `request` to `app` in process and reads the whole response. The app runs inside
/// `Validate`; a broken contract rule fails the test with the rule's name.
///
/// # Panics
/// When the app broke the contract, or the body failed.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("hi") }
/// let reply = test_support::in_process::send(hello, test_support::in_process::get("/")).await;
/// assert_eq!(reply.text(), "hi");
/// # });
/// ```
pub async fn send<A: App>(app: A, request: http::Request<Full<Bytes>>) -> Reply {
    let validated = Validate::new(app);
    let report = validated.report();
    let response = match GatewayService::new(validated).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("response body failed").to_bytes();
    assert!(report.is_empty(), "the app broke the gateway contract: {:?}", report.violations());
    Reply { status: parts.status, headers: parts.headers, body }
}

/// A `GET` request for `target`, with no body.
///
/// # Examples
/// ```
/// assert_eq!(test_support::in_process::get("/x?y=1").uri(), "/x?y=1");
/// ```
pub fn get(target: &str) -> http::Request<Full<Bytes>> {
    request("GET", target, Bytes::new())
}

/// A request with `method`, `target` and `body` (no extra headers).
///
/// # Panics
/// When the method or target is not valid.
///
/// # Examples
/// ```
/// let request = test_support::in_process::request("POST", "/", "a=1".into());
/// assert_eq!(request.method(), "POST");
/// ```
pub fn request(method: &str, target: &str, body: Bytes) -> http::Request<Full<Bytes>> {
    http::Request::builder().method(method).uri(target).body(Full::new(body)).expect("a valid test request")
}
