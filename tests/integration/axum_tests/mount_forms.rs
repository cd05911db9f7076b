//! The three mount forms of `AxumRouterExt` (a static prefix, a prefix with `{param}`
//! captures, the fallback): `SCRIPT_NAME` is the concrete raw prefix, `PATH_INFO` the rest
//! (`""` at the mount point itself), `gateway.raw_uri` the whole original target, and the
//! axum routes beside the mount keep answering.

use axum::Router;
use axum::routing::get as axum_get;
use gateway_tower::AxumRouterExt;
use test_support::client;

use super::{call, get, serve_service, status_and_text, where_am_i};
use crate::common::{Conn, get as raw_get};

/// `where_am_i`'s answer for a prefix, a path info, and the target.
fn seen(script: &str, path: &str, raw_script: &str, raw_path: &str, raw_uri: &str) -> String {
    format!("SCRIPT_NAME={script} PATH_INFO={path} raw_script={raw_script} raw_path={raw_path} raw_uri={raw_uri}")
}

fn router() -> Router {
    Router::new()
        .route("/", axum_get(|| async { "axum root" }))
        .route("/legacy/special", axum_get(|| async { "axum special" }))
        .mount_app("/legacy", where_am_i)
        .mount_app("/users/{id}/files", where_am_i)
}

#[tokio::test]
async fn a_static_prefix_is_the_script_name_and_the_rest_the_path_info() {
    let cases = [
        ("/legacy/post/7?x=1", seen("/legacy", "/post/7", "/legacy", "/post/7", "/legacy/post/7?x=1")),
        ("/legacy", seen("/legacy", "", "/legacy", "", "/legacy")),
        ("/legacy?x=1", seen("/legacy", "", "/legacy", "", "/legacy?x=1")),
        ("/legacy/", seen("/legacy", "/", "/legacy", "/", "/legacy/")),
        ("/legacy/a%20b/c%2Fd", seen("/legacy", "/a b/c/d", "/legacy", "/a%20b/c%2Fd", "/legacy/a%20b/c%2Fd")),
    ];
    for (target, expected) in cases {
        let reply = call(router(), get(target)).await;
        assert_eq!(status_and_text(&reply), (200, expected), "{target}");
    }
}

#[tokio::test]
async fn a_prefix_with_captures_is_the_concrete_prefix_not_the_pattern() {
    let cases = [
        (
            "/users/42/files/a.txt",
            seen("/users/42/files", "/a.txt", "/users/42/files", "/a.txt", "/users/42/files/a.txt"),
        ),
        ("/users/42/files", seen("/users/42/files", "", "/users/42/files", "", "/users/42/files")),
        ("/users/42/files/", seen("/users/42/files", "/", "/users/42/files", "/", "/users/42/files/")),
        (
            "/users/a%20b/files/x?y=%41",
            seen("/users/a b/files", "/x", "/users/a%20b/files", "/x", "/users/a%20b/files/x?y=%41"),
        ),
    ];
    for (target, expected) in cases {
        let reply = call(router(), get(target)).await;
        assert_eq!(status_and_text(&reply), (200, expected), "{target}");
    }
    let reply = call(router(), get("/users/42/other")).await;
    assert_eq!(status_and_text(&reply), (404, String::new()), "axum's own 404: the app was not asked");
}

#[tokio::test]
async fn the_axum_routes_beside_the_mounts_keep_answering() {
    assert_eq!(call(router(), get("/")).await.text(), "axum root");
    assert_eq!(call(router(), get("/legacy/special")).await.text(), "axum special", "a static route beats the mount");
    let reply = call(router(), get("/elsewhere")).await;
    assert_eq!(status_and_text(&reply), (404, String::new()));
}

#[tokio::test]
async fn the_fallback_sees_the_whole_path_and_an_empty_script_name() {
    let router = Router::new().route("/new", axum_get(|| async { "axum new" })).fallback_app(where_am_i);
    let reply = call(router.clone(), get("/old/page?q=1")).await;
    assert_eq!(reply.text(), seen("", "/old/page", "", "/old/page", "/old/page?q=1"));
    let reply = call(router.clone(), get("/")).await;
    assert_eq!(reply.text(), seen("", "/", "", "/", "/"));
    assert_eq!(call(router, get("/new")).await.text(), "axum new");
}

