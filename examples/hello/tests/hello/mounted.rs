//! The app mounted under a prefix: every URL it builds carries the prefix.

use microframe::Microframe;

use crate::{Checked, form_action};

fn legacy() -> Checked {
    Checked::around(Microframe::new().mount("/legacy", example_hello::app()))
}

#[tokio::test]
async fn the_form_and_the_redirects_carry_the_prefix() {
    let client = legacy();
    let page = client.page("/legacy/").await.text();
    assert_eq!(form_action(&page), "/legacy/greet");
    assert_eq!(client.redirect("/legacy/greet?name=bob").await, "/legacy/hello/bob");
    assert_eq!(client.redirect("/legacy/greet?name=x/y").await, "/legacy/hello/x%2Fy");
    assert_eq!(client.redirect("/legacy/greet?name=").await, "/legacy/");
    let page = client.page("/legacy/hello/bob").await.text();
    assert!(page.contains("Hello bob!") && page.contains(r#"<a href="/legacy/">"#), "{page}");
}

#[tokio::test]
async fn the_mount_point_without_its_slash_is_a_308() {
    let client = legacy();
    client.get("/legacy").send().await.assert_status(308).assert_header("location", "/legacy/").assert_body("");
    client.get("/legacy?x=1").send().await.assert_status(308).assert_header("location", "/legacy/?x=1");
    for target in ["/", "/greet?name=bob", "/legacyx", "/LEGACY/", "//legacy/", "/legacy%2Fgreet"] {
        let response = client.get(target).send().await;
        assert_eq!(response.status(), 404, "{target}");
    }
}

#[tokio::test]
async fn a_visitor_walks_from_the_mount_point_to_the_greeting() {
    let client = legacy();
    let start = client.get("/legacy").send().await.assert_status(308);
    let page = client.page(start.header("location").expect("a Location")).await.text();
    let action = form_action(&page).to_owned();
    let location = client.redirect(&format!("{action}?name=x%2Fy")).await;
    assert_eq!(location, "/legacy/hello/x%2Fy");
    client.page(&location).await.assert_body_contains("Hello x/y!");
}

#[tokio::test]
async fn nested_and_encoded_prefixes_are_kept_raw() {
    let nested = Checked::around(Microframe::new().mount("/a", Microframe::new().mount("/b", example_hello::app())));
    assert_eq!(form_action(&nested.page("/a/b/").await.text()), "/a/b/greet");
    assert_eq!(nested.redirect("/a/b/greet?name=bob").await, "/a/b/hello/bob");

    let encoded = Checked::around(Microframe::new().mount("/l%C3%A9gacy", example_hello::app()));
    assert_eq!(form_action(&encoded.page("/l%C3%A9gacy/").await.text()), "/l%C3%A9gacy/greet");
    assert_eq!(encoded.redirect("/l%C3%A9gacy/greet?name=bob").await, "/l%C3%A9gacy/hello/bob");
}
