//! Trusted proxy headers over real sockets: `Serve::proxy_headers` rewrites what the app sees
//! (address, scheme, host, mount point) for a trusted peer only, and `url_for`, redirects,
//! cookie paths and the cross-site check follow; `TrustProxyHeaders` does the same as a
//! gateway layer inside axum.

use std::net::SocketAddr;

use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::{AxumRouterExt, ProxyHeaders, ProxyOriginals, TrustProxyHeaders};
use http::StatusCode;
use microframe::{Cookie, Cookies, Microframe, Redirect, UrlFor};
use test_support::client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{PATIENCE, serve_with};

/// What the app sees, one `KEY=value` a line.
async fn seen(environ: Environ, start_response: StartResponse) -> Response {
    let mut text = String::new();
    for key in ["REMOTE_ADDR", "REMOTE_PORT", "gateway.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT"] {
        text.push_str(&format!("{key}={}\n", environ.get(key).unwrap_or_default()));
    }
    text.push_str(&format!("SCRIPT_NAME={}\nPATH_INFO={}\n", environ.script_name(), environ.path_info()));
    let original = environ.extensions().get::<ProxyOriginals>().map(|o| o.peer.ip().to_string());
    text.push_str(&format!("original_peer={}\n", original.unwrap_or_default()));
    start_response.start(StatusCode::OK, ()).body(text)
}

fn behind_proxy() -> ProxyHeaders {
    ProxyHeaders::new().trust("127.0.0.1").unwrap().x_host(1).x_port(1).x_prefix(1)
}

fn request(target: &str, headers: &[(&str, &str)]) -> http::Request<http_body_util::Full<bytes::Bytes>> {
    let mut request = test_support::in_process::get(target);
    for (name, value) in headers {
        request.headers_mut().append(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
    }
    request
}

const FORWARDED: &[(&str, &str)] = &[
    ("host", "127.0.0.1:9999"),
    ("x-forwarded-for", "198.51.100.1, 203.0.113.7"),
    ("x-forwarded-proto", "https"),
    ("x-forwarded-host", "shop.example"),
    ("x-forwarded-prefix", "/app"),
];

#[tokio::test]
async fn a_trusted_proxy_sets_address_scheme_host_and_prefix_and_the_originals_stay() {
    let server = serve_with(seen, |serve| serve.proxy_headers(behind_proxy())).await;
    let reply = client::send(server.addr, request("/page", FORWARDED)).await;
    assert_eq!(
        reply.text(),
        "REMOTE_ADDR=203.0.113.7\nREMOTE_PORT=0\ngateway.url_scheme=https\nHTTP_HOST=shop.example\n\
         SERVER_NAME=shop.example\nSERVER_PORT=443\nSCRIPT_NAME=/app\nPATH_INFO=/page\noriginal_peer=127.0.0.1\n"
    );
    // X-Forwarded-Port replaces the port of the forwarded host.
    let mut with_port = FORWARDED.to_vec();
    with_port.push(("x-forwarded-port", "8443"));
    let reply = client::send(server.addr, request("/", &with_port)).await;
    assert!(reply.text().contains("HTTP_HOST=shop.example:8443\nSERVER_NAME=shop.example\nSERVER_PORT=8443\n"));
    server.shutdown().await;
}

#[tokio::test]
async fn without_the_setting_or_from_an_untrusted_peer_nothing_changes() {
    let untouched = "REMOTE_ADDR=127.0.0.";
    let server = serve_with(seen, |serve| serve).await;
    let reply = client::send(server.addr, request("/page", FORWARDED)).await;
    assert!(reply.text().starts_with(untouched), "{}", reply.text());
    assert!(reply.text().contains("gateway.url_scheme=http\nHTTP_HOST=127.0.0.1:9999\n"), "{}", reply.text());
    assert!(reply.text().contains("SCRIPT_NAME=\nPATH_INFO=/page\noriginal_peer=\n"), "{}", reply.text());
    server.shutdown().await;

    // A client on 127.0.0.2 writes X-Forwarded-* to a server that trusts only 127.0.0.1.
    let server = serve_with(seen, |serve| serve.proxy_headers(behind_proxy())).await;
    let answer = raw_from("127.0.0.2", server.addr, "/page", FORWARDED).await;
    assert!(answer.contains("REMOTE_ADDR=127.0.0.2\n"), "{answer}");
    assert!(answer.contains("gateway.url_scheme=http\nHTTP_HOST=127.0.0.1:9999\n"), "{answer}");
    assert!(answer.contains("SCRIPT_NAME=\nPATH_INFO=/page\noriginal_peer=\n"), "{answer}");
    server.shutdown().await;
}

/// One request from a socket bound to `local_ip`, read to the close.
async fn raw_from(local_ip: &str, addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> String {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{local_ip}:0").parse().unwrap()).expect("bind a second loopback address");
    let mut stream = tokio::time::timeout(PATIENCE, socket.connect(addr)).await.unwrap().unwrap();
    let mut head = format!("GET {target} HTTP/1.1\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

async fn home(urls: UrlFor) -> String {
    urls.url_for("home", &[]).unwrap()
}

async fn go(urls: UrlFor, cookies: Cookies) -> Redirect {
    cookies.add(Cookie::new("seen", "1")).unwrap();
    Redirect::to(urls.url_for("home", &[]).unwrap())
}

async fn sign() -> &'static str {
    "signed"
}

fn shop() -> Microframe {
    Microframe::new().get("/", home).name("home").get("/go", go).post("/sign", sign)
}

#[tokio::test]
async fn url_for_redirects_cookie_paths_and_the_cross_site_check_follow_the_proxy() {
    let app = Microframe::new().mount("/shop", shop());
    let server = serve_with(app, |serve| serve.proxy_headers(behind_proxy())).await;
    let reply = client::send(server.addr, request("/shop/", FORWARDED)).await;
    assert_eq!(reply.text(), "/app/shop/");
    let reply = client::send(server.addr, request("/shop/go", FORWARDED)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers["location"], "/app/shop/");
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Path=/app/shop") && cookie.contains("Secure"), "{cookie}");
    // The browser's origin is the forwarded one: a form posted from it passes, from the
    // server's own address (what the proxy connected to) it is cross-site.
    let post = |origin: &'static str| {
        let mut request = request("/shop/sign", FORWARDED);
        *request.method_mut() = http::Method::POST;
        request.headers_mut().insert("origin", origin.parse().unwrap());
        request
    };
    assert_eq!(client::send(server.addr, post("https://shop.example")).await.status, StatusCode::OK);
    assert_eq!(client::send(server.addr, post("http://127.0.0.1:9999")).await.status, StatusCode::FORBIDDEN);
    server.shutdown().await;
}

#[tokio::test]
async fn bad_forwarded_values_keep_the_originals() {
    let server = serve_with(seen, |serve| serve.proxy_headers(behind_proxy())).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("x-forwarded-for", "_hidden")], "REMOTE_ADDR=127.0.0.1\n"),
        (&[("x-forwarded-proto", "javascript")], "gateway.url_scheme=http\n"),
        (&[("x-forwarded-host", "user@evil.example")], "HTTP_HOST=127.0.0.1:9999\n"),
        (&[("x-forwarded-prefix", "//evil.com")], "SCRIPT_NAME=\n"),
        (&[("x-forwarded-prefix", "/a/../b")], "SCRIPT_NAME=\n"),
        (&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")], "REMOTE_ADDR=2001:db8::1\nREMOTE_PORT=4711\n"),
    ];
    for (headers, expected) in cases {
        let mut headers = headers.to_vec();
        headers.push(("host", "127.0.0.1:9999"));
        let reply = client::send(server.addr, request("/", &headers)).await;
        assert!(reply.text().contains(expected), "{headers:?}: {}", reply.text());
    }
    server.shutdown().await;
}

