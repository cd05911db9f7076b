//! Sessions and flash messages: the private cookie `session` with JSON values, what makes
//! it empty (never a 500), the 4 KiB bound, key rotation, permanence, and the session in
//! error handlers; a sign-in flow through the test client's cookie jar.

use http::StatusCode;
use microframe::{Abort, Flash, Microframe, Redirect, Session, TestClient};

const KEY: [u8; 32] = [11; 32];
const OTHER_KEY: [u8; 32] = [22; 32];

async fn remember(session: Session) -> &'static str {
    session.insert("user", "ann").expect("a string is JSON");
    "remembered"
}

async fn whoami(session: Session) -> String {
    session.get::<String>("user").unwrap_or_else(|| "nobody".to_owned())
}

async fn big(session: Session) -> &'static str {
    session.insert("blob", "x".repeat(5000)).expect("a string is JSON");
    "too big"
}

fn app(key: [u8; 32]) -> Microframe {
    Microframe::new().secret_key(key).post("/remember", remember).get("/me", whoami).post("/big", big)
}

/// The `session=...` pair of a response's `Set-Cookie`, as a browser sends it back.
fn session_pair(response: &microframe::TestResponse) -> String {
    let set = response.header("set-cookie").expect("a Set-Cookie header");
    set.split(';').next().expect("a name=value pair").to_owned()
}

async fn sealed_session(key: [u8; 32]) -> String {
    let response = TestClient::new(app(key)).post("/remember").send().await.assert_status(200);
    session_pair(&response)
}

#[tokio::test]
async fn a_session_is_one_private_cookie_with_the_defaults() {
    let response = TestClient::new(app(KEY)).post("/remember").send().await;
    let set = response.header("set-cookie").expect("a Set-Cookie header").to_owned();
    assert!(set.starts_with("session="), "{set}");
    assert!(!set.contains("ann"), "the value is encrypted: {set}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    assert!(!set.contains("Max-Age") && !set.contains("Expires"), "a browser-session cookie: {set}");
    assert_eq!(response.headers().get_all("set-cookie").iter().count(), 1);
}

#[tokio::test]
async fn the_session_reads_back_and_an_unmodified_one_writes_no_cookie() {
    let pair = sealed_session(KEY).await;
    let client = TestClient::new(app(KEY)).without_cookies();
    client.get("/me").header("cookie", &pair).send().await.assert_body("ann").assert_no_header("set-cookie");
    client.get("/me").send().await.assert_body("nobody").assert_no_header("set-cookie");
}

#[tokio::test]
async fn a_broken_session_cookie_is_an_empty_session_never_a_500() {
    let pair = sealed_session(KEY).await;
    let value = pair.strip_prefix("session=").expect("the session cookie");
    let mut tampered = value.to_owned().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let cases = [
        format!("session={}", String::from_utf8_lossy(&tampered)),
        format!("session={}", &value[..value.len() / 2]),
        "session=!!!not-base64***".to_owned(),
        "session=".to_owned(),
        sealed_session(OTHER_KEY).await,
        format!("session={}", "A".repeat(5 * 1024)),
    ];
    let client = TestClient::new(app(KEY)).without_cookies();
    for cookie in cases {
        let response = client.get("/me").header("cookie", &cookie).send().await;
        response.assert_status(200).assert_body("nobody").assert_no_header("set-cookie");
    }
}

#[tokio::test]
async fn a_session_that_would_pass_4_kib_is_500_with_the_size_logged() {
    let client = TestClient::new(app(KEY));
    let (logs, _guard) = super::capture_logs();
    client
        .post("/big")
        .send()
        .await
        .assert_status(500)
        .assert_body("Internal Server Error")
        .assert_no_header("set-cookie");
    let logs = logs.text();
    assert!(logs.contains("ERROR") && logs.contains("over the 4096"), "{logs}");
    assert!(logs.contains("size="), "the size is logged: {logs}");
}

#[tokio::test]
async fn an_old_key_still_reads_and_the_session_is_rewritten_with_the_new_key_only_when_it_changes() {
    let old_pair = sealed_session(OTHER_KEY).await;
    let rotated = Microframe::new()
        .secret_key(KEY)
        .secret_key_fallbacks([OTHER_KEY])
        .get("/me", whoami)
        .post("/remember", remember);
    let client = TestClient::new(rotated).without_cookies();
    client.get("/me").header("cookie", &old_pair).send().await.assert_body("ann").assert_no_header("set-cookie");
    let response = client.post("/remember").header("cookie", &old_pair).send().await;
    let new_pair = session_pair(&response);
    // The rewritten cookie opens with the new key alone, and no longer with the old one.
    let new_only = TestClient::new(app(KEY)).without_cookies();
    new_only.get("/me").header("cookie", &new_pair).send().await.assert_body("ann");
    let old_only = TestClient::new(app(OTHER_KEY)).without_cookies();
    old_only.get("/me").header("cookie", &new_pair).send().await.assert_body("nobody");
}

async fn stay(session: Session) -> &'static str {
    session.insert("user", "ann").expect("JSON");
    session.set_permanent(true);
    "staying"
}

