//! The binary on a real socket: signing, the access log, a restart that keeps the entries,
//! two processes on one database file, the settings, and the exit codes.

use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use command_fds::{CommandFdExt, FdMapping};
use http_body_util::Full;
use serde_json::{Value, json};
use test_support::child::ExampleServer;
use test_support::{Reply, client};

use crate::{KEY, Scratch};

const BINARY: &str = env!("CARGO_BIN_EXE_example-guestbook");
const CSS: &[u8] = include_bytes!("../../static/style.css");

/// The binary on `127.0.0.1:0` with the database in `scratch` and, when given, a key.
fn start(scratch: &Scratch, key: Option<&str>) -> ExampleServer {
    let mut command = Command::new(BINARY);
    command.arg("127.0.0.1:0").env("GUESTBOOK_DB", scratch.db()).env_remove("GUESTBOOK_STATIC");
    match key {
        Some(key) => command.env("GUESTBOOK_SECRET_KEY", key),
        None => command.env_remove("GUESTBOOK_SECRET_KEY"),
    };
    ExampleServer::from_command(command)
}

fn post(target: &str, content_type: &str, body: impl Into<Bytes>, cookie: Option<&str>) -> http::Request<Full<Bytes>> {
    let request = http::Request::post(target).header("content-type", content_type);
    let request = match cookie {
        Some(cookie) => request.header("cookie", cookie),
        None => request,
    };
    request.body(Full::new(body.into())).unwrap()
}

async fn create(server: &ExampleServer, name: &str) -> Reply {
    create_at(server.addr, name).await
}

async fn create_at(addr: std::net::SocketAddr, name: &str) -> Reply {
    let body = serde_json::to_vec(&json!({"name": name, "message": "hello"})).unwrap();
    client::send(addr, post("/api/entries", "application/json", body, None)).await
}

async fn names(server: &ExampleServer) -> Vec<String> {
    let listed: Vec<Value> =
        serde_json::from_slice(&client::get(server.addr, "/api/entries?limit=100").await.body).unwrap();
    listed.iter().map(|entry| entry["name"].as_str().unwrap().to_owned()).collect()
}