#[tokio::test]
async fn mounts_inside_nested_axum_routers_see_the_whole_concrete_prefix() {
    let inner = Router::new().mount_app("/inner", where_am_i).mount_app("/u/{id}", where_am_i);
    let router = Router::new().nest("/outer", inner);
    let reply = call(router.clone(), get("/outer/inner/x?y=1")).await;
    assert_eq!(reply.text(), seen("/outer/inner", "/x", "/outer/inner", "/x", "/outer/inner/x?y=1"));
    let reply = call(router.clone(), get("/outer/u/7")).await;
    assert_eq!(reply.text(), seen("/outer/u/7", "", "/outer/u/7", "", "/outer/u/7"));
}

#[tokio::test]
async fn the_fallback_of_a_nested_router_sees_the_nest_prefix_as_its_script_name() {
    let api = Router::new().route("/v1", axum_get(|| async { "v1" })).fallback_app(where_am_i);
    let router = Router::new().nest("/api", api);
    let reply = call(router.clone(), get("/api/old/x")).await;
    assert_eq!(reply.text(), seen("/api", "/old/x", "/api", "/old/x", "/api/old/x"));
    assert_eq!(call(router, get("/api/v1")).await.text(), "v1");
}

#[tokio::test]
async fn on_the_plain_server_each_form_also_gets_the_peer_and_the_host() {
    async fn peer(
        environ: gateway_core::Environ,
        start_response: gateway_core::StartResponse,
    ) -> gateway_core::Response {
        let keys = ["SCRIPT_NAME", "PATH_INFO", "REMOTE_ADDR", "SERVER_NAME", "gateway.raw_uri"];
        let text: Vec<String> =
            keys.iter().map(|key| format!("{key}={}", environ.get(key).unwrap_or_else(|| "<absent>".into()))).collect();
        start_response.start(http::StatusCode::OK, ()).body(text.join(" "))
    }
    let router = Router::new()
        .route("/", axum_get(|| async { "axum root" }))
        .mount_app("/legacy", peer)
        .mount_app("/users/{id}/files", peer)
        .fallback_app(peer);
    let server = serve_service(router).await;
    let cases = [
        ("/legacy/a?b=1", "SCRIPT_NAME=/legacy PATH_INFO=/a"),
        ("/legacy", "SCRIPT_NAME=/legacy PATH_INFO="),
        ("/users/42/files/x", "SCRIPT_NAME=/users/42/files PATH_INFO=/x"),
        ("/old%20page", "SCRIPT_NAME= PATH_INFO=/old page"),
    ];
    for (target, start) in cases {
        let reply = client::get(server.addr, target).await;
        let rest = format!(" REMOTE_ADDR=127.0.0.1 SERVER_NAME=127.0.0.1 gateway.raw_uri={target}");
        assert_eq!(status_and_text(&reply), (200, format!("{start}{rest}")), "{target}");
    }
    assert_eq!(client::get(server.addr, "/").await.text(), "axum root");
}

#[tokio::test]
async fn on_the_plain_server_an_absolute_form_target_and_head_keep_the_rules() {
    let router = Router::new().mount_app("/legacy", where_am_i);
    let server = serve_service(router).await;
    let mut conn = Conn::open(server.addr).await;
    let target = "http://127.0.0.1/legacy/x?y=1";
    conn.send(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).await;
    let reply = conn.response().await;
    let expected = seen("/legacy", "/x", "/legacy", "/x", target);
    assert_eq!((reply.status, reply.text()), (200, expected), "raw_uri is the target exactly as received");

    conn.send(b"HEAD /legacy/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await;
    let head = conn.head_response().await;
    let get_length = seen("/legacy", "/x", "/legacy", "/x", "/legacy/x").len().to_string();
    assert_eq!(
        (head.status, head.header("content-length")),
        (200, Some(get_length.as_str())),
        "GET's headers, no body"
    );
    conn.send(&raw_get("/legacy")).await;
    assert_eq!(
        conn.response().await.text(),
        seen("/legacy", "", "/legacy", "", "/legacy"),
        "the connection is in sync"
    );
}
