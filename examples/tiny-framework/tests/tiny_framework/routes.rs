//! Routing: pages, converters, 404/405/OPTIONS/HEAD, the trailing slash, the mounted blog,
//! and no path normalisation.

use crate::{Checked, HTML, TEXT};

#[tokio::test]
async fn index_and_about_are_html_pages() {
    let client = Checked::new();
    client.get("/").send().await.assert_status(200).assert_header("content-type", HTML).assert_body("Index");
    client.get("/about/").send().await.assert_status(200).assert_header("content-type", HTML).assert_body("About");
}

#[tokio::test]
async fn hello_greets_the_path_segment_in_html() {
    let client = Checked::new();
    client
        .get("/hello/bob")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", HTML)
        .assert_header("content-length", "10")
        .assert_body("Hello bob!");
    client.get("/hello/J%C3%BCrgen%20M").send().await.assert_body("Hello Jürgen M!");
}

#[tokio::test]
async fn item_prints_the_parsed_i64() {
    let client = Checked::new();
    for (target, body) in [
        ("/item/007", "Item 7"),
        ("/item/-3", "Item -3"),
        ("/item/0", "Item 0"),
        ("/item/-0", "Item 0"),
        ("/item/9223372036854775807", "Item 9223372036854775807"),
        ("/item/-9223372036854775808", "Item -9223372036854775808"),
    ] {
        client.get(target).send().await.assert_status(200).assert_header("content-type", HTML).assert_body(body);
    }
}

#[tokio::test]
async fn item_that_is_not_an_i64_is_not_found() {
    let client = Checked::new();
    for target in [
        "/item/x",
        "/item/1.5",
        "/item/+7",
        "/item/-",
        "/item/",
        "/item/7x",
        "/item/9223372036854775808",
        "/item/99999999999999999999",
    ] {
        let response = client.get(target).send().await;
        assert_eq!(response.status(), 404, "{target}");
        response.assert_header("content-type", TEXT).assert_body("Not Found");
    }
}

#[tokio::test]
async fn unknown_paths_are_not_found() {
    let client = Checked::new();
    for target in ["/nope", "/hello", "/hello/", "/hello/bob/", "/hello/bob/x", "/about/x", "/blog", "/blog/"] {
        let response = client.get(target).send().await;
        assert_eq!(response.status(), 404, "{target}");
        response.assert_header("content-type", TEXT).assert_body("Not Found");
    }
}

#[tokio::test]
async fn a_known_path_with_another_method_is_405_with_allow() {
    let client = Checked::new();
    for target in ["/", "/hello/bob", "/item/7", "/about/"] {
        for request in [client.post(target), client.put(target), client.delete(target)] {
            request
                .send()
                .await
                .assert_status(405)
                .assert_header("allow", "GET, HEAD, OPTIONS")
                .assert_header("content-type", TEXT)
                .assert_body("Method Not Allowed");
        }
    }
}

#[tokio::test]
async fn options_is_204_with_the_same_allow() {
    let client = Checked::new();
    for target in ["/hello/bob", "/", "/blog/post/7"] {
        client
            .options(target)
            .send()
            .await
            .assert_status(204)
            .assert_header("allow", "GET, HEAD, OPTIONS")
            .assert_body("");
    }
    client.options("/nope").send().await.assert_status(404);
}

#[tokio::test]
async fn head_sends_the_get_headers_without_a_body() {
    let client = Checked::new();
    for target in ["/hello/bob", "/item/7", "/blog/post/7"] {
        let get = client.get(target).send().await;
        let head = client.head(target).send().await.assert_status(200).assert_body("");
        for name in ["content-type", "content-length"] {
            assert_eq!(head.header(name), get.header(name), "{name} of HEAD {target}");
        }
    }
}

#[tokio::test]
async fn a_missing_trailing_slash_is_a_308_that_keeps_the_query() {
    let client = Checked::new();
    client.get("/about").send().await.assert_status(308).assert_header("location", "/about/").assert_body("");
    client.get("/about?x=1").send().await.assert_status(308).assert_header("location", "/about/?x=1");
    client.head("/about").send().await.assert_status(308).assert_header("location", "/about/");
}

#[tokio::test]
async fn the_blog_sees_its_mount_point_and_builds_urls_under_it() {
    let client = Checked::new();
    client
        .get("/blog/post/7")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", TEXT)
        .assert_body("SCRIPT_NAME=/blog PATH_INFO=/post/7 url=/blog/post/7");
    // The URL is built from the parsed i64, so it is canonical.
    client.get("/blog/post/007").send().await.assert_body("SCRIPT_NAME=/blog PATH_INFO=/post/007 url=/blog/post/7");
    client.get("/blog/post/x").send().await.assert_status(404).assert_body("Not Found");
    client.post("/blog/post/7").send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS");
}

#[tokio::test]
async fn dot_segments_and_encoded_slashes_are_not_normalised() {
    let client = Checked::new();
    for (target, body) in [
        ("/hello/..", "Hello ..!"),
        ("/hello/%2e%2e", "Hello ..!"),
        ("/hello/%2E%2E", "Hello ..!"),
        ("/hello/.", "Hello .!"),
        ("/hello/a%2Fb", "Hello a/b!"),
        ("/hello/a%2fb", "Hello a/b!"),
    ] {
        client.get(target).send().await.assert_status(200).assert_body(body);
    }
    // Normalised, each of these would reach a route; literally, none does.
    for target in ["/x/../", "/hello/bob/..", "/item/1/../2", "/blog/../about/", "/hello%2Fbob", "//about/"] {
        let response = client.get(target).send().await;
        assert_eq!(response.status(), 404, "{target}");
    }
}