fn stop(mut server: ExampleServer) {
    server.terminate();
    let status = server.wait(Duration::from_secs(10)).expect("the server exits on SIGTERM");
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn the_binary_signs_redirects_flashes_and_logs_on_a_real_socket() {
    let scratch = Scratch::new();
    let server = start(&scratch, Some(KEY));
    let signed = client::send(
        server.addr,
        post("/sign", "application/x-www-form-urlencoded", "name=ann&message=hi+there", None),
    )
    .await;
    assert_eq!((signed.status.as_u16(), signed.header("location")), (303, "/"));
    server.assert_logged("POST /sign HTTP/1.1", "303 -");
    let cookie = signed.header("set-cookie").split(';').next().unwrap().to_owned();
    let mut home = test_support::in_process::get("/");
    home.headers_mut().insert("cookie", cookie.parse().unwrap());
    let page = client::send(server.addr, home).await;
    assert_eq!((page.status.as_u16(), page.header("content-type")), (200, crate::HTML));
    assert!(page.text().contains("Thanks for signing, ann!") && page.text().contains("hi there"), "{}", page.text());
    server.assert_logged("GET / HTTP/1.1", &format!("200 {}", page.body.len()));
    let missing = client::get(server.addr, "/entry/7").await;
    assert!(missing.status == 404 && missing.text().contains("No such entry"));
    server.assert_logged("GET /entry/7 HTTP/1.1", &format!("404 {}", missing.body.len()));
    stop(server);
}

#[tokio::test]
async fn entries_survive_a_restart() {
    let scratch = Scratch::new();
    let server = start(&scratch, Some(KEY));
    assert_eq!(create(&server, "before").await.status, 201);
    stop(server);
    let server = start(&scratch, Some(KEY));
    assert_eq!(names(&server).await, ["before"]);
    assert_eq!(create(&server, "after").await.header("location"), "/api/entries/2");
    assert_eq!(names(&server).await, ["after", "before"]);
    stop(server);
}

#[tokio::test]
async fn two_processes_share_one_database_file() {
    let scratch = Scratch::new();
    let (first, second) = (start(&scratch, Some(KEY)), start(&scratch, Some(KEY)));
    // Twenty writes at once, ten through each process.
    let writes: Vec<_> = (0..10)
        .flat_map(|n| [(first.addr, format!("a{n}")), (second.addr, format!("b{n}"))])
        .map(|(addr, name)| tokio::spawn(async move { create_at(addr, &name).await.status }))
        .collect();
    for write in writes {
        assert_eq!(write.await.unwrap(), 201);
    }
    let (seen_by_first, seen_by_second) = (names(&first).await, names(&second).await);
    assert_eq!(seen_by_first.len(), 20);
    assert_eq!(seen_by_first, seen_by_second, "both see every entry, in one order");
    let listed: Vec<Value> =
        serde_json::from_slice(&client::get(second.addr, "/api/entries?limit=100").await.body).unwrap();
    let mut ids: Vec<i64> = listed.iter().map(|entry| entry["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=20).collect::<Vec<_>>());
    stop(first);
    stop(second);
}

#[test]
fn a_bad_proxy_list_or_inherited_socket_exits_2_before_listening() {
    let scratch = Scratch::new();
    let output = Command::new(BINARY)
        .arg("127.0.0.1:0")
        .env("GUESTBOOK_DB", scratch.db())
        .env("GUESTBOOK_SECRET_KEY", KEY)
        .env("FORWARDED_ALLOW_IPS", "127.0.0.1, nginx.internal")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("guestbook: FORWARDED_ALLOW_IPS: ") && stderr.contains("nginx.internal"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // LISTEN_FDS=1, and fd 3 is a file, not a socket.
    let file = std::fs::File::create(scratch.path().join("not-a-socket")).unwrap();
    let mut command = Command::new(BINARY);
    command.arg("127.0.0.1:0").env("GUESTBOOK_DB", scratch.db()).env("GUESTBOOK_SECRET_KEY", KEY);
    command.env("LISTEN_FDS", "1").env_remove("LISTEN_PID");
    command.fd_mappings(vec![FdMapping { parent_fd: file.into(), child_fd: 3 }]).unwrap();
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("guestbook: the inherited socket (LISTEN_FDS) cannot be used: "), "{stderr}");
}

#[test]
fn a_secret_key_shorter_than_32_bytes_exits_2_before_listening() {
    let scratch = Scratch::new();
    for key in ["", "31 bytes of key material, short"] {
        let output = Command::new(BINARY)
            .arg("127.0.0.1:0")
            .env("GUESTBOOK_DB", scratch.db())
            .env("GUESTBOOK_SECRET_KEY", key)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!("guestbook: GUESTBOOK_SECRET_KEY must be at least 32 bytes long (it has {})\n", key.len())
        );
        assert!(!scratch.db().exists(), "nothing was opened");
    }
}

#[tokio::test]
async fn without_a_key_one_warning_comes_at_the_first_request_that_uses_the_session() {
    let scratch = Scratch::new();
    let server = start(&scratch, None);
    assert_eq!(client::get(server.addr, "/api/entries").await.status, 200);
    server.assert_logged("GET /api/entries HTTP/1.1", "200 2");
    let form = || post("/sign", "application/x-www-form-urlencoded", "name=ann&message=hi", None);
    assert_eq!(client::send(server.addr, form()).await.status, 303);
    let warning = server.stderr_line(Duration::from_secs(5)).expect("the warning");
    assert!(warning.contains("WARN") && warning.contains("no secret key set"), "{warning}");
    server.assert_logged("POST /sign HTTP/1.1", "303 -");
    assert_eq!(client::send(server.addr, form()).await.status, 303);
    server.assert_logged("POST /sign HTTP/1.1", "303 -");
    stop(server);
}

#[tokio::test]
async fn from_another_directory_the_defaults_are_its_database_file_and_the_crates_static_folder() {
    let scratch = Scratch::new();
    let mut command = Command::new(BINARY);
    command.arg("127.0.0.1:0").current_dir(scratch.path()).env("GUESTBOOK_SECRET_KEY", KEY);
    command.env_remove("GUESTBOOK_DB").env_remove("GUESTBOOK_STATIC");
    let server = ExampleServer::from_command(command);
    let css = client::get(server.addr, "/static/style.css").await;
    assert_eq!((css.status.as_u16(), &css.body[..]), (200, CSS));
    assert_eq!(create(&server, "ann").await.status, 201);
    assert!(scratch.path().join("guestbook.db").is_file(), "the default database is in the working directory");
    stop(server);
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran = test_support::guide::check("a-small-app.md", "example-guestbook", BINARY);
    assert_eq!(ran, 27, "every command of the chapter ran");
}
