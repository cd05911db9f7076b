//! The debug-page layer behind `Microframe::debug` (who sees the pages, and what they show, is
//! in [`Microframe::debug`](crate::Microframe::debug)'s docs).
//!
//! Every client that does not qualify gets exactly what it gets with the layer off: the
//! request passes through untouched. For a qualifying client the layer catches the panic
//! itself (logged as `ErrorPages` logs it) and answers a page it built, not a refusal, so
//! that an error handler does not replace it; everything shown goes through `HtmlEntities`.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use askama::filters::Escaper;
use gateway_core::{App, CatchPanic, Environ, Response, StartResponse, TEXT_HTML_UTF_8};
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};

use crate::HtmlEntities;

/// The line printed on stderr when debug pages are turned on.
pub(crate) const WARNING: &str = "WARNING: microframe debug pages are on: panic messages and the route table are \
     shown to loopback clients; never turn this on in production";

/// Prints [`WARNING`] on stderr.
pub(crate) fn warn() {
    eprintln!("{WARNING}");
}

/// One line of the route table: a route or a mount, in the order they were added.
#[derive(Debug, Clone)]
pub(crate) enum Listed {
    Route { methods: Vec<Method>, pattern: String, name: Option<String> },
    Mount { prefix: String },
}

/// The app wrapped with debug pages, off until [`set_on`](DebugPage::set_on).
#[derive(Debug, Clone)]
pub(crate) struct DebugPage<A> {
    inner: A,
    on: bool,
    routes: Arc<[Listed]>,
}

impl<A: App> DebugPage<A> {
    /// Wraps `inner`, with the pages off.
    pub(crate) fn new(inner: A) -> Self {
        Self { inner, on: false, routes: Arc::new([]) }
    }

    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    pub(crate) fn set_on(&mut self, on: bool) {
        self.on = on;
    }

    /// Sets the route table a 404 page lists.
    pub(crate) fn set_routes(&mut self, routes: Vec<Listed>) {
        self.routes = routes.into();
    }

    pub(crate) fn get_ref(&self) -> &A {
        &self.inner
    }

    pub(crate) fn get_mut(&mut self) -> &mut A {
        &mut self.inner
    }
}

/// Whether `environ`'s client may see a debug page: a loopback peer, no proxy headers.
fn qualifies(environ: &Environ) -> bool {
    let loopback = environ.remote_addr().is_some_and(|peer| match peer.ip() {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    });
    let forwarded =
        environ.headers().keys().any(|name| name == "forwarded" || name.as_str().starts_with("x-forwarded-"));
    loopback && !forwarded
}

impl<A: App> App for DebugPage<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        if !self.on || !qualifies(&environ) {
            return self.inner.call(environ, start_response).await;
        }
        let request = format!("{} {}", environ.method(), environ.parts().uri.path());
        let response = match CatchPanic::new(Box::pin(self.inner.call(environ, StartResponse::new()))).await {
            Ok(response) => response,
            Err(panic) => {
                tracing::error!(%panic, "handler panicked; answering 500 with the debug page");
                let body = format!("<h2>Panic</h2>\n<pre>{}</pre>\n", Escaped(&panic));
                return page(start_response, StatusCode::INTERNAL_SERVER_ERROR, &request, &body);
            }
        };
        if response.status() != StatusCode::NOT_FOUND || !response.is_refusal() {
            return response;
        }
        page(start_response, StatusCode::NOT_FOUND, &request, &route_table(&self.routes))
    }
}

/// The routes and mounts as an HTML table.
fn route_table(routes: &[Listed]) -> String {
    let mut rows = String::new();
    for listed in routes {
        let (methods, pattern, name) = match listed {
            Listed::Route { methods, pattern, name } => {
                let methods: Vec<&str> = methods.iter().map(Method::as_str).collect();
                (methods.join(", "), pattern.clone(), name.clone().unwrap_or_default())
            }
            Listed::Mount { prefix } => ("mount".to_owned(), format!("{prefix}/…"), String::new()),
        };
        rows += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            Escaped(&methods),
            Escaped(&pattern),
            Escaped(&name)
        );
    }
    format!("<h2>Routes</h2>\n<table>\n<tr><th>methods</th><th>pattern</th><th>name</th></tr>\n{rows}</table>\n")
}

