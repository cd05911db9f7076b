//! Cookies: the defaults (Path = mount prefix, HttpOnly, SameSite=Lax, Secure on https),
//! one `Set-Cookie` per cookie, unsendable cookies refused at the call, odd `Cookie`
//! headers, signed and private jars with key rotation, and the test client's jar.

use microframe::{Cookie, Cookies, Microframe, PrivateCookies, SameSite, SignedCookies, TestClient};

async fn set_three(cookies: Cookies) -> &'static str {
    cookies.add(("a", "1")).expect("sendable");
    cookies.add(("b", "two words; and more")).expect("sendable");
    cookies.add(Cookie::build(("c", "3")).path("/c").http_only(false).same_site(SameSite::Strict)).expect("sendable");
    "set"
}

fn set_cookies(response: &microframe::TestResponse) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn every_cookie_is_its_own_set_cookie_with_the_defaults_where_it_sets_none() {
    let response = TestClient::new(Microframe::new().get("/", set_three)).get("/").send().await;
    let set = set_cookies(&response);
    assert_eq!(set.len(), 3, "{set:?}");
    assert!(set.contains(&"a=1; HttpOnly; SameSite=Lax; Path=/".to_owned()), "{set:?}");
    assert!(set.contains(&"b=two%20words%3B%20and%20more; HttpOnly; SameSite=Lax; Path=/".to_owned()), "{set:?}");
    assert!(set.contains(&"c=3; SameSite=Strict; Path=/c".to_owned()), "its own attributes win: {set:?}");
}

#[tokio::test]
async fn the_default_path_is_the_mount_prefix_and_https_adds_secure() {
    let blog = Microframe::new().get("/", set_three);
    let client = TestClient::new(Microframe::new().mount("/blog", blog));
    let set = set_cookies(&client.get("/blog/").send().await);
    assert!(set.contains(&"a=1; HttpOnly; SameSite=Lax; Path=/blog".to_owned()), "{set:?}");
    let set = set_cookies(&client.get("https://shop.example/blog/").send().await);
    assert!(set.contains(&"a=1; HttpOnly; SameSite=Lax; Secure; Path=/blog".to_owned()), "{set:?}");
}

async fn unsendable(cookies: Cookies) -> String {
    let attempts = [
        cookies.add(("", "no name")),
        cookies.add(Cookie::build(("p", "1")).path("/; Domain=evil.example")),
        cookies.add(Cookie::build(("d", "1")).domain("shop.example\r\nX-Injected: 1")),
    ];
    attempts.iter().map(|result| format!("{result:?}\n")).collect()
}

#[tokio::test]
async fn a_cookie_that_cannot_be_sent_is_refused_at_the_call() {
    let response = TestClient::new(Microframe::new().get("/", unsendable)).get("/").send().await;
    let response = response.assert_status(200).assert_no_header("set-cookie");
    let text = response.text();
    assert_eq!(text.matches("Err(CookieError").count(), 3, "{text}");
}

async fn read(cookies: Cookies) -> String {
    let names = ["a", "dup", "latin", "c199", "missing"];
    names.iter().map(|name| format!("{name}={:?};", cookies.get(name))).collect()
}

#[tokio::test]
async fn odd_cookie_headers_read_without_a_500() {
    let client = TestClient::new(Microframe::new().get("/", read)).without_cookies();
    let many: Vec<String> = (0..200).map(|n| format!("c{n}={n}")).collect();
    let header = format!("a=1; dup=first; dup=second; {}; junk; =; ;", many.join("; "));
    client
        .get("/")
        .header("cookie", &header)
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"a=Some("1");dup=Some("first");latin=None;c199=Some("199");missing=None;"#);
    // Bytes outside ASCII (Latin-1 in the header) are read as text, not refused.
    let request = http::Request::get("/")
        .header("cookie", http::HeaderValue::from_bytes(b"latin=caf\xe9; a=2").expect("obs-text is allowed"))
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .expect("a request");
    let reply = test_support::in_process::send(Microframe::new().get("/", read), request).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), r#"a=Some("2");dup=None;latin=Some("café");c199=None;missing=None;"#);
}

