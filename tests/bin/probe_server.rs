//! A tiny gateway server for the integration tests that need a process of their own (the
//! access log goes to the process's stderr; serve-once and SIGTERM end the process).
//!
//! `probe_server ADDR [--no-access-log] [--no-log-subscriber] [--once] [--max-fds N] [--static DIR]
//! [--shutdown-timeout MS] [--trust-proxy LIST]`:
//! `/empty` answers 200 with no body, `/sleep/<ms>` answers `slept <ms>` after that many
//! milliseconds (a slow request), every other path `run_once=<gateway.run_once>`, but
//! for two microframe routes that are bugs of the app (500s whose causes are logged):
//! `/wrong-path-type/<name>` takes `Path<i64>` and `/unknown-route` asks `url_for` for a
//! name no route has. `--max-fds` lowers the process's descriptor limit first, so a test can
//! make the accept loop run out of descriptors; `--trust-proxy` reads one hop of
//! `X-Forwarded-For` from the peers in LIST.

use gateway_core::{App, Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;
use microframe::{Path, Router, UrlError, UrlFor};

async fn wrong_path_type(Path(id): Path<i64>) -> String {
    id.to_string()
}

async fn unknown_route(urls: UrlFor) -> Result<String, UrlError> {
    urls.url_for("no-such-route", &[])
}

async fn app(environ: Environ, start: StartResponse) -> Response {
    if environ.path_info() == "/empty" {
        return start.start(StatusCode::OK, ()).body("");
    }
    if let Some(ms) = environ.path_info().strip_prefix("/sleep/").and_then(|ms| ms.parse::<u64>().ok()) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        return start.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body(format!("slept {ms}"));
    }
    let text = format!("run_once={}", environ.run_once());
    start.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body(text)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `--static DIR` mounts the files of DIR at `/files` (the memory test's 1 GiB file).
    let static_dir = match args.iter().position(|arg| arg == "--static") {
        Some(at) if at + 1 < args.len() => Some(args.drain(at..at + 2).nth(1).unwrap_or_default()),
        _ => None,
    };
    let mut args = args.into_iter();
    let address = args.next().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let mut routes = Router::new()
        .route(&[http::Method::GET], "/wrong-path-type/<name>", microframe::HandlerApp::new(wrong_path_type))
        .route(&[http::Method::GET], "/unknown-route", microframe::HandlerApp::new(unknown_route));
    if let Some(dir) = static_dir {
        routes = routes.mount("/files", microframe::StaticFiles::new(dir));
    }
    let mut server = gateway_tower::serve(address, app.with(routes));
    while let Some(flag) = args.next() {
        server = match flag.as_str() {
            "--no-access-log" => server.access_log(false),
            "--no-log-subscriber" => server.log_subscriber(false),
            "--once" => server.once(),
            "--shutdown-timeout" => {
                let ms = args.next().and_then(|ms| ms.parse().ok()).unwrap_or(1000);
                server.shutdown_timeout(std::time::Duration::from_millis(ms))
            }
            "--trust-proxy" => {
                let list = args.next().unwrap_or_default();
                let proxy = gateway_tower::ProxyHeaders::new().trust(&list).map_err(std::io::Error::other)?;
                server.proxy_headers(proxy)
            }
            "--max-fds" => {
                let limit = args.next().and_then(|n| n.parse().ok()).unwrap_or(64);
                nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE, limit, limit)?;
                server
            }
            other => {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("unknown flag {other}")));
            }
        };
    }
    server.await
}
