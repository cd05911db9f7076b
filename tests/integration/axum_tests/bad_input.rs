//! Bad input around a gateway app mounted in axum: targets that only look like the prefix,
//! prefixes axum refuses or treats differently, an app that panics, an app that breaks the
//! contract. Each asserts the documented status and that the axum routes beside the mount
//! keep answering (on one kept-alive connection, where it says so).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get as axum_get;
use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::AxumRouterExt;
use http::header::CONTENT_LENGTH;
use http::{HeaderValue, StatusCode};
use microframe::Microframe;

use super::{call, get, serve_service, status_and_text, where_am_i};
use crate::common::{Conn, get as raw_get};

fn with_health(router: Router) -> Router {
    router.route("/health", axum_get(|| async { "ok" }))
}

#[tokio::test]
async fn targets_that_only_look_like_the_prefix_never_reach_the_mounted_app() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = {
        let calls = Arc::clone(&calls);
        move |environ: Environ, start_response: StartResponse| {
            calls.fetch_add(1, Ordering::SeqCst);
            where_am_i(environ, start_response)
        }
    };
    let router = with_health(Router::new().mount_app("/legacy", counted));
    for target in ["/legacy%2Fx", "/LEGACY/x", "//legacy/x", "/legacyx", "/%6cegacy/x", "/x/legacy"] {
        let reply = call(router.clone(), get(target)).await;
        assert_eq!(status_and_text(&reply), (404, String::new()), "{target}: axum's own empty 404");
        assert_eq!(call(router.clone(), get("/health")).await.text(), "ok");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the mounted app never ran");
}

#[tokio::test]
async fn beside_a_fallback_those_targets_reach_it_with_an_empty_script_name() {
    let router = with_health(Router::new().mount_app("/legacy", panics).fallback_app(where_am_i));
    let cases = [
        ("/legacy%2Fx", "SCRIPT_NAME= PATH_INFO=/legacy/x raw_script= raw_path=/legacy%2Fx raw_uri=/legacy%2Fx"),
        ("/LEGACY/x", "SCRIPT_NAME= PATH_INFO=/LEGACY/x raw_script= raw_path=/LEGACY/x raw_uri=/LEGACY/x"),
        ("//legacy/x", "SCRIPT_NAME= PATH_INFO=//legacy/x raw_script= raw_path=//legacy/x raw_uri=//legacy/x"),
    ];
    for (target, expected) in cases {
        assert_eq!(status_and_text(&call(router.clone(), get(target)).await), (200, expected.to_owned()), "{target}");
    }
}

#[tokio::test]
async fn empty_and_dot_segments_below_the_prefix_stay_literal() {
    let router = Router::new().mount_app("/legacy", where_am_i).mount_app("/u/{id}", where_am_i);
    let cases = [
        ("/legacy//x", "SCRIPT_NAME=/legacy PATH_INFO=//x"),
        ("/legacy/../x", "SCRIPT_NAME=/legacy PATH_INFO=/../x"),
        ("/legacy/%2e%2e/x", "SCRIPT_NAME=/legacy PATH_INFO=/../x"),
        ("/u/7//x", "SCRIPT_NAME=/u/7 PATH_INFO=//x"),
    ];
    for (target, start) in cases {
        let text = call(router.clone(), get(target)).await.text();
        assert!(text.starts_with(&format!("{start} ")), "{target}: {text}");
    }
    // So a microframe route `/x` does not answer `/legacy//x` (no normalisation).
    let router = Router::new().mount_app("/legacy", Microframe::new().get("/x", || async { "x" }));
    assert_eq!(call(router.clone(), get("/legacy/x")).await.text(), "x");
    assert_eq!(status_and_text(&call(router, get("/legacy//x")).await), (404, "Not Found".to_owned()));
}

