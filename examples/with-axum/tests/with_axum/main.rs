//! The interop example behaves as docs/example-behaviour.md says, in process and over a real socket.

mod guestbook;

use std::time::Duration;

use gateway_core::{Report, Validate};
use http_body_util::BodyExt;
use test_support::Reply;
use tower::ServiceExt;

/// The example's router with the legacy and fallback apps under `Validate`, and their
/// reports (the guestbook's own tests are in `guestbook.rs`).
fn validated_router() -> (axum::Router, [Report; 2]) {
    let mounted = Validate::new(example_with_axum::legacy_app());
    let fallback = Validate::new(example_environ::app);
    let reports = [mounted.report(), fallback.report()];
    (example_with_axum::router_of(mounted, example_environ::app, fallback), reports)
}

async fn get(target: &str) -> Reply {
    let (router, reports) = validated_router();
    let request = http::Request::get(target).body(axum::body::Body::empty()).expect("a valid request");
    let response = router.oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("a body").to_bytes();
    for report in reports {
        assert!(report.is_empty(), "{target}: {:?}", report.violations());
    }
    Reply { status: parts.status, headers: parts.headers, body }
}

#[tokio::test]
async fn axum_keeps_its_own_route() {
    let reply = get("/").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), "axum root");
}

#[tokio::test]
async fn the_mounted_hello_app_answers_under_its_prefix() {
    let reply = get("/legacy/hello/bob").await;
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("Hello bob!"), "{}", reply.text());
}

#[tokio::test]
async fn the_mounted_app_sees_its_script_name_and_path_info() {
    let text = get("/legacy/env").await.text();
    assert!(text.contains("SCRIPT_NAME: /legacy\n"), "{text}");
    assert!(text.contains("PATH_INFO: /env\n"), "{text}");
    assert!(text.contains("gateway.raw_uri: /legacy/env\n"), "{text}");
}

#[tokio::test]
async fn url_for_inside_the_mounted_app_carries_the_prefix() {
    let reply = get("/legacy/greet?name=bob").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), "/legacy/hello/bob");
}

#[tokio::test]
async fn the_mount_point_redirects_to_its_slash() {
    let reply = get("/legacy").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/legacy/");
    assert!(get("/legacy/").await.text().contains("action=\"/legacy/greet\""));
}

#[tokio::test]
async fn everything_else_falls_back_to_the_environ_app() {
    let text = get("/old/page").await.text();
    assert!(text.contains("SCRIPT_NAME: \n"), "{text}");
    assert!(text.contains("PATH_INFO: /old/page\n"), "{text}");
}

#[tokio::test]
async fn a_prefix_that_is_not_a_whole_segment_is_not_the_mount() {
    for target in ["/legacyx", "/LEGACY/env", "/legacy%2Fenv", "//legacy/env"] {
        let text = get(target).await.text();
        assert!(text.contains("SCRIPT_NAME: \n"), "{target}: {text}");
    }
}

#[tokio::test]
async fn over_a_socket_the_peer_is_known_and_each_request_is_logged() {
    let scratch = guestbook::Scratch::new();
    let mut server = guestbook::start_binary(&scratch);
    let reply = test_support::client::get(server.addr, "/legacy/env").await;
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("REMOTE_ADDR: 127.0.0.1\n"), "{}", reply.text());
    assert!(reply.text().contains("SCRIPT_NAME: /legacy\n"), "{}", reply.text());
    let line = server.access_log_line();
    assert!(line.contains("\"GET /legacy/env HTTP/1.1\" 200 "), "{line}");
    let redirect = test_support::client::get(server.addr, "/legacy/greet?name=bob").await;
    assert_eq!(redirect.status, 303);
    assert_eq!(redirect.header("location"), "/legacy/hello/bob");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("with-axum.md", "example-with-axum", env!("CARGO_BIN_EXE_example-with-axum"));
    assert_eq!(ran, 13, "every command of the chapter ran");
}
