//! Error pages with Flask's semantics: a registered handler renders the framework's
//! refusals and a handler's aborts, never a response a handler built with its own body.

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;
use microframe::rejection::FormRejection;
use microframe::{Abort, ErrorStatus, Form, Json, Microframe, TestClient, UrlFor};
use serde::Deserialize;

async fn page(ErrorStatus(status): ErrorStatus) -> String {
    format!("page {}", status.as_u16())
}

/// An app with a page for every error status these tests meet.
fn with_pages(app: Microframe) -> TestClient {
    let statuses = [400, 401, 403, 404, 405, 413, 415, 422, 500, 503];
    let app = statuses
        .into_iter()
        .fold(app, |app, status| app.error_handler(StatusCode::from_u16(status).expect("a status"), page));
    TestClient::new(app)
}

#[derive(Deserialize)]
struct Signup {
    age: u32,
}

/// The form re-rendered with its error and the value typed: a 422 of the handler's own.
async fn signup(form: Result<Form<Signup>, FormRejection>) -> (StatusCode, String) {
    match form {
        Ok(Form(signup)) => (StatusCode::OK, format!("welcome, {}", signup.age)),
        Err(rejection) => {
            let typed = rejection.values().and_then(|values| values.get("age")).unwrap_or_default().to_owned();
            (StatusCode::UNPROCESSABLE_ENTITY, format!("<form>age {typed:?} is not a number</form>"))
        }
    }
}

#[tokio::test]
async fn a_422_the_handler_rendered_itself_is_sent_as_it_is() {
    let client = with_pages(Microframe::new().post("/signup", signup));
    client
        .post("/signup")
        .form(&[("age", "old")])
        .send()
        .await
        .assert_status(422)
        .assert_body(r#"<form>age "old" is not a number</form>"#);
}

async fn strict(Form(signup): Form<Signup>) -> String {
    signup.age.to_string()
}

#[tokio::test]
async fn a_422_refusal_of_the_extractor_is_rendered() {
    let client = with_pages(Microframe::new().post("/signup", strict));
    client.post("/signup").form(&[("age", "old")]).send().await.assert_status(422).assert_body("page 422");
}

async fn api_entry() -> (StatusCode, Json<serde_json::Value>) {
    (StatusCode::NOT_FOUND, Json(serde_json::json!({"error": "no such entry"})))
}

#[tokio::test]
async fn an_apis_json_404_is_sent_as_it_is() {
    let client = with_pages(Microframe::new().get("/api/entry", api_entry));
    client
        .get("/api/entry")
        .send()
        .await
        .assert_status(404)
        .assert_header("content-type", "application/json")
        .assert_body(r#"{"error":"no such entry"}"#);
    client.get("/api/nope").send().await.assert_status(404).assert_body("page 404");
}

#[tokio::test]
async fn the_frameworks_refusals_are_rendered_with_their_status_and_headers() {
    async fn ok() -> &'static str {
        "ok"
    }
    let client = with_pages(Microframe::new().body_limit(4).get("/", ok).post("/form", strict));
    client.get("/nope").send().await.assert_status(404).assert_body("page 404");
    client
        .delete("/")
        .send()
        .await
        .assert_status(405)
        .assert_header("allow", "GET, HEAD, OPTIONS")
        .assert_body("page 405");
    client.post("/form").form(&[("age", "12345")]).send().await.assert_status(413).assert_body("page 413");
    client
        .post("/form")
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .assert_status(415)
        .assert_body("page 415");
}

#[tokio::test]
async fn every_abort_form_is_rendered() {
    async fn bare() -> StatusCode {
        StatusCode::FORBIDDEN
    }
    async fn with_headers() -> (StatusCode, [(&'static str, &'static str); 1]) {
        (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "60")])
    }
    async fn abort_value() -> Result<String, Abort> {
        Err(Abort::new(StatusCode::UNAUTHORIZED).header("www-authenticate", "Basic"))
    }
    let client =
        with_pages(Microframe::new().get("/bare", bare).get("/headers", with_headers).get("/abort", abort_value));
    client.get("/bare").send().await.assert_status(403).assert_body("page 403");
    client.get("/headers").send().await.assert_status(503).assert_header("retry-after", "60").assert_body("page 503");
    client
        .get("/abort")
        .send()
        .await
        .assert_status(401)
        .assert_header("www-authenticate", "Basic")
        .assert_body("page 401");
}

#[tokio::test]
async fn without_a_handler_an_abort_is_its_reason_phrase() {
    async fn abort_value() -> Abort {
        Abort::new(StatusCode::UNAUTHORIZED)
    }
    async fn teapot() -> StatusCode {
        StatusCode::IM_A_TEAPOT
    }
    let client = TestClient::new(Microframe::new().get("/abort", abort_value).get("/teapot", teapot));
    client
        .get("/abort")
        .send()
        .await
        .assert_status(401)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Unauthorized");
    client.get("/teapot").send().await.assert_status(418).assert_body("I'm a teapot");
}

#[tokio::test]
async fn a_status_with_a_body_of_the_handlers_own_is_not_an_abort() {
    async fn own() -> (StatusCode, &'static str) {
        (StatusCode::FORBIDDEN, "members only")
    }
    let client = with_pages(Microframe::new().get("/", own));
    client.get("/").send().await.assert_status(403).assert_body("members only");
}

/// A mounted gateway app's `reject` counts as a refusal; its own 404 page does not.
async fn gateway_refusal(environ: Environ, start_response: StartResponse) -> Response {
    match environ.path_info().as_ref() {
        "/refused" => start_response.reject(&StatusCode::NOT_FOUND),
        _ => start_response.start(StatusCode::NOT_FOUND, ()).body("the gateway app's own page"),
    }
}

#[tokio::test]
async fn a_mounted_gateway_apps_reject_is_rendered_and_its_own_page_is_not() {
    let client = with_pages(Microframe::new().mount("/legacy", gateway_refusal));
    client.get("/legacy/refused").send().await.assert_status(404).assert_body("page 404");
    client.get("/legacy/other").send().await.assert_status(404).assert_body("the gateway app's own page");
}

#[tokio::test]
async fn a_sub_apps_rendered_page_is_not_rendered_again_by_the_parent() {
    async fn sub_page() -> &'static str {
        "the blog's 404"
    }
    let blog = Microframe::new().error_handler(StatusCode::NOT_FOUND, sub_page);
    let client = with_pages(Microframe::new().mount("/blog", blog).mount("/plain", Microframe::new()));
    client.get("/blog/nope").send().await.assert_status(404).assert_body("the blog's 404");
    client.get("/plain/nope").send().await.assert_status(404).assert_body("page 404");
}

#[tokio::test]
async fn a_panic_is_rendered_as_500() {
    async fn broken() -> &'static str {
        panic!("broken handler")
    }
    let client = with_pages(Microframe::new().get("/", broken));
    client.get("/").send().await.assert_status(500).assert_body("page 500");
}

async fn linked_page(urls: UrlFor, microframe::State(site): microframe::State<&'static str>) -> String {
    format!("{site}: back to {}", urls.url_for("home", &[]).unwrap_or_default())
}

#[tokio::test]
async fn an_error_handler_takes_state_and_url_for() {
    async fn home() -> &'static str {
        "home"
    }
    let app = Microframe::new()
        .state("guestbook")
        .get("/", home)
        .name("home")
        .error_handler(StatusCode::NOT_FOUND, linked_page);
    let client = TestClient::new(Microframe::new().mount("/app", app));
    client.get("/app/nope").send().await.assert_status(404).assert_body("guestbook: back to /app/");
}
