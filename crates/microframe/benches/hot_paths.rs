//! Micro-benchmarks of the pieces every request goes through, so a regression shows before
//! a load test: `cargo bench -p microframe`. (divan: light to build; the load test is
//! `just bench`.)

use askama::Template;
use gateway_core::{App, Environ, Input, StartResponse};
use microframe::{Microframe, MultiDict, Path, Query, Session};

fn main() {
    divan::main();
}

/// The request of the bench's `query` scenario, as hyper hands it over.
fn request_parts() -> http::request::Parts {
    let request = http::Request::get("/?age=10&hobbies=software&hobbies=tunning")
        .header("host", "127.0.0.1:8080")
        .header("user-agent", "bench")
        .header("accept", "*/*")
        .body(());
    request.map(|r| r.into_parts().0).unwrap_or_else(|_| http::Request::new(()).into_parts().0)
}

/// Building the environ: a view over the parts, nothing copied but the box.
#[divan::bench]
fn environ_build(bencher: divan::Bencher) {
    bencher.with_inputs(request_parts).bench_values(|parts| Environ::new(parts, Input::empty()));
}

/// Reading CGI keys off the environ (computed on lookup).
#[divan::bench]
fn environ_cgi_lookups(bencher: divan::Bencher) {
    bencher.with_inputs(|| Environ::new(request_parts(), Input::empty())).bench_refs(|environ| {
        (environ.get("PATH_INFO").map(|v| v.len()), environ.get("HTTP_USER_AGENT").map(|v| v.len()))
    });
}

/// Parsing the query string into a `MultiDict`.
#[divan::bench]
fn multidict_parse() -> MultiDict {
    MultiDict::parse(divan::black_box(b"age=10&hobbies=software&hobbies=tunning"))
}

#[derive(serde::Deserialize)]
struct Profile {
    #[allow(dead_code)]
    age: u32,
    #[serde(default)]
    #[allow(dead_code)]
    hobbies: Vec<String>,
}

async fn profile(Query(_profile): Query<Profile>) -> &'static str {
    ""
}

async fn item(Path(id): Path<i64>) -> String {
    id.to_string()
}

async fn hello() -> &'static str {
    "Hello, World!"
}

/// A request through a router of ten routes to the last one: matching, the `<id:int>`
/// conversion, the handler and its response (no socket).
#[divan::bench]
fn route_match_and_call(bencher: divan::Bencher) {
    let mut app = Microframe::new();
    for n in 0..9 {
        app = app.get(&format!("/section{n}/<name>"), hello);
    }
    let app = app.get("/item/<id:int>", item);
    bencher
        .with_inputs(|| {
            let parts = http::Request::get("/item/42").body(()).map(|r| r.into_parts().0);
            Environ::new(parts.unwrap_or_else(|_| http::Request::new(()).into_parts().0), Input::empty())
        })
        .bench_values(|environ| futures_executor::block_on(app.call(environ, StartResponse::new())));
}

/// `Query<T>` extraction of the bench's query string through a route.
#[divan::bench]
fn query_extractor(bencher: divan::Bencher) {
    let app = Microframe::new().get("/", profile);
    bencher
        .with_inputs(|| Environ::new(request_parts(), Input::empty()))
        .bench_values(|environ| futures_executor::block_on(app.call(environ, StartResponse::new())));
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    age: u32,
    hobbies: &'a [&'a str],
}

/// Rendering the bench's page with askama (escaped).
#[divan::bench]
fn template_render() -> Option<String> {
    ProfilePage { age: 10, hobbies: divan::black_box(&["software", "tunning"]) }.render().ok()
}

/// One request carrying the session cookie through `app`, per iteration.
fn bench_session_request(bencher: divan::Bencher, app: &Microframe) {
    bencher
        .with_inputs(|| Environ::new(session_request(), Input::empty()))
        .bench_values(|environ| futures_executor::block_on(app.call(environ, StartResponse::new())));
}

/// The baseline for the session benches: the same request to a handler that uses nothing.
#[divan::bench]
fn call_without_session(bencher: divan::Bencher) {
    let app = Microframe::new().get("/", hello);
    bench_session_request(bencher, &app);
}

async fn read_session(session: Session) -> String {
    session.get::<String>("user").unwrap_or_default()
}

async fn write_session(session: Session) -> &'static str {
    let visits = session.get::<u32>("visits").unwrap_or(0);
    session.insert("visits", visits + 1).unwrap_or_default();
    "counted"
}

const BENCH_KEY: [u8; 32] = [5; 32];

/// A request carrying a session cookie (`{"user":"ann","visits":1}`, sealed with the bench key).
fn session_request() -> http::request::Parts {
    static COOKIE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let cookie = COOKIE.get_or_init(|| {
        async fn seed(session: Session) -> &'static str {
            session.insert("user", "ann").unwrap_or_default();
            session.insert("visits", 1).unwrap_or_default();
            ""
        }
        let app = Microframe::new().secret_key(BENCH_KEY).get("/", seed);
        let environ = Environ::new(
            http::Request::get("/")
                .body(())
                .map(|r| r.into_parts().0)
                .unwrap_or_else(|_| http::Request::new(()).into_parts().0),
            Input::empty(),
        );
        let response = futures_executor::block_on(app.call(environ, StartResponse::new()));
        let set = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        set.split(';').next().unwrap_or_default().to_owned()
    });
    let request = http::Request::get("/").header("host", "127.0.0.1:8080").header("cookie", cookie.as_str()).body(());
    request.map(|r| r.into_parts().0).unwrap_or_else(|_| http::Request::new(()).into_parts().0)
}

/// A handler that reads the session: the `Cookie` header parsed, the cookie decrypted, the
/// JSON parsed; no `Set-Cookie`.
#[divan::bench]
fn session_read(bencher: divan::Bencher) {
    let app = Microframe::new().secret_key(BENCH_KEY).get("/", read_session);
    bench_session_request(bencher, &app);
}

/// A handler that changes the session: read as above, then serialized, encrypted and written
/// as a `Set-Cookie`.
#[divan::bench]
fn session_write(bencher: divan::Bencher) {
    let app = Microframe::new().secret_key(BENCH_KEY).get("/", write_session);
    bench_session_request(bencher, &app);
}
