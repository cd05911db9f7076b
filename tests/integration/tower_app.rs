//! `TowerApp`: a tower service as a gateway app. It sees the request below the mount
//! point, gets the input as its body, and its response (streams included) passes through.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use gateway_core::{App, Environ, Response, StartResponse};
use gateway_tower::{GatewayService, InputBody, TowerApp};
use http::{HeaderValue, StatusCode};
use http_body::Frame;
use http_body_util::{BodyExt, Full, StreamBody};
use test_support::in_process;
use tokio::sync::Notify;
use tower::ServiceExt;

/// Answers `METHOD target-it-saw body-it-read`, with status 201 and `x-seen: yes`.
fn echo_service() -> impl App + Clone {
    TowerApp::new(tower::service_fn(|request: http::Request<InputBody>| async move {
        let (parts, body) = request.into_parts();
        let body = body.collect().await.map(|c| c.to_bytes()).unwrap_or_else(|_| Bytes::from_static(b"<error>"));
        let text = format!("{} {} {}", parts.method, parts.uri, String::from_utf8_lossy(&body));
        let mut response = http::Response::new(Full::new(Bytes::from(text)));
        *response.status_mut() = StatusCode::CREATED;
        response.headers_mut().insert("x-seen", HeaderValue::from_static("yes"));
        Ok::<_, Infallible>(response)
    }))
}

/// Mounts `inner` at `/api`, as a router would; 404 elsewhere.
struct MountApi<A>(A);

impl<A: App> App for MountApi<A> {
    async fn call(&self, mut environ: Environ, start: StartResponse) -> Response {
        if environ.shift_path("/api") {
            self.0.call(environ, start).await
        } else {
            start.reject(&StatusCode::NOT_FOUND)
        }
    }
}

#[tokio::test]
async fn service_sees_the_path_below_the_mount_point() {
    let app = Arc::new(MountApi(echo_service()));
    let cases =
        [("/api/users?x=1", "GET /users?x=1 "), ("/api", "GET / "), ("/api/", "GET / "), ("/api/a%2Fb", "GET /a%2Fb ")];
    for (target, seen) in cases {
        let reply = in_process::send(Arc::clone(&app), in_process::get(target)).await;
        assert_eq!(reply.text(), seen, "{target}");
    }
    assert_eq!(in_process::send(Arc::clone(&app), in_process::get("/apix")).await.status, 404);
}

#[tokio::test]
async fn unmounted_service_sees_the_whole_target() {
    let reply = in_process::send(echo_service(), in_process::get("/api/users?x=1")).await;
    assert_eq!(reply.text(), "GET /api/users?x=1 ");
}

#[tokio::test]
async fn status_headers_and_body_pass_both_ways() {
    let request = in_process::request("POST", "/api/form", Bytes::from_static(b"age=10"));
    let reply = in_process::send(MountApi(echo_service()), request).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.header("x-seen"), "yes");
    assert_eq!(reply.header("content-length"), "17", "the service's exact size is kept");
    assert_eq!(reply.text(), "POST /form age=10");
}

#[tokio::test]
async fn streaming_response_passes_through_chunk_by_chunk() {
    let go = Arc::new(Notify::new());
    let service = {
        let go = Arc::clone(&go);
        tower::service_fn(move |_: http::Request<InputBody>| {
            let go = Arc::clone(&go);
            async move {
                let frames = futures_util::stream::unfold(0_u8, move |step| {
                    let go = Arc::clone(&go);
                    async move {
                        match step {
                            0 => Some((Ok::<_, Infallible>(Frame::data(Bytes::from_static(b"one|"))), 1)),
                            1 => {
                                go.notified().await;
                                Some((Ok(Frame::data(Bytes::from_static(b"two"))), 2))
                            }
                            _ => None,
                        }
                    }
                });
                Ok::<_, Infallible>(http::Response::new(StreamBody::new(frames)))
            }
        })
    };
    let request = http::Request::get("/").body(Full::new(Bytes::new())).expect("request");
    let Ok(response) = GatewayService::new(TowerApp::new(service)).oneshot(request).await;
    assert_eq!(response.headers().get("content-length"), None, "a stream of unknown length stays one");
    let mut body = response.into_body();
    let first = body.frame().await.expect("a first frame").expect("no error");
    assert_eq!(first.into_data().ok().as_deref(), Some(&b"one|"[..]), "the first chunk came alone");
    go.notify_one();
    let rest = body.collect().await.expect("the rest").to_bytes();
    assert_eq!(rest, "two");
}

#[tokio::test]
async fn service_error_is_500_without_the_cause() {
    let failing = TowerApp::new(tower::service_fn(|_: http::Request<InputBody>| async {
        Err::<http::Response<Full<Bytes>>, _>("database on fire")
    }));
    let reply = in_process::send(failing, in_process::get("/")).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.text(), "Internal Server Error");
}