/// Decision: axum 0.8 accepts a prefix with a trailing slash but then does not route the
/// bare prefix, so `/legacy` is axum's 404 (not the sub-app's 308); use `mount_app("/legacy")`
/// for the 308. Below the prefix, the slash belongs to `PATH_INFO` as usual.
#[tokio::test]
async fn a_prefix_with_a_trailing_slash_does_not_route_the_bare_prefix() {
    let router = with_health(Router::new().mount_app("/legacy/", where_am_i));
    let reply = call(router.clone(), get("/legacy")).await;
    assert_eq!(status_and_text(&reply), (404, String::new()));
    let cases = [
        ("/legacy/", "SCRIPT_NAME=/legacy PATH_INFO=/ raw_script=/legacy raw_path=/ raw_uri=/legacy/"),
        ("/legacy/x", "SCRIPT_NAME=/legacy PATH_INFO=/x raw_script=/legacy raw_path=/x raw_uri=/legacy/x"),
    ];
    for (target, expected) in cases {
        assert_eq!(status_and_text(&call(router.clone(), get(target)).await), (200, expected.to_owned()), "{target}");
    }
    let app = Microframe::new().get("/", || async { "index" });
    let router = Router::new().mount_app("/legacy/", app.clone());
    assert_eq!(call(router.clone(), get("/legacy")).await.status, 404, "no 308: axum never routes `/legacy`");
    assert_eq!(call(router, get("/legacy/")).await.text(), "index");
    let router = Router::new().mount_app("/legacy", app);
    assert_eq!(call(router, get("/legacy")).await.header("location"), "/legacy/", "without the slash: the 308");
}

#[test]
#[should_panic(expected = "Nesting at the root is no longer supported. Use fallback_service instead.")]
fn mounting_at_the_root_panics_and_points_to_the_fallback() {
    let _ = Router::<()>::new().mount_app("/", where_am_i);
}

#[test]
#[should_panic(expected = "Nesting at the root is no longer supported")]
fn mounting_at_the_empty_prefix_panics() {
    let _ = Router::<()>::new().mount_app("", where_am_i);
}

#[test]
#[should_panic(expected = "path.starts_with('/')")]
fn a_prefix_without_a_leading_slash_panics() {
    let _ = Router::<()>::new().mount_app("legacy", where_am_i);
}

#[test]
#[should_panic(expected = "nested routes cannot contain wildcards (*)")]
fn a_prefix_with_a_wildcard_panics() {
    let _ = Router::<()>::new().mount_app("/files/{*rest}", where_am_i);
}

#[test]
#[should_panic(expected = "Path segments must not start with `:`")]
fn an_axum_0_7_style_capture_panics() {
    let _ = Router::<()>::new().mount_app("/users/:id", where_am_i);
}

#[test]
#[should_panic(expected = "conflict with previously registered route")]
fn the_same_prefix_twice_panics() {
    let _ = Router::<()>::new().mount_app("/legacy", where_am_i).mount_app("/legacy", where_am_i);
}

async fn panics(_environ: Environ, _start_response: StartResponse) -> Response {
    panic!("the legacy app fell over")
}

/// Declares 10 bytes and sends 3: a contract violation `GatewayService` answers with 500.
async fn wrong_length(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, [(CONTENT_LENGTH, HeaderValue::from_static("10"))]).body("abc")
}

/// A body on 204: the other contract rule a response head can break.
async fn body_on_204(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::NO_CONTENT, ()).body("oops")
}

fn misbehaving() -> Router {
    with_health(
        Router::new()
            .mount_app("/panics", panics)
            .mount_app("/length", wrong_length)
            .mount_app("/nocontent", body_on_204),
    )
}

#[tokio::test]
async fn a_panicking_or_contract_breaking_app_is_500_and_the_routes_beside_it_answer() {
    for target in ["/panics/x", "/panics", "/length/x", "/nocontent"] {
        let reply = call(misbehaving(), get(target)).await;
        assert_eq!(status_and_text(&reply), (500, "Internal Server Error".to_owned()), "{target}");
        assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(call(misbehaving(), get("/health")).await.text(), "ok");
    }
}

#[tokio::test]
async fn on_the_plain_server_the_connection_survives_them() {
    let server = serve_service(misbehaving()).await;
    let mut conn = Conn::open(server.addr).await;
    for target in ["/panics/x", "/length/x", "/nocontent"] {
        conn.send(&raw_get(target)).await;
        let reply = conn.response().await;
        assert_eq!((reply.status, reply.text().as_str()), (500, "Internal Server Error"), "{target}");
        assert_eq!(reply.header("content-length"), Some("21"), "{target}");
        conn.send(&raw_get("/health")).await;
        let reply = conn.response().await;
        assert_eq!((reply.status, reply.text().as_str()), (200, "ok"), "after {target}, on the same connection");
    }
}
