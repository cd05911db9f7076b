//! Route matching: Bottle patterns, the built-in and a custom converter, a mount, and
//! `url_for` back to what matched.

use std::sync::OnceLock;

use http::Method;
use microframe::{Converter, Microframe, Params, Path, TestClient, UrlFor};

use crate::runtime::{block_on, first_line};

/// Lower-case ASCII words only (a custom converter).
struct Word;

impl Converter for Word {
    type Value = String;
    fn parse(&self, text: &str) -> Option<String> {
        (!text.is_empty() && text.bytes().all(|byte| byte.is_ascii_lowercase())).then(|| text.to_owned())
    }
    fn format(&self, value: &String) -> String {
        value.clone()
    }
}

async fn echo(Path(name): Path<String>, urls: UrlFor) -> String {
    // The URL of what matched, for the round trip.
    urls.url_for("hello", &[("name", &name)]).unwrap_or_default()
}

async fn item(Path(id): Path<i64>) -> String {
    id.to_string()
}

async fn any(params: Params) -> String {
    format!("{params:?}")
}

fn client() -> &'static TestClient {
    static CLIENT: OnceLock<TestClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let blog = Microframe::new().get("/post/<id:int>", item).get("/<rest:path>", any);
        let app = Microframe::new()
            .converter("word", Word)
            .get("/", any)
            .get("/hello/<name>", echo)
            .name("hello")
            .get("/item/<id:int>", item)
            .post("/item/<id:int>", item)
            .get("/x/<v:float>", any)
            .get("/files/<p:path>", any)
            .get("/tag/<t:word>/<n:int>", any)
            .get("/about/", any)
            .mount("/blog", blog);
        TestClient::new(app).without_cookies()
    })
}

/// An arbitrary method (first byte) and target (the rest, up to a line end) routed by an
/// app with every kind of pattern: the answer is 200, 204, 308, 404 or 405, never a 5xx;
/// a name `/hello/<name>` matched is built back by `url_for` into a target that routes to
/// the same name.
///
/// # Panics
/// When routing answers another status or the round trip differs.
///
/// # Examples
/// ```
/// fuzz_checks::routes(b"G/hello/a%2Fb%20c");
/// fuzz_checks::routes(b"P/item/99999999999999999999");
/// fuzz_checks::routes(b"O/blog");
/// ```
pub fn check(data: &[u8]) {
    let Some((&method, rest)) = data.split_first() else { return };
    let (target, _) = first_line(rest);
    let Ok(target) = std::str::from_utf8(target) else { return };
    if !target.starts_with('/') || target.parse::<http::Uri>().is_err() {
        return;
    }
    let method = match method % 5 {
        0 => Method::GET,
        1 => Method::POST,
        2 => Method::HEAD,
        3 => Method::OPTIONS,
        _ => Method::DELETE,
    };
    block_on(async {
        let response = client().request(method.clone(), target).send().await;
        let status = response.status().as_u16();
        assert!(matches!(status, 200 | 204 | 308 | 404 | 405), "{method} {target}: {status}");
        if method == Method::GET && status == 200 && target.starts_with("/hello/") {
            let url = response.text();
            let again = client().get(&url).send().await;
            assert_eq!((again.status().as_u16(), again.text()), (200, url.clone()), "{target} → {url}");
        }
    });
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_target_routes_within_the_contract(method in any::<u8>(), target in "/[a-z0-9/%.:+~-]{0,30}") {
            let mut data = vec![method];
            data.extend(target.bytes());
            super::check(&data);
        }

        #[test]
        fn any_name_round_trips_through_url_for(name in "\\PC{1,12}") {
            let encoded: String = percent_encode(&name);
            super::check(format!("\u{0}/hello/{encoded}").as_bytes());
        }
    }

    fn percent_encode(text: &str) -> String {
        text.bytes().map(|byte| format!("%{byte:02X}")).collect()
    }
}
