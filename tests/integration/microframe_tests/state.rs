//! App state (`Microframe::state`, `State<T>`): seen by handlers, error handlers, mounted
//! sub-apps (their own first) and apps inside the app; a type nobody registered is a 500
//! whose logged cause names the type.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gateway_core::{App, Environ, Response, StartResponse};
use http::StatusCode;
use microframe::{Abort, Microframe, State, TestClient};

#[derive(Clone)]
struct Name(&'static str);

#[derive(Clone)]
struct Greeting(&'static str);

async fn greet(State(Greeting(greeting)): State<Greeting>, State(Name(name)): State<Name>) -> String {
    format!("{greeting}, {name}")
}

#[tokio::test]
async fn handlers_get_each_registered_type() {
    let app = Microframe::new().state(Name("app")).state(Greeting("Hello")).get("/", greet);
    TestClient::new(app).get("/").send().await.assert_status(200).assert_body("Hello, app");
}

#[tokio::test]
async fn a_mounted_app_sees_its_own_state_first_then_its_parents() {
    let blog = Microframe::new().state(Name("blog")).get("/", greet);
    let app = Microframe::new().state(Name("root")).state(Greeting("Hi")).get("/", greet).mount("/blog", blog);
    let client = TestClient::new(app);
    client.get("/").send().await.assert_body("Hi, root");
    client.get("/blog/").send().await.assert_body("Hi, blog");
}

#[tokio::test]
async fn a_mounted_app_without_state_sees_its_parents() {
    let blog = Microframe::new().get("/", greet);
    let app = Microframe::new().state(Name("root")).state(Greeting("Hey")).mount("/blog", blog);
    TestClient::new(app).get("/blog/").send().await.assert_body("Hey, root");
}

async fn gone() -> Abort {
    Abort::new(StatusCode::GONE)
}

async fn gone_page(State(Name(name)): State<Name>) -> String {
    format!("{name} says: gone")
}

#[tokio::test]
async fn error_handlers_see_the_state() {
    let app = Microframe::new().state(Name("app")).get("/old", gone).error_handler(StatusCode::GONE, gone_page);
    TestClient::new(app).get("/old").send().await.assert_status(410).assert_body("app says: gone");
}

/// A plain gateway app mounted inside: layers and apps inside see the state through the
/// environ's extensions (here by asking a microframe handler mounted inside it).
async fn counting(State(hits): State<Arc<AtomicUsize>>) -> String {
    (hits.fetch_add(1, Ordering::SeqCst) + 1).to_string()
}

#[tokio::test]
async fn shared_mutable_state_is_an_arc_and_every_request_sees_the_same_value() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Microframe::new().state(Arc::clone(&hits)).get("/", counting);
    let client = TestClient::new(app);
    client.get("/").send().await.assert_body("1");
    client.get("/").send().await.assert_body("2");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

/// A gateway app wrapping a router: it sees the state of the microframe app around it.
async fn plain_inner(environ: Environ, start_response: StartResponse) -> Response {
    let inner = Microframe::new().get("/", greet);
    inner.call(environ, start_response).await
}

#[tokio::test]
async fn apps_mounted_inside_see_the_state_through_the_environ() {
    let app = Microframe::new().state(Name("outer")).state(Greeting("Yo")).mount("/plain", plain_inner);
    TestClient::new(app).get("/plain/").send().await.assert_status(200).assert_body("Yo, outer");
}

#[derive(Clone)]
struct NeverRegistered;

async fn wants_missing(State(_): State<NeverRegistered>) -> &'static str {
    "unreachable"
}

async fn maybe_missing(state: Option<State<NeverRegistered>>, name: Option<State<Name>>) -> String {
    format!("{} {}", state.is_some(), name.map_or("none", |State(Name(name))| name))
}

#[tokio::test]
async fn a_type_never_registered_is_500_with_the_type_named_in_the_log() {
    let app = Microframe::new().get("/", wants_missing);
    let (logs, _guard) = super::capture_logs();
    TestClient::new(app).get("/").send().await.assert_status(500).assert_body("Internal Server Error");
    let logs = logs.text();
    assert!(logs.contains("ERROR"), "{logs}");
    assert!(logs.contains("state::NeverRegistered"), "the type is named: {logs}");
}

#[tokio::test]
async fn an_optional_state_is_none_when_never_registered() {
    let app = Microframe::new().state(Name("set")).get("/", maybe_missing);
    TestClient::new(app).get("/").send().await.assert_status(200).assert_body("false set");
}
