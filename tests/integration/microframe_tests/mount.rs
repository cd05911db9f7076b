//! Mounting: `SCRIPT_NAME`/`PATH_INFO` below a prefix, `url_for` with the raw prefix, the
//! mount-point trailing-slash rule, whole-segment prefix matching, nested mounts.

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;
use microframe::{Microframe, TestClient, UrlError, UrlFor};

use super::where_am_i;

async fn index() -> &'static str {
    "legacy index"
}

async fn link(urls: UrlFor) -> Result<String, UrlError> {
    urls.url_for("post", &[("id", "7"), ("tab", "a b")])
}

/// A sub-app with a `/` route, a named route and a link to it.
fn legacy() -> Microframe {
    Microframe::new().get("/", index).get("/post/<id:int>", where_am_i).name("post").get("/link", link)
}

/// A plain gateway app (no microframe) that answers every path.
async fn plain(environ: Environ, start_response: StartResponse) -> Response {
    let text = format!("plain SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info());
    start_response.start(StatusCode::OK, ()).body(text)
}

#[tokio::test]
async fn a_sub_app_sees_the_prefix_as_script_name_and_the_rest_as_path_info() {
    let client = TestClient::new(Microframe::new().mount("/legacy", legacy()));
    client
        .get("/legacy/post/7")
        .send()
        .await
        .assert_status(200)
        .assert_body("SCRIPT_NAME=/legacy PATH_INFO=/post/7 raw=/post/7");
    client.get("/legacy/").send().await.assert_status(200).assert_body("legacy index");
    client.get("/legacy/nope").send().await.assert_status(404).assert_body("Not Found");
    client.get("/post/7").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn url_for_inside_a_mount_prepends_the_raw_script_name() {
    let client = TestClient::new(Microframe::new().mount("/legacy", legacy()).mount("/my%20app", legacy()));
    client.get("/legacy/link").send().await.assert_status(200).assert_body("/legacy/post/7?tab=a+b");
    client.get("/my%20app/link").send().await.assert_status(200).assert_body("/my%20app/post/7?tab=a+b");
    client.get("/my%20app/post/7").send().await.assert_body("SCRIPT_NAME=/my app PATH_INFO=/post/7 raw=/post/7");
}

#[tokio::test]
async fn the_mount_point_without_its_slash_is_308_to_it_with_the_query_kept() {
    let client = TestClient::new(Microframe::new().mount("/legacy", legacy()));
    client.get("/legacy").send().await.assert_status(308).assert_header("location", "/legacy/").assert_body("");
    client.get("/legacy?x=1&y=a+b").send().await.assert_status(308).assert_header("location", "/legacy/?x=1&y=a+b");
}

#[tokio::test]
async fn a_plain_gateway_app_mounted_sees_an_empty_path_info_at_the_mount_point() {
    let client = TestClient::new(Microframe::new().mount("/raw", plain));
    client.get("/raw").send().await.assert_status(200).assert_body("plain SCRIPT_NAME=/raw PATH_INFO=");
    client.get("/raw/").send().await.assert_body("plain SCRIPT_NAME=/raw PATH_INFO=/");
    client.get("/raw/a%20b/c").send().await.assert_body("plain SCRIPT_NAME=/raw PATH_INFO=/a b/c");
}

#[tokio::test]
async fn prefixes_match_whole_raw_segments_case_sensitively() {
    let client = TestClient::new(Microframe::new().mount("/legacy", plain));
    client.get("/legacy/x").send().await.assert_status(200).assert_body("plain SCRIPT_NAME=/legacy PATH_INFO=/x");
    for target in ["/legacyx", "/LEGACY/x", "//legacy/x", "/legacy%2Fx", "/%6cegacy/x", "/x/legacy"] {
        let response = client.get(target).send().await;
        assert_eq!((response.status().as_u16(), response.text()), (404, "Not Found".to_owned()), "{target}");
    }
}

#[tokio::test]
async fn routes_and_mounts_are_tried_in_the_order_they_were_added() {
    let route_first =
        TestClient::new(Microframe::new().get("/legacy/special", || async { "route" }).mount("/legacy", plain));
    route_first.get("/legacy/special").send().await.assert_body("route");
    route_first.get("/legacy/other").send().await.assert_body("plain SCRIPT_NAME=/legacy PATH_INFO=/other");

    let mount_first =
        TestClient::new(Microframe::new().mount("/legacy", plain).get("/legacy/special", || async { "route" }));
    mount_first.get("/legacy/special").send().await.assert_body("plain SCRIPT_NAME=/legacy PATH_INFO=/special");
}

async fn deep(urls: UrlFor, environ: Environ) -> Result<String, UrlError> {
    let url = urls.url_for("deep", &[("x", "a/b")])?;
    Ok(format!("{url} SCRIPT_NAME={} PATH_INFO={}", environ.script_name(), environ.path_info()))
}

#[tokio::test]
async fn nested_mounts_stack_their_prefixes() {
    let inner = Microframe::new().get("/c/<x>", deep).name("deep");
    let middle = Microframe::new().mount("/b", inner).get("/", index);
    let client = TestClient::new(Microframe::new().mount("/a", middle));
    client.get("/a/b/c/y").send().await.assert_status(200).assert_body("/a/b/c/a%2Fb SCRIPT_NAME=/a/b PATH_INFO=/c/y");
    client.get("/a/b/c/a%2Fb").send().await.assert_body("/a/b/c/a%2Fb SCRIPT_NAME=/a/b PATH_INFO=/c/a/b");
    client.get("/a").send().await.assert_status(308).assert_header("location", "/a/");
    client.get("/a/").send().await.assert_body("legacy index");
}
