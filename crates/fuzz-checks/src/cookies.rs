//! The `Cookie` header: the plain, signed and private jars and the session cookie read
//! from it, and cookies set from untrusted text.

use std::sync::OnceLock;

use microframe::{Cookie, Cookies, Flash, Microframe, PrivateCookies, Session, SignedCookies, TestClient};

async fn read_everything(
    cookies: Cookies,
    signed: SignedCookies,
    private: PrivateCookies,
    session: Session,
    flash: Flash,
) -> String {
    let mut seen = Vec::new();
    for name in ["a", "session", "s", "p", "", "a b"] {
        seen.push(format!("{:?}{:?}{:?}", cookies.get(name), signed.get(name), private.get(name)));
    }
    seen.push(format!("{:?}", session.get::<serde_json::Value>("user")));
    seen.push(format!("{:?}", flash.take().len()));
    // Untrusted text as a cookie value and name: sent, or refused at the call.
    let value = cookies.get("a").unwrap_or_default();
    let _ = cookies.add(Cookie::new("echo", value.clone()));
    let _ = cookies.add(Cookie::new(value, "1"));
    session.insert("seen", seen.len()).expect("a number is JSON");
    seen.join("")
}

fn client() -> &'static TestClient {
    static CLIENT: OnceLock<TestClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let app = Microframe::new().secret_key(*b"fuzz key material, 32 bytes long").get("/", read_everything);
        TestClient::new(app).without_cookies()
    })
}

/// An arbitrary `Cookie` header to an app that reads every jar and the session and sets
/// cookies from what it read: always 200 with well-formed `Set-Cookie` headers (a cookie
/// that cannot be sent is refused at the call, a session that does not open is empty).
///
/// # Panics
/// When the answer is not 200 or a `Set-Cookie` does not parse.
///
/// # Examples
/// ```
/// fuzz_checks::cookies(b"a=1; a=2; session=AAAA; s=%ZZ; =x; p");
/// fuzz_checks::cookies(b"a=\"quoted; value\"; b=\xff");
/// ```
pub fn check(data: &[u8]) {
    let Ok(header) = http::HeaderValue::from_bytes(data) else { return };
    let Ok(header) = header.to_str() else { return };
    crate::runtime::block_on(async {
        let response = client().get("/").header("cookie", header).send().await;
        assert_eq!(response.status(), 200, "{header:?}: {}", response.text());
        for set_cookie in response.headers().get_all("set-cookie") {
            let text = set_cookie.to_str().expect("a Set-Cookie is visible ASCII");
            assert!(Cookie::parse_encoded(text).is_ok(), "{text:?}");
        }
    });
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_cookie_header_is_read_safely(pairs in proptest::collection::vec(("[a-z ]{0,4}", "[ -~]{0,12}"), 0..5)) {
            let header: Vec<String> = pairs.iter().map(|(name, value)| format!("{name}={value}")).collect();
            super::check(header.join("; ").as_bytes());
        }
    }
}
