//! Cross-site request protection, on by default: the `Sec-Fetch-Site` and `Origin` rules,
//! 403 `Forbidden` after routing (404, 405 and OPTIONS unchanged), mounted apps, trusted
//! origins, and the switches per app and per route.

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;
use microframe::{ErrorStatus, Microframe, TestClient, TestRequest};

async fn save() -> &'static str {
    "saved"
}

async fn plain(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, ()).body("plain saved")
}

fn app() -> Microframe {
    Microframe::new()
        .post("/save", save)
        .put("/save", save)
        .patch("/save", save)
        .delete("/save", save)
        .get("/page", save)
}

fn with_headers(request: TestRequest, headers: &[(&str, &str)]) -> TestRequest {
    headers.iter().fold(request, |request, (name, value)| request.header(name, value))
}

/// The status of a POST to `/save` with `headers` (through `Host: shop.example`).
async fn post_status(client: &TestClient, headers: &[(&str, &str)]) -> u16 {
    let request = client.post("/save").header("host", "shop.example");
    with_headers(request, headers).send().await.status().as_u16()
}

#[tokio::test]
async fn cross_site_posts_in_every_form_are_403() {
    let client = TestClient::new(app());
    let refused: [&[(&str, &str)]; 9] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "something-new")],
        &[("sec-fetch-site", "cross-site"), ("origin", "http://shop.example")],
        &[("origin", "http://evil.example")],
        &[("origin", "null")],
        &[("origin", "http://shop.example:8080")],
        &[("origin", "https://shop.example")],
        &[("origin", "not an origin")],
    ];
    for headers in refused {
        assert_eq!(post_status(&client, headers).await, 403, "{headers:?}");
    }
    let response = with_headers(client.post("/save"), &[("sec-fetch-site", "cross-site")]).send().await;
    response.assert_status(403).assert_header("content-type", "text/plain; charset=utf-8").assert_body("Forbidden");
}

#[tokio::test]
async fn same_origin_requests_and_requests_without_either_header_pass() {
    let client = TestClient::new(app());
    let passed: [&[(&str, &str)]; 6] = [
        &[("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        &[],
        &[("origin", "http://shop.example")],
        &[("origin", "http://SHOP.example:80")],
        &[("sec-fetch-site", "same-origin"), ("origin", "http://other.example")],
    ];
    for headers in passed {
        assert_eq!(post_status(&client, headers).await, 200, "{headers:?}");
    }
}

#[tokio::test]
async fn every_unsafe_method_is_checked_and_safe_ones_are_not() {
    let client = TestClient::new(app());
    let cross = [("sec-fetch-site", "cross-site")];
    for method in [http::Method::PUT, http::Method::PATCH, http::Method::DELETE] {
        let request = with_headers(client.request(method.clone(), "/save"), &cross);
        assert_eq!(request.send().await.status(), 403, "{method}");
    }
    with_headers(client.get("/page"), &cross).send().await.assert_status(200);
    with_headers(client.head("/page"), &cross).send().await.assert_status(200);
}

#[tokio::test]
async fn without_host_the_own_origin_is_server_name_and_port() {
    let client = TestClient::new(app());
    // In process with no Host: SERVER_NAME localhost, SERVER_PORT 80.
    client.post("/save").header("origin", "http://localhost").send().await.assert_status(200);
    client.post("/save").header("origin", "http://localhost:8080").send().await.assert_status(403);
}

#[tokio::test]
async fn the_check_runs_after_routing_so_404_405_and_options_are_unchanged() {
    let client = TestClient::new(app());
    let cross = [("sec-fetch-site", "cross-site")];
    with_headers(client.post("/nope"), &cross).send().await.assert_status(404).assert_body("Not Found");
    with_headers(client.post("/page"), &cross).send().await.assert_status(405);
    with_headers(client.options("/save"), &cross).send().await.assert_status(204);
}

async fn forbidden_page(ErrorStatus(status): ErrorStatus) -> String {
    format!("page {}", status.as_u16())
}

#[tokio::test]
async fn the_refusal_is_rendered_by_a_403_error_handler() {
    let client = TestClient::new(app().error_handler(StatusCode::FORBIDDEN, forbidden_page));
    with_headers(client.post("/save"), &[("origin", "http://evil.example")])
        .send()
        .await
        .assert_status(403)
        .assert_body("page 403");
}

#[tokio::test]
async fn mounted_apps_are_covered() {
    let sub = Microframe::new().post("/save", save);
    let client = TestClient::new(Microframe::new().mount("/shop", sub).mount("/legacy", plain));
    let cross = [("sec-fetch-site", "cross-site")];
    with_headers(client.post("/shop/save"), &cross).send().await.assert_status(403);
    with_headers(client.post("/legacy/anything"), &cross).send().await.assert_status(403);
    client.post("/legacy/anything").send().await.assert_status(200).assert_body("plain saved");
    // A mounted microframe checks at its own routes: its 404 stays a 404.
    with_headers(client.post("/shop/nope"), &cross).send().await.assert_status(404);
}

#[tokio::test]
async fn listed_origins_are_trusted() {
    let client = TestClient::new(app().trusted_origin("https://admin.example"));
    let trusted = [("sec-fetch-site", "cross-site"), ("origin", "https://admin.example")];
    with_headers(client.post("/save"), &trusted).send().await.assert_status(200);
    with_headers(client.post("/save"), &[("origin", "https://admin.example:443")]).send().await.assert_status(200);
    with_headers(client.post("/save"), &[("origin", "http://admin.example")]).send().await.assert_status(403);
}

#[tokio::test]
async fn the_protection_can_be_off_per_app_per_route_and_per_mount() {
    let cross = [("sec-fetch-site", "cross-site")];
    let off = TestClient::new(app().cross_site_protection(false));
    with_headers(off.post("/save"), &cross).send().await.assert_status(200);

    let per_route = TestClient::new(
        Microframe::new()
            .post("/hook", save)
            .allow_cross_site()
            .post("/save", save)
            .mount("/open", plain)
            .allow_cross_site(),
    );
    with_headers(per_route.post("/hook"), &cross).send().await.assert_status(200);
    with_headers(per_route.post("/save"), &cross).send().await.assert_status(403);
    with_headers(per_route.post("/open/x"), &cross).send().await.assert_status(200);

    let sub_off = Microframe::new().cross_site_protection(false).post("/save", save);
    let parent = TestClient::new(Microframe::new().mount("/sub", sub_off));
    with_headers(parent.post("/sub/save"), &cross).send().await.assert_status(200);
}

#[test]
#[should_panic(expected = "is not an origin")]
fn a_trusted_origin_that_is_not_an_origin_panics() {
    let _ = Microframe::new().trusted_origin("https://admin.example/path");
}