async fn sign_in(signed: SignedCookies, private: PrivateCookies) -> &'static str {
    signed.add(("user", "ann")).expect("sendable");
    private.add(("card", "4111")).expect("sendable");
    "in"
}

async fn show(signed: SignedCookies, private: PrivateCookies) -> String {
    format!("{:?} {:?}", signed.get("user"), private.get("card"))
}

fn secure_app(key: [u8; 32]) -> Microframe {
    Microframe::new().secret_key(key).post("/in", sign_in).get("/show", show)
}

#[tokio::test]
async fn signed_and_private_jars_read_what_they_wrote_and_refuse_changes_and_foreign_keys() {
    let client = TestClient::new(secure_app([1; 32]));
    client.post("/in").send().await.assert_status(200);
    client.get("/show").send().await.assert_body(r#"Some("ann") Some("4111")"#);
    let signed = client.cookie("user").expect("the signed cookie");
    let sealed = client.cookie("card").expect("the private cookie");
    assert!(signed.ends_with("ann") && !sealed.contains("4111"), "{signed} {sealed}");

    let other = TestClient::new(secure_app([2; 32])).without_cookies();
    let both = format!(
        "user={}; card={}",
        Cookie::new("", signed.clone()).encoded().to_string().trim_start_matches('='),
        Cookie::new("", sealed.clone()).encoded().to_string().trim_start_matches('=')
    );
    other.get("/show").header("cookie", &both).send().await.assert_body("None None");
    let forged = format!("user={}", signed.replace("ann", "bob"));
    TestClient::new(secure_app([1; 32]))
        .without_cookies()
        .get("/show")
        .header("cookie", &forged)
        .send()
        .await
        .assert_body("None None");
}

#[tokio::test]
async fn a_fallback_key_still_reads_signed_and_private_cookies() {
    let old = TestClient::new(secure_app([1; 32]));
    old.post("/in").send().await;
    let header = format!(
        "user={}; card={}",
        Cookie::new("x", old.cookie("user").unwrap_or_default()).encoded().to_string().trim_start_matches("x="),
        Cookie::new("x", old.cookie("card").unwrap_or_default()).encoded().to_string().trim_start_matches("x=")
    );
    let rotated = Microframe::new().secret_key([3; 32]).secret_key_fallbacks([[1; 32]]).get("/show", show);
    TestClient::new(rotated)
        .without_cookies()
        .get("/show")
        .header("cookie", &header)
        .send()
        .await
        .assert_body(r#"Some("ann") Some("4111")"#);
}

async fn set_paths(cookies: Cookies) -> &'static str {
    cookies.add(Cookie::build(("scoped", "yes")).path("/admin")).expect("sendable");
    cookies
        .add(Cookie::build(("short", "lived")).max_age(microframe::cookie::time::Duration::seconds(0)))
        .expect("sendable");
    cookies.add(("everywhere", "yes")).expect("sendable");
    "set"
}

async fn echo_cookie(environ: gateway_core::Environ) -> String {
    environ.header("cookie").unwrap_or_default().into_owned()
}

#[tokio::test]
async fn the_test_clients_jar_honours_path_max_age_and_removal() {
    async fn remove(cookies: Cookies) -> &'static str {
        cookies.remove("everywhere");
        "removed"
    }
    let app = Microframe::new()
        .get("/set", set_paths)
        .get("/remove", remove)
        .get("/echo", echo_cookie)
        .get("/admin/echo", echo_cookie);
    let client = TestClient::new(app);
    client.get("/set").send().await;
    client.get("/echo").send().await.assert_body("everywhere=yes");
    client.get("/admin/echo").send().await.assert_body("scoped=yes; everywhere=yes");
    client.get("/remove").send().await;
    client.get("/echo").send().await.assert_body("");
    assert_eq!(client.cookie("short"), None, "Max-Age=0 is a removal");
}
