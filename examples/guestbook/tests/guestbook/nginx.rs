//! Behind a real nginx: Debian's nginx, started here on loopback with `deploy/nginx.conf`
//! (only its addresses replaced by free ports), in front of two guestbook instances that
//! share the database and the key and trust nginx's address. The client connects from
//! `127.0.0.2`, so that its address and nginx's (`127.0.0.1`) differ.

use std::net::{IpAddr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http_body_util::Full;
use test_support::child::ExampleServer;
use test_support::{Reply, client};

use crate::{KEY, Scratch};

const BINARY: &str = env!("CARGO_BIN_EXE_example-guestbook");
/// The site file the deployment chapter shows, run as it is.
const SITE: &str = include_str!("../../../../deploy/nginx.conf");
const CLIENT: &str = "127.0.0.2";

/// A guestbook instance on `127.0.0.1:0` that believes nginx on `127.0.0.1`.
fn instance(scratch: &Scratch) -> ExampleServer {
    let mut command = Command::new(BINARY);
    command
        .arg("127.0.0.1:0")
        .env("GUESTBOOK_DB", scratch.db())
        .env("GUESTBOOK_SECRET_KEY", KEY)
        .env("FORWARDED_ALLOW_IPS", "127.0.0.1")
        .env_remove("LISTEN_FDS")
        .env_remove("GUESTBOOK_STATIC");
    ExampleServer::from_command(command)
}

/// nginx in the foreground, killed when dropped.
struct Nginx {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `text` with `from` replaced by `to`, where `from` must occur exactly once (so the site
/// file cannot drift from what the test expects of it).
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "deploy/nginx.conf holds {from:?} once");
    text.replacen(from, to, 1)
}

/// Starts nginx with the site file in front of `upstreams`.
fn nginx(scratch: &Scratch, upstreams: [SocketAddr; 2]) -> Nginx {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let site = replace_once(SITE, "server 127.0.0.1:8051;", &format!("server {};", upstreams[0]));
    let site = replace_once(&site, "server 127.0.0.1:8052;", &format!("server {};", upstreams[1]));
    let site = replace_once(&site, "listen 127.0.0.1:8080;", &format!("listen {addr};"));
    let dir = scratch.path();
    std::fs::write(dir.join("site.conf"), site).unwrap();
    // The main file a distribution's nginx.conf would be, kept to this directory: one
    // process as the test's own user (no master, no worker user to switch to), logs and
    // temporary files here.
    let main = format!(
        "daemon off;\nmaster_process off;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log info;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n    access_log {dir}/access.log;\n    client_body_temp_path {dir}/body;\n    \
         proxy_temp_path {dir}/proxy;\n    fastcgi_temp_path {dir}/fastcgi;\n    uwsgi_temp_path {dir}/uwsgi;\n    \
         scgi_temp_path {dir}/scgi;\n    include {dir}/site.conf;\n}}\n",
        dir = dir.display()
    );
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let binary = test_support::tools::command("nginx");
    let child = Command::new(binary)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start nginx");
    let mut nginx = Nginx { child, addr };
    for _ in 0..100 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return nginx;
        }
        if let Ok(Some(status)) = nginx.child.try_wait() {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            panic!("nginx exited with {status}: {log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nginx does not listen on {addr}");
}

fn client_ip() -> IpAddr {
    CLIENT.parse().unwrap()
}

async fn get(nginx: &Nginx, target: &str, cookie: Option<&str>) -> Reply {
    let mut request = test_support::in_process::get(target);
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    client::send_from(client_ip(), nginx.addr, request).await
}

async fn sign(nginx: &Nginx, origin: &str) -> Reply {
    let request = http::Request::post("/app/sign")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", origin)
        .body(Full::new("name=ann&message=behind+nginx".into()))
        .unwrap();
    client::send_from(client_ip(), nginx.addr, request).await
}

/// The access-log lines an instance has written so far.
fn log_lines(server: &ExampleServer) -> Vec<String> {
    std::iter::from_fn(|| server.stderr_line(Duration::from_millis(100))).collect()
}

/// Lines that are requests answered 200 for `GET /`.
fn home_pages(lines: &[String]) -> usize {
    lines.iter().filter(|line| line.contains("\"GET / HTTP/1.1\" 200")).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_behind_nginx_at_app() {
    let scratch = Scratch::new();
    let first = instance(&scratch);
    let mut second = instance(&scratch);
    let nginx = nginx(&scratch, [first.addr, second.addr]);
    let origin = format!("http://{}", nginx.addr);

    // Pages, the form action, links and the stylesheet carry /app/.
    let page = get(&nginx, "/app/", None).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for expected in [r#"action="/app/sign""#, r#"href="/app/static/style.css""#, r#"<a href="/app/">Guestbook</a>"#] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let css = get(&nginx, "/app/static/style.css", None).await;
    assert_eq!((css.status.as_u16(), css.headers["content-type"].to_str().unwrap()), (200, "text/css; charset=utf-8"));
    let bare = get(&nginx, "/app", None).await;
    assert_eq!((bare.status.as_u16(), bare.headers["location"].to_str().unwrap()), (308, "/app/"));

    // Signing: the redirect and the cookie path carry /app; the browser's origin passes the
    // cross-site check (nginx sends its Host), another site's does not.
    assert_eq!(sign(&nginx, "http://evil.example").await.status, 403, "cross-site is still refused");
    let signed = sign(&nginx, &origin).await;
    assert_eq!((signed.status.as_u16(), signed.headers["location"].to_str().unwrap()), (303, "/app/"));
    let set_cookie = signed.headers["set-cookie"].to_str().unwrap();
    assert!(set_cookie.split("; ").any(|attribute| attribute == "Path=/app"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    // The session made on one instance is read on both: every page remembers the name.
    for round in 0..10 {
        let html = get(&nginx, "/app/", Some(&cookie)).await.text();
        assert!(html.contains(r#"value="ann""#), "round {round}: the name is remembered");
        assert!(html.contains(r#"href="/app/entry/1""#), "round {round}: url_for carries /app");
    }
    let (first_lines, second_lines) = (log_lines(&first), log_lines(&second));
    let (by_first, by_second) = (home_pages(&first_lines), home_pages(&second_lines));
    assert!(by_first > 0 && by_second > 0, "both instances served the session: {by_first} and {by_second}");
    // The access log shows the client, not nginx.
    for line in first_lines.iter().chain(&second_lines).filter(|line| line.contains("HTTP/1.1\"")) {
        assert!(line.starts_with("127.0.0.2 - - ["), "the client's address: {line}");
    }

    // One instance stops (SIGTERM) while GETs flow: nginx sends them to the other, and none
    // is lost.
    let flowing = Arc::new(AtomicBool::new(true));
    let load = {
        let (flowing, addr) = (Arc::clone(&flowing), nginx.addr);
        tokio::spawn(async move {
            let (mut sent, mut failed) = (0_u32, Vec::new());
            while flowing.load(Ordering::Relaxed) {
                sent += 1;
                let reply = client::send_from(client_ip(), addr, test_support::in_process::get("/app/")).await;
                if reply.status != 200 {
                    failed.push(reply.status);
                }
            }
            (sent, failed)
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    second.terminate();
    assert_eq!(second.wait(Duration::from_secs(15)).and_then(|status| status.code()), Some(0));
    tokio::time::sleep(Duration::from_secs(1)).await;
    flowing.store(false, Ordering::Relaxed);
    let (sent, failed) = load.await.unwrap();
    let (after_first, after_second) = (home_pages(&log_lines(&first)), home_pages(&log_lines(&second)));
    let error_log = std::fs::read_to_string(scratch.path().join("error.log")).unwrap_or_default();
    let retried = error_log.lines().filter(|line| line.contains("upstream")).count();
    println!(
        "behind nginx: the session pages split {by_first}/{by_second}; while the second instance stopped, \
         {sent} GETs were sent, {} failed; the first served {after_first}, the second {after_second}; \
         nginx logged {retried} upstream errors (each retried on the other instance)",
        failed.len()
    );
    assert!(failed.is_empty(), "{} of {sent} GETs failed: {failed:?}", failed.len());
    assert!(after_second > 0, "the second instance served some before it stopped");
    drop(nginx);
}
