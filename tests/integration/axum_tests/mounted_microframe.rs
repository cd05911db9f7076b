//! A microframe app mounted in axum: its `url_for`, its redirects and its trailing-slash
//! 308 at the mount point carry the concrete prefix axum matched (`/users/42/files`, not
//! the pattern), on every mount form, in process and on the plain server.

use axum::Router;
use axum::routing::get as axum_get;
use gateway_tower::AxumRouterExt;
use microframe::{Microframe, Redirect, UrlError, UrlFor};
use test_support::client;

use super::{call, get, serve_service, status_and_text};

async fn link(urls: UrlFor) -> Result<String, UrlError> {
    urls.url_for("post", &[("id", "7"), ("tab", "a b")])
}

async fn save(urls: UrlFor) -> Result<Redirect, UrlError> {
    Ok(Redirect::to(urls.url_for("post", &[("id", "7")])?))
}

/// A sub-app with an index, a named route, a link to it, a redirect to it, and a
/// directory route (`/dir/`) for the trailing-slash rule.
fn legacy() -> Microframe {
    Microframe::new()
        .get("/", || async { "legacy index" })
        .get("/post/<id:int>", || async { "post" })
        .name("post")
        .get("/link", link)
        .post("/save", save)
        .get("/dir/", || async { "dir" })
}

fn router() -> Router {
    Router::new()
        .route("/health", axum_get(|| async { "ok" }))
        .mount_app("/legacy", legacy())
        .mount_app("/users/{id}/files", legacy())
}

fn post(target: &str) -> http::Request<axum::body::Body> {
    http::Request::post(target).body(axum::body::Body::empty()).expect("a valid request")
}

#[tokio::test]
async fn url_for_prepends_the_concrete_prefix() {
    let cases = [
        ("/legacy/link", "/legacy/post/7?tab=a+b"),
        ("/users/42/files/link", "/users/42/files/post/7?tab=a+b"),
        ("/users/a%20b/files/link", "/users/a%20b/files/post/7?tab=a+b"),
    ];
    for (target, url) in cases {
        assert_eq!(status_and_text(&call(router(), get(target)).await), (200, url.to_owned()), "{target}");
    }
}

#[tokio::test]
async fn a_redirect_to_url_for_carries_the_concrete_prefix() {
    for (target, location) in [("/legacy/save", "/legacy/post/7"), ("/users/42/files/save", "/users/42/files/post/7")] {
        let reply = call(router(), post(target)).await;
        assert_eq!(reply.status, 303, "{target}");
        assert_eq!(reply.header("location"), location, "{target}");
        assert_eq!(call(router(), get(location)).await.text(), "post", "the location is routable");
    }
}

#[tokio::test]
async fn the_mount_point_without_its_slash_is_308_to_it_with_the_prefix() {
    let cases = [
        ("/legacy", "/legacy/"),
        ("/legacy?x=1&y=a+b", "/legacy/?x=1&y=a+b"),
        ("/users/42/files", "/users/42/files/"),
        ("/legacy/dir", "/legacy/dir/"),
        ("/users/42/files/dir?q", "/users/42/files/dir/?q"),
    ];
    for (target, location) in cases {
        let reply = call(router(), get(target)).await;
        assert_eq!(status_and_text(&reply), (308, String::new()), "{target}");
        assert_eq!(reply.header("location"), location, "{target}");
    }
    assert_eq!(call(router(), get("/legacy/")).await.text(), "legacy index");
    assert_eq!(call(router(), get("/users/42/files/")).await.text(), "legacy index");
}

#[tokio::test]
async fn the_sub_apps_own_404_and_405_come_back_unchanged() {
    let reply = call(router(), get("/users/42/files/nope")).await;
    assert_eq!(status_and_text(&reply), (404, "Not Found".to_owned()), "microframe's 404, not axum's empty one");
    let reply = call(router(), post("/legacy/link")).await;
    assert_eq!(status_and_text(&reply), (405, "Method Not Allowed".to_owned()));
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS");
    assert_eq!(call(router(), get("/health")).await.text(), "ok");
}

#[tokio::test]
async fn as_the_fallback_and_under_a_nested_router_the_urls_follow() {
    let fallback = Router::new().route("/health", axum_get(|| async { "ok" })).fallback_app(legacy());
    assert_eq!(call(fallback.clone(), get("/link")).await.text(), "/post/7?tab=a+b");
    assert_eq!(call(fallback, post("/save")).await.header("location"), "/post/7");

    let nested = Router::new().nest("/outer", Router::new().mount_app("/users/{id}/files", legacy()));
    assert_eq!(
        call(nested.clone(), get("/outer/users/42/files/link")).await.text(),
        "/outer/users/42/files/post/7?tab=a+b"
    );
    let reply = call(nested, get("/outer/users/42/files")).await;
    assert_eq!((reply.status.as_u16(), reply.header("location")), (308, "/outer/users/42/files/"));
}

#[tokio::test]
async fn on_the_plain_server_the_urls_carry_the_prefix_too() {
    let server = serve_service(router()).await;
    let reply = client::get(server.addr, "/users/42/files").await;
    assert_eq!((reply.status.as_u16(), reply.header("location")), (308, "/users/42/files/"));
    let reply = client::get(server.addr, "/users/42/files/link").await;
    assert_eq!(status_and_text(&reply), (200, "/users/42/files/post/7?tab=a+b".to_owned()));
    let reply =
        client::send(server.addr, test_support::in_process::request("POST", "/legacy/save", bytes::Bytes::new())).await;
    assert_eq!((reply.status.as_u16(), reply.header("location")), (303, "/legacy/post/7"));
    assert_eq!(client::get(server.addr, "/health").await.text(), "ok");
}