#[tokio::test]
async fn a_permanent_session_has_max_age_of_the_lifetime() {
    let app = Microframe::new().secret_key(KEY).post("/", stay);
    let set = TestClient::new(app).post("/").send().await.header("set-cookie").unwrap_or_default().to_owned();
    assert!(set.contains(&format!("Max-Age={}", 31 * 24 * 3600)), "31 days by default: {set}");
    let app = Microframe::new().secret_key(KEY).session_lifetime(std::time::Duration::from_secs(60)).post("/", stay);
    let set = TestClient::new(app).post("/").send().await.header("set-cookie").unwrap_or_default().to_owned();
    assert!(set.contains("Max-Age=60"), "{set}");
}

async fn stored_number(session: Session) -> &'static str {
    session.insert("count", "not a number any more").expect("JSON");
    "stored"
}

async fn read_number(session: Session) -> String {
    format!("{:?}", session.get::<u32>("count"))
}

#[tokio::test]
async fn a_value_that_no_longer_fits_its_type_is_none() {
    let app = Microframe::new().secret_key(KEY).post("/store", stored_number).get("/read", read_number);
    let client = TestClient::new(app);
    client.post("/store").send().await;
    client.get("/read").send().await.assert_status(200).assert_body("None");
}

async fn clear(session: Session) -> &'static str {
    session.clear();
    "cleared"
}

#[tokio::test]
async fn clearing_the_session_removes_the_cookie() {
    let app = Microframe::new().secret_key(KEY).post("/remember", remember).post("/clear", clear).get("/me", whoami);
    let client = TestClient::new(app);
    client.post("/remember").send().await;
    assert!(client.cookie("session").is_some());
    let response = client.post("/clear").send().await;
    assert!(response.header("set-cookie").unwrap_or_default().contains("Max-Age=0"), "a removal cookie");
    assert_eq!(client.cookie("session"), None);
    client.get("/me").send().await.assert_body("nobody");
}

async fn sign(session: Session, flash: Flash) -> Redirect {
    session.insert("name", "ann").expect("JSON");
    flash.push("success", "Thanks for signing, ann!");
    Redirect::to("/")
}

async fn index(session: Session, flash: Flash) -> String {
    let messages: Vec<String> = flash.take().into_iter().map(|m| format!("{}: {}", m.category, m.message)).collect();
    format!("name={:?} flashes={messages:?}", session.get::<String>("name"))
}

#[tokio::test]
async fn sign_redirect_see_the_flash_once_and_stay_remembered() {
    let app = Microframe::new().secret_key(KEY).post("/sign", sign).get("/", index);
    let client = TestClient::new(app);
    client
        .post("/sign")
        .follow_redirects()
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"name=Some("ann") flashes=["success: Thanks for signing, ann!"]"#);
    client.get("/").send().await.assert_body(r#"name=Some("ann") flashes=[]"#);
}

async fn many_flashes(flash: Flash) -> &'static str {
    for n in 0..40 {
        flash.push("info", format!("message {n}"));
    }
    "pushed"
}