/// A debug page: `status`, the request line, `body` (already escaped).
fn page(start_response: StartResponse, status: StatusCode, request: &str, body: &str) -> Response {
    let title = format!("{} {}", status.as_str(), status.canonical_reason().unwrap_or_default());
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n\
         <h1>{title}</h1>\n<p><code>{}</code></p>\n{body}\
         <p>Shown because debug pages are on and this request came from this machine.</p>\n</body></html>\n",
        Escaped(request)
    );
    // One header in the array, the second set after: a second `[_; 2]` instance of
    // `IntoHeaders` made the compiler stop inlining the header map's constructor into every
    // response's (measured: about 70 instructions a request in the bench's `hello`).
    let mut response = start_response.start(status, [(CONTENT_TYPE, TEXT_HTML_UTF_8)]).body(html);
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Text written HTML-escaped.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        HtmlEntities.write_escaped_str(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use gateway_core::{Input, Layer};

    use super::*;
    use crate::TestClient;

    fn environ(peer: Option<&str>, headers: &[(&str, &str)]) -> Environ {
        let mut request = http::Request::get("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let environ = Environ::new(request.body(()).unwrap().into_parts().0, Input::empty());
        match peer {
            Some(peer) => environ.with_remote_addr(peer.parse().unwrap()),
            None => environ,
        }
    }

    #[test]
    fn only_a_loopback_peer_qualifies() {
        for peer in ["127.0.0.1:1", "127.200.3.4:1", "[::1]:1", "[::ffff:127.0.0.1]:1"] {
            assert!(qualifies(&environ(Some(peer), &[])), "{peer}");
        }
        for peer in ["192.0.2.1:1", "10.0.0.1:1", "0.0.0.0:1", "[::]:1", "[::ffff:192.0.2.1]:1", "[2001:db8::1]:1"] {
            assert!(!qualifies(&environ(Some(peer), &[])), "{peer}");
        }
        assert!(!qualifies(&environ(None, &[])), "no peer: in process");
    }

    #[test]
    fn any_proxy_header_disqualifies_a_loopback_peer() {
        for header in ["forwarded", "Forwarded", "x-forwarded-for", "X-Forwarded-Proto", "x-forwarded-host"] {
            assert!(!qualifies(&environ(Some("127.0.0.1:1"), &[(header, "for=1.2.3.4")])), "{header}");
        }
        let lookalikes = [("x-forwarded", "1"), ("x-real-ip", "1.2.3.4"), ("forwarded-for", "1")];
        assert!(qualifies(&environ(Some("127.0.0.1:1"), &lookalikes)));
    }

    async fn broken(_environ: Environ, _start_response: StartResponse) -> Response {
        panic!("the <script>alert(1)</script> & co");
    }

    async fn missing(_environ: Environ, start_response: StartResponse) -> Response {
        start_response.reject(&StatusCode::NOT_FOUND)
    }

    async fn own_404(_environ: Environ, start_response: StartResponse) -> Response {
        start_response.start(StatusCode::NOT_FOUND, ()).body("my own 404")
    }

    /// `DebugPage` as a layer, for the tests.
    struct On(Vec<Listed>);

    impl<A: App> Layer<A> for On {
        type App = DebugPage<A>;
        fn layer(&self, app: A) -> DebugPage<A> {
            let mut page = DebugPage::new(app);
            page.set_on(true);
            page.set_routes(self.0.clone());
            page
        }
    }

    const LOOPBACK: &str = "127.0.0.1:40000";

    fn peer(addr: &str) -> SocketAddr {
        addr.parse().unwrap()
    }

    #[tokio::test]
    async fn a_panic_is_a_500_page_with_the_message_escaped_for_a_loopback_client() {
        let client = TestClient::new(broken.with(On(Vec::new())));
        client
            .get("/a/%3Cb%3E/'x'?q=1")
            .remote_addr(peer(LOOPBACK))
            .send()
            .await
            .assert_status(500)
            .assert_header("content-type", "text/html; charset=utf-8")
            .assert_header("cache-control", "no-store")
            .assert_body_contains("<title>500 Internal Server Error</title>")
            .assert_body_contains("<code>GET /a/%3Cb%3E/&#39;x&#39;</code>")
            .assert_body_contains("<pre>the &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</pre>")
            .assert_body_lacks("<script>");
    }

    #[tokio::test]
    async fn the_debug_page_is_not_a_refusal_so_no_error_page_replaces_it() {
        let app = DebugPage { inner: broken, on: true, routes: Arc::new([]) };
        let environ = environ(Some(LOOPBACK), &[]);
        let response = app.call(environ, StartResponse::new()).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!response.is_refusal());
    }

    #[tokio::test]
    async fn a_404_refusal_lists_the_routes_and_mounts_escaped() {
        let routes = vec![
            Listed::Route {
                methods: vec![Method::GET, Method::POST],
                pattern: "/x/<script>".into(),
                name: Some("x".into()),
            },
            Listed::Route { methods: vec![Method::DELETE], pattern: "/a&b".into(), name: None },
            Listed::Mount { prefix: "/blog".into() },
        ];
        let client = TestClient::new(missing.with(On(routes)));
        client
            .get("/nope")
            .remote_addr(peer("[::1]:40000"))
            .send()
            .await
            .assert_status(404)
            .assert_header("content-type", "text/html; charset=utf-8")
            .assert_body_contains("<code>GET /nope</code>")
            .assert_body_contains("<tr><td>GET, POST</td><td>/x/&lt;script&gt;</td><td>x</td></tr>\n")
            .assert_body_contains("<tr><td>DELETE</td><td>/a&amp;b</td><td></td></tr>\n")
            .assert_body_contains("<tr><td>mount</td><td>/blog/…</td><td></td></tr>\n")
            .assert_body_lacks("<script>");
    }

    #[tokio::test]
    async fn a_404_page_the_app_built_is_sent_as_it_is() {
        let client = TestClient::new(own_404.with(On(Vec::new())));
        client.get("/").remote_addr(peer(LOOPBACK)).send().await.assert_status(404).assert_body("my own 404");
    }

    #[tokio::test]
    async fn other_clients_and_the_pages_off_get_the_plain_answers() {
        let off = TestClient::new(DebugPage::new(broken));
        off.get("/").remote_addr(peer(LOOPBACK)).send().await.assert_status(500).assert_body("Internal Server Error");
        let off = TestClient::new(DebugPage::new(missing));
        off.get("/").remote_addr(peer(LOOPBACK)).send().await.assert_status(404).assert_body("Not Found");

        let on = TestClient::new(broken.with(On(Vec::new())));
        on.get("/").send().await.assert_status(500).assert_body("Internal Server Error");
        on.get("/").remote_addr(peer("192.0.2.1:40000")).send().await.assert_body("Internal Server Error");
        let proxied = on.get("/").remote_addr(peer(LOOPBACK)).header("forwarded", "for=1.2.3.4");
        proxied.send().await.assert_status(500).assert_body("Internal Server Error");
        let on = TestClient::new(missing.with(On(Vec::new())));
        let proxied = on.get("/").remote_addr(peer(LOOPBACK)).header("x-forwarded-for", "1.2.3.4");
        proxied.send().await.assert_status(404).assert_body("Not Found");
    }

    /// Run again as a child process, so that its stderr can be read.
    #[test]
    fn turning_the_pages_on_prints_the_warning_once_on_stderr() {
        const CHILD: &str = "MICROFRAME_DEBUG_PAGE_WARNING_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let _app = crate::Microframe::new().debug(false).get("/", || async { "" }).debug(true);
            return;
        }
        let name = "debug_page::tests::turning_the_pages_on_prints_the_warning_once_on_stderr";
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert_eq!(stderr.matches("WARNING").count(), 1, "{stderr}");
        assert!(stderr.contains(&format!("{WARNING}\n")), "{stderr}");
    }

    #[test]
    fn the_warning_is_the_one_the_docs_quote() {
        assert!(include_str!("app/failures.rs").contains(&format!("/// {WARNING}\n")));
    }
}
