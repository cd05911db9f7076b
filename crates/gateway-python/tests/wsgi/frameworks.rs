//! The tutorial's three programs, a Flask 3 app and a Bottle 0.13 app, unchanged, each
//! wrapped in `wsgiref.validate` (`check_apps.py`'s relaxed validator: it lets `read()` go
//! without a size once `wsgi.input_terminated` is set, as PEP 3333 does), served by
//! `microframe-wsgi` over a real socket from the test virtualenv that `scripts/test` makes.

use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use test_support::child::ExampleServer;
use test_support::{Reply, client};

const BINARY: &str = env!("CARGO_BIN_EXE_microframe-wsgi");

/// `microframe-wsgi check_apps:SPEC` with the test venv (which must have Flask and Bottle).
fn serve(spec: &str) -> ExampleServer {
    test_support::tools::python_with("flask");
    test_support::tools::python_with("bottle");
    let mut command = Command::new(BINARY);
    command
        .arg(format!("check_apps:{spec}"))
        .arg("127.0.0.1:0")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps"))
        .env("VIRTUAL_ENV", test_support::tools::venv());
    ExampleServer::from_command(command)
}

/// Everything the server wrote on stderr so far.
fn stderr(server: &ExampleServer) -> String {
    std::iter::from_fn(|| server.stderr_line(Duration::from_millis(300))).collect::<Vec<_>>().join("\n")
}

/// No traceback, assertion or warning on stderr: the validator raised nothing (the
/// tutorial's environ program prints its dump there too, so other lines may come).
fn assert_validator_quiet(server: &ExampleServer) {
    let lines = stderr(server);
    for bad in ["Traceback", "AssertionError", "WSGIWarning", "raised"] {
        assert!(!lines.contains(bad), "{bad} on stderr:\n{lines}");
    }
}

fn post(target: &str, content_type: &str, body: &'static str, cookie: Option<&str>) -> http::Request<Full<Bytes>> {
    let mut request = http::Request::post(target).header("content-type", content_type);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Full::new(Bytes::from_static(body.as_bytes()))).unwrap()
}

fn get_with_cookie(target: &str, cookie: &str) -> http::Request<Full<Bytes>> {
    http::Request::get(target).header("cookie", cookie).body(Full::default()).unwrap()
}

fn cookie_of(reply: &Reply, name: &str) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().to_owned())
        .filter(|pair| pair.starts_with(&format!("{name}=")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tutorials_programs_run_unchanged() {
    let environment = serve("validated_environment");
    let text = client::get(environment.addr, "/anything?x=1").await.text();
    for line in ["PATH_INFO: /anything", "QUERY_STRING: x=1", "REQUEST_METHOD: GET", "wsgi.url_scheme: http"] {
        assert!(text.lines().any(|shown| shown == line), "{line} in\n{text}");
    }
    assert!(!text.lines().any(|line| line.starts_with("PATH: ") || line.starts_with("HOME: ")), "no OS environment");
    assert_validator_quiet(&environment);

    let get_form = serve("validated_get_form");
    let page = client::get(get_form.addr, "/?age=10&hobbies=software&hobbies=tunning").await.text();
    assert!(page.contains("Age: 10<br>") && page.contains("Hobbies: software, tunning"), "{page}");
    let page = client::get(get_form.addr, "/?age=%3Cscript%3E").await.text();
    assert!(page.contains("Age: &lt;script&gt;<br>") && !page.contains("<script>"), "{page}");
    assert_validator_quiet(&get_form);

    let post_form = serve("validated_post_form");
    let body = "age=10&hobbies=software&hobbies=tunning";
    let page = client::send(post_form.addr, post("/", "application/x-www-form-urlencoded", body, None)).await.text();
    assert!(page.contains("Age: 10<br>") && page.contains("Hobbies: software, tunning"), "{page}");
    // Chunked, with no Content-Length: the program reads CONTENT_LENGTH bytes, which the
    // host sets from the body it read.
    let chunked = b"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n\
        Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n6\r\nage=10\r\n0\r\n\r\n";
    let answer = client::raw(post_form.addr, chunked).await;
    assert!(answer.contains("Age: 10<br>"), "{answer}");
    assert_validator_quiet(&post_form);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flask_app_runs_unchanged() {
    let server = serve("validated_flask");
    let addr = server.addr;
    let home = client::get(addr, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.text().contains(r#"<a href="/hello/World">"#), "url_for: {}", home.text());
    assert!(client::get(addr, "/hello/caf%C3%A9").await.text().contains("<p>Hello, café!</p>"));
    let greet = client::get(addr, "/greet?name=ann").await;
    assert_eq!((greet.status.as_u16(), greet.header("location")), (302, "/hello/ann"));
    let signed = client::send(addr, post("/sign", "application/x-www-form-urlencoded", "name=ann", None)).await;
    assert_eq!(signed.status, 302);
    let session = cookie_of(&signed, "session");
    assert!(!session.is_empty(), "a session cookie");
    let page = client::send(addr, get_with_cookie("/", &session)).await.text();
    assert!(page.contains("Signed in as ann") && page.contains(r#"<p class="flash">Signed as ann</p>"#), "{page}");
    let api = client::send(addr, post("/api", "application/json", r#"{"a": 1}"#, None)).await;
    assert_eq!(api.header("content-type"), "application/json");
    assert!(api.text().contains(r#""received":{"a":1}"#), "{}", api.text());
    let cookies = client::send(addr, get_with_cookie("/cookie", "c=3; d=4")).await;
    let set: Vec<_> = cookies.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert_eq!(set, ["a=1; Path=/", "b=2; Path=/"]);
    assert_eq!(cookies.text(), "received: c=3; d=4\n");
    let stream = client::get(addr, "/stream").await;
    assert_eq!(stream.text(), "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
    let missing = client::get(addr, "/nope").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<h1>Not Found</h1>"));
    assert_validator_quiet(&server);
    let boom = client::get(addr, "/boom").await;
    assert_eq!(boom.status, 500);
    assert!(!boom.text().contains("an error the client must not see"), "the cause is not sent");
    let logged = stderr(&server);
    assert!(logged.contains("RuntimeError: boom: an error the client must not see"), "{logged}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bottle_app_runs_unchanged() {
    let server = serve("validated_bottle");
    let addr = server.addr;
    let home = client::get(addr, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.text().contains(r#"<a href="/hello/World">"#), "get_url: {}", home.text());
    let greet = client::get(addr, "/greet?name=ann").await;
    assert_eq!(greet.status, 303);
    assert!(greet.header("location").ends_with("/hello/ann"), "{}", greet.header("location"));
    let signed = client::send(addr, post("/sign", "application/x-www-form-urlencoded", "name=bo", None)).await;
    assert_eq!(signed.status, 303);
    let cookies = [cookie_of(&signed, "name"), cookie_of(&signed, "flash")].join("; ");
    let page = client::send(addr, get_with_cookie("/", &cookies)).await.text();
    assert!(page.contains("Signed in as bo"), "{page}");
    let api: serde_json::Value = serde_json::from_slice(&client::get(addr, "/api?x=1").await.body).unwrap();
    assert_eq!(api["framework"], "bottle");
    let set = client::get(addr, "/cookie").await;
    assert_eq!(set.headers.get_all("set-cookie").iter().count(), 2);
    assert_eq!(client::get(addr, "/stream").await.text(), "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
    assert_eq!(client::get(addr, "/nope").await.status, 404);
    assert_validator_quiet(&server);
    assert_eq!(client::get(addr, "/boom").await.status, 500);
}