#[tokio::test]
async fn unread_flashes_are_bounded_to_the_newest_16() {
    let app = Microframe::new().secret_key(KEY).post("/push", many_flashes).get("/", index);
    let client = TestClient::new(app);
    client.post("/push").send().await.assert_status(200);
    let body = client.get("/").send().await.text();
    assert!(body.contains("info: message 24") && body.contains("info: message 39"), "{body}");
    assert!(!body.contains("message 23\""), "{body}");
    assert_eq!(body.matches("info: ").count(), microframe::MAX_FLASHES);
}

async fn forbidden_with_flash(flash: Flash) -> Abort {
    flash.push("error", "Not for you.");
    Abort::new(StatusCode::FORBIDDEN)
}

async fn forbidden_page(session: Session, flash: Flash) -> String {
    let messages: Vec<String> = flash.take().into_iter().map(|m| m.message).collect();
    format!("403 for {:?}: {messages:?}", session.get::<String>("user"))
}

#[tokio::test]
async fn an_error_handler_reaches_the_session_as_the_handler_left_it() {
    let app = Microframe::new()
        .secret_key(KEY)
        .post("/remember", remember)
        .get("/admin", forbidden_with_flash)
        .error_handler(StatusCode::FORBIDDEN, forbidden_page);
    let client = TestClient::new(app);
    client.post("/remember").send().await;
    client.get("/admin").send().await.assert_status(403).assert_body(r#"403 for Some("ann"): ["Not for you."]"#);
}

#[tokio::test]
async fn a_mounted_app_without_a_key_uses_its_parents_and_its_own_cookie_path() {
    let blog = Microframe::new().post("/remember", remember).get("/me", whoami);
    let client = TestClient::new(Microframe::new().secret_key(KEY).mount("/blog", blog));
    let response = client.post("/blog/remember").send().await;
    assert!(
        response.header("set-cookie").unwrap_or_default().contains("Path=/blog"),
        "{:?}",
        response.header("set-cookie")
    );
    client.get("/blog/me").send().await.assert_body("ann");
    // The parent's key opens it.
    let pair = session_pair(&response);
    TestClient::new(app(KEY)).without_cookies().get("/me").header("cookie", &pair).send().await.assert_body("ann");
}

#[test]
#[should_panic(expected = "at least 32 bytes of random key material; this one has 16")]
fn a_short_secret_key_panics_naming_its_length() {
    let _ = Microframe::new().secret_key([0_u8; 16]);
}

async fn forget_user(session: Session) -> String {
    format!("{} {}", session.remove("user"), session.remove("user"))
}

#[tokio::test]
async fn removing_a_key_changes_the_session_only_when_the_key_was_there() {
    let app =
        Microframe::new().secret_key(KEY).post("/remember", remember).post("/forget", forget_user).get("/me", whoami);
    let client = TestClient::new(app);
    client.post("/remember").send().await;
    client.post("/forget").send().await.assert_body("true false");
    client.get("/me").send().await.assert_body("nobody");
    client.post("/forget").send().await.assert_body("false false").assert_no_header("set-cookie");
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Note {
    text: String,
}

async fn keep_note(session: Session, microframe::Json(note): microframe::Json<Note>) -> microframe::Json<Vec<String>> {
    let mut notes: Vec<String> = session.get("notes").unwrap_or_default();
    notes.push(note.text);
    session.insert("notes", &notes).expect("JSON");
    microframe::Json(notes)
}

#[tokio::test]
async fn json_in_and_out_through_the_test_client_with_the_session_kept() {
    let client = TestClient::new(Microframe::new().secret_key(KEY).post("/notes", keep_note));
    client.post("/notes").json(&Note { text: "one".into() }).send().await.assert_json(&serde_json::json!(["one"]));
    let response = client.post("/notes").json(&Note { text: "two".into() }).send().await;
    assert_eq!(response.json::<Vec<String>>(), ["one", "two"]);
}