#[tokio::test]
async fn the_gateway_layer_does_the_same_inside_axum_and_applies_once() {
    let layered = TrustProxyHeaders::new(seen, behind_proxy());
    let router = axum::Router::new().mount_app("/mounted", layered);
    let server = serve_with_router(router).await;
    let reply = client::send(server.0, request("/mounted/page", FORWARDED)).await;
    let text = reply.text();
    assert!(text.starts_with("REMOTE_ADDR=203.0.113.7\n"), "{text}");
    assert!(text.contains("SCRIPT_NAME=/app/mounted\nPATH_INFO=/page\noriginal_peer=127.0.0.1\n"), "{text}");
    let _ = server.1.send(());

    // Under `serve`'s own setting, the layer finds the headers applied and changes nothing
    // more (read again with two hops, it would pick 198.51.100.1).
    let layered = TrustProxyHeaders::new(seen, ProxyHeaders::new().trust("0.0.0.0/0").unwrap().x_for(2));
    let server = serve_with(layered, |serve| serve.proxy_headers(behind_proxy())).await;
    let reply = client::send(server.addr, request("/", FORWARDED)).await;
    assert!(reply.text().starts_with("REMOTE_ADDR=203.0.113.7\n"), "{}", reply.text());
    server.shutdown().await;
}

/// An axum router on `serve_service`, stopped by the sender.
async fn serve_with_router(router: axum::Router) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = gateway_tower::serve_service("127.0.0.1:0", router)
        .access_log(false)
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
        })
        .bind()
        .await
        .unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.run());
    (addr, stop)
}

async fn not_found_page(urls: UrlFor, environ: Environ) -> String {
    format!("back to {} from {:?}", urls.url_for("home", &[]).unwrap(), environ.remote_addr().map(|addr| addr.ip()))
}

#[tokio::test]
async fn an_error_page_keeps_the_forwarded_prefix_and_the_client() {
    let app = Microframe::new().mount("/shop", shop().error_handler(StatusCode::NOT_FOUND, not_found_page));
    let server = serve_with(app, |serve| serve.proxy_headers(behind_proxy())).await;
    let reply = client::send(server.addr, request("/shop/nope", FORWARDED)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.text(), "back to /app/shop/ from Some(203.0.113.7)");
    server.shutdown().await;
}
