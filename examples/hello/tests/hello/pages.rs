//! The three routes at the root: the form, the redirects of `/greet`, the greeting.

use crate::{Checked, form_action};

#[tokio::test]
async fn index_is_a_get_form_with_a_name_input_sent_to_greet() {
    let client = Checked::new();
    let page = client.page("/").await.text();
    assert_eq!(form_action(&page), "/greet");
    assert!(page.contains(r#"<input type="text" name="name">"#), "{page}");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
}

#[tokio::test]
async fn greet_redirects_to_the_hello_page_of_the_name() {
    let client = Checked::new();
    for (target, location) in [
        ("/greet?name=bob", "/hello/bob"),
        ("/greet?name=a+b", "/hello/a%20b"),
        ("/greet?name=a%20b", "/hello/a%20b"),
        ("/greet?name=x/y", "/hello/x%2Fy"),
        ("/greet?name=x%2Fy", "/hello/x%2Fy"),
        ("/greet?name=100%25", "/hello/100%25"),
        ("/greet?name=J%C3%BCrgen", "/hello/J%C3%BCrgen"),
        ("/greet?name=%20bob", "/hello/%20bob"),
        ("/greet?name=bob&other=1", "/hello/bob"),
        ("/greet?name=a.b_c-d~e", "/hello/a.b_c-d~e"),
    ] {
        assert_eq!(client.redirect(target).await, location, "{target}");
    }
    let location = client.redirect("/greet?name=a+b").await;
    client.page(&location).await.assert_body_contains("Hello a b!");
}

#[tokio::test]
async fn a_name_with_a_slash_survives_the_round_trip() {
    let client = Checked::new();
    let location = client.redirect("/greet?name=x/y").await;
    assert_eq!(location, "/hello/x%2Fy");
    client.page(&location).await.assert_body_contains("Hello x/y!");
}

#[tokio::test]
async fn a_missing_or_blank_name_goes_back_to_the_form() {
    let client = Checked::new();
    for target in ["/greet", "/greet?", "/greet?name=", "/greet?name=+", "/greet?name=%20%09", "/greet?other=bob"] {
        assert_eq!(client.redirect(target).await, "/", "{target}");
    }
}

#[tokio::test]
async fn a_name_given_twice_is_a_400_naming_the_field() {
    let client = Checked::new();
    let response = client.get("/greet?name=a&name=b").send().await.assert_status(400);
    let body = response.text();
    assert!(body.starts_with("Failed to deserialize query string: name: "), "{body}");
}

#[tokio::test]
async fn hello_greets_the_name_with_a_link_back_to_the_form() {
    let client = Checked::new();
    let page = client.page("/hello/bob").await.text();
    assert!(page.contains("<h1>Hello bob!</h1>"), "{page}");
    assert!(page.contains(r#"<a href="/">"#), "{page}");
}

#[tokio::test]
async fn dot_names_are_redirected_as_dot_segments_and_served_literally() {
    let client = Checked::new();
    for (name, location, greeting) in [("..", "/hello/..", "Hello ..!"), (".", "/hello/.", "Hello .!")] {
        assert_eq!(client.redirect(&format!("/greet?name={name}")).await, location);
        client.page(location).await.assert_body_contains(greeting);
    }
    client.page("/hello/%2e%2e").await.assert_body_contains("Hello ..!");
}

#[tokio::test]
async fn head_sends_the_get_headers_without_a_body() {
    let client = Checked::new();
    for target in ["/", "/hello/bob"] {
        let get = client.get(target).send().await;
        let head = client.head(target).send().await.assert_status(200).assert_body("");
        for name in ["content-type", "content-length"] {
            assert_eq!(head.header(name), get.header(name), "{name} of HEAD {target}");
        }
    }
    client.head("/greet?name=bob").send().await.assert_status(303).assert_header("location", "/hello/bob");
}

// ANCHOR: status_contract
#[tokio::test]
async fn other_methods_and_paths_follow_the_status_contract() {
    let client = Checked::new();
    for target in ["/", "/greet", "/hello/bob"] {
        client.post(target).send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS");
        client.options(target).send().await.assert_status(204).assert_header("allow", "GET, HEAD, OPTIONS");
    }
    for target in ["/nope", "/greet/", "/hello", "/hello/", "/hello/bob/", "/hello/a/b"] {
        let response = client.get(target).send().await;
        assert_eq!(response.status(), 404, "{target}");
        response.assert_body("Not Found");
    }
}
// ANCHOR_END: status_contract
