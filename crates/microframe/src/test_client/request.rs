//! `TestRequest`: a request being built, then sent through the client's service and jar.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

use super::redirect::{Hop, MAX_REDIRECTS};
use super::{TestClient, TestResponse};

/// A request being built; [`send`](TestRequest::send) it.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Environ, Microframe, TestClient};
///
/// async fn echo(environ: Environ) -> String {
///     format!("{} {} {}", environ.method(), environ.query_string(), environ.header("x-tag").unwrap_or_default())
/// }
/// let client = TestClient::new(Microframe::new().route(&[http::Method::PUT], "/", echo));
/// let request = client.put("/").query(&[("a", "1 2")]).header("x-tag", "t");
/// request.send().await.assert_body("PUT a=1+2 t");
/// # });
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until sent"]
pub struct TestRequest {
    pub(super) client: TestClient,
    pub(super) hop: Hop,
    pub(super) follow_redirects: bool,
    pub(super) remote_addr: Option<SocketAddr>,
}

impl TestRequest {
    pub(super) fn new(client: TestClient, method: Method, target: &str) -> Self {
        let hop = Hop { method, target: target.to_owned(), headers: HeaderMap::new(), body: Bytes::new() };
        Self { client, hop, follow_redirects: false, remote_addr: None }
    }

    /// Sends the request from the peer `addr`, as if over a connection: the app sees it as
    /// [`Environ::remote_addr`](gateway_core::Environ::remote_addr) (`REMOTE_ADDR`), which
    /// is `None` for an in-process request otherwise. The connection's local address is
    /// then `127.0.0.1:80`, which is `SERVER_NAME` and `SERVER_PORT` when the target names
    /// no host (instead of `localhost`).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Microframe, TestClient};
    ///
    /// async fn peer(environ: Environ) -> String { format!("{:?}", environ.remote_addr()) }
    /// let client = TestClient::new(Microframe::new().get("/", peer));
    /// client.get("/").send().await.assert_body("None");
    /// client.get("/").remote_addr("192.0.2.1:4711".parse().unwrap()).send().await.assert_body("Some(192.0.2.1:4711)");
    /// # });
    /// ```
    pub fn remote_addr(mut self, addr: SocketAddr) -> Self {
        self.remote_addr = Some(addr);
        self
    }

    /// Adds a header. Any header can be set, `Origin` and `Sec-Fetch-Site` included (to
    /// test cross-site protection); a `Cookie` header is sent instead of the jar's cookies.
    ///
    /// # Panics
    /// When the name or value is not valid in HTTP.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Response, StartResponse, TestClient};
    ///
    /// async fn whence(environ: Environ, start_response: StartResponse) -> Response {
    ///     let whence = format!("{:?} {:?}", environ.header("origin"), environ.header("sec-fetch-site"));
    ///     start_response.start(http::StatusCode::OK, ()).body(whence)
    /// }
    /// let client = TestClient::new(whence);
    /// client.post("/").header("origin", "https://evil.example").header("sec-fetch-site", "cross-site").send().await
    ///     .assert_body(r#"Some("https://evil.example") Some("cross-site")"#);
    /// # });
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("a valid header name");
        let value = HeaderValue::try_from(value).expect("a valid header value");
        self.hop.headers.append(name, value);
        self
    }

    /// Appends form-urlencoded pairs to the target's query string.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.get("/search").query(&[("q", "a b"), ("tag", "x")]); // /search?q=a+b&tag=x
    /// ```
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        self.hop.target.push(if self.hop.target.contains('?') { '&' } else { '?' });
        self.hop.target.push_str(&encoded);
        self
    }

    /// Sets a form-urlencoded body and its `Content-Type`.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Form, Microframe, MultiDict, TestClient};
    /// async fn echo(Form(form): Form<Vec<(String, String)>>) -> String { format!("{form:?}") }
    /// let client = TestClient::new(Microframe::new().post("/", echo));
    /// client.post("/").form(&[("a", "1 2"), ("a", "3")]).send().await
    ///     .assert_body(r#"[("a", "1 2"), ("a", "3")]"#);
    /// # });
    /// ```
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        self.hop.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        self.hop.body = Bytes::from(encoded);
        self
    }

    /// Sets the body (sent with its `Content-Length`, as a client would).
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.post("/").body("raw bytes");
    /// ```
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.hop.body = body.into();
        self
    }

    /// Follows redirects, up to 10 (then the 10th redirect's response is returned as it
    /// is): a 301, 302 or 303 with a GET without a body, a 307 or 308 with the same method
    /// and body. Only the path and query of the `Location` are used: everything is one
    /// in-process host. The cookies set along the way are in the jar, and sent on.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Microframe, Redirect, TestClient};
    ///
    /// async fn login() -> ([(&'static str, &'static str); 1], Redirect) {
    ///     ([("set-cookie", "user=ann; Path=/")], Redirect::to("http://example.com/home"))
    /// }
    /// async fn home(environ: Environ) -> String {
    ///     format!("{} at home", environ.header("cookie").unwrap_or_default())
    /// }
    /// let client = TestClient::new(Microframe::new().post("/login", login).get("/home", home));
    /// client.post("/login").send().await.assert_status(303).assert_header("location", "http://example.com/home");
    /// client.post("/login").follow_redirects().send().await.assert_status(200).assert_body("user=ann at home");
    /// # });
    /// ```
    pub fn follow_redirects(mut self) -> Self {
        self.follow_redirects = true;
        self
    }

    /// Sends the request and reads the whole response (the last one, when following
    /// redirects).
    ///
    /// # Panics
    /// When the target is not a valid URI, the response body fails, or (for a
    /// [`validated`](TestClient::validated) client) the app broke the gateway contract.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub async fn send(self) -> TestResponse {
        let Self { client, mut hop, follow_redirects, remote_addr } = self;
        let mut response = exchange(&client, &hop, remote_addr).await;
        let redirects = if follow_redirects { MAX_REDIRECTS } else { 0 };
        for _ in 0..redirects {
            let Some(next) = hop.next(response.status, response.header("location")) else { break };
            hop = next;
            response = exchange(&client, &hop, remote_addr).await;
        }
        response
    }
}

/// One request and its response, with the jar's cookies going out and coming back.
async fn exchange(client: &TestClient, hop: &Hop, remote_addr: Option<SocketAddr>) -> TestResponse {
    let mut request = http::Request::builder()
        .method(hop.method.clone())
        .uri(&hop.target)
        .body(Full::new(hop.body.clone()))
        .unwrap_or_else(|error| panic!("invalid test request {:?}: {error}", hop.target));
    *request.headers_mut() = hop.headers.clone();
    if request.uri().scheme() == Some(&http::uri::Scheme::HTTPS) {
        // The client asked for TLS: in process, the transport's scheme is the client's say.
        request.extensions_mut().insert(gateway_tower::UrlScheme::Https);
    }
    if let Some(remote_addr) = remote_addr {
        let local_addr = SocketAddr::from(([127, 0, 0, 1], 80));
        request.extensions_mut().insert(gateway_tower::ConnectionInfo { local_addr, remote_addr });
    }
    if !hop.body.is_empty() && !request.headers().contains_key(CONTENT_LENGTH) {
        request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(hop.body.len()));
    }
    let path = request.uri().path().to_owned();
    let cookies = match &client.jar {
        Some(jar) if !request.headers().contains_key(COOKIE) => jar.lock().header(&path, Instant::now()),
        _ => None,
    };
    if let Some(cookies) = cookies {
        let cookies = HeaderValue::try_from(cookies).expect("encoded cookies are a valid header value");
        request.headers_mut().insert(COOKIE, cookies);
    }
    let response = match client.service.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap_or_else(|error| panic!("response body failed: {error}")).to_bytes();
    if let Some(jar) = &client.jar {
        let (mut jar, now) = (jar.lock(), Instant::now());
        for set_cookie in parts.headers.get_all(SET_COOKIE) {
            if let Ok(set_cookie) = std::str::from_utf8(set_cookie.as_bytes()) {
                jar.store(set_cookie, &path, now);
            }
        }
    }
    if let Some(report) = client.report.as_ref().filter(|report| !report.is_empty()) {
        let broken: Vec<String> = report.violations().iter().map(ToString::to_string).collect();
        panic!("the app broke the gateway contract: {}", broken.join("; "));
    }
    TestResponse { status: parts.status, headers: parts.headers, body }
}

#[cfg(test)]
mod tests {
    use gateway_core::{Environ, Response, StartResponse};
    use http::StatusCode;
    use http::header::{LOCATION, SET_COOKIE};

    use crate::TestClient;

    /// `/hop/<n>` sets `n<n>=1` (on path `/hop`) and 302s to `/hop/<n + 1>`, answering the
    /// cookies it got; `/r/<status>` sets `via=<status>` and redirects with that status to
    /// an absolute URL; any other path echoes the request.
    async fn app(mut environ: Environ, start_response: StartResponse) -> Response {
        let path = environ.path_info().into_owned();
        let cookies = environ.header("cookie").unwrap_or_default().into_owned();
        let redirect = |status: u16, location: String, set_cookie: String| {
            let headers = [(LOCATION, location.try_into().unwrap()), (SET_COOKIE, set_cookie.try_into().unwrap())];
            (StatusCode::from_u16(status).unwrap(), headers)
        };
        let (status, headers) = if let Some(n) = path.strip_prefix("/hop/").and_then(|n| n.parse::<u32>().ok()) {
            redirect(302, format!("/hop/{}", n + 1), format!("n{n}=1; Path=/hop"))
        } else if let Some(status) = path.strip_prefix("/r/").and_then(|status| status.parse().ok()) {
            redirect(status, format!("http://example.com/end?from={status}"), format!("via={status}; Path=/"))
        } else {
            let body = environ.input().read_to_end(1024).await.unwrap_or_default();
            let (method, query) = (environ.method().clone(), environ.query_string().to_owned());
            let echo = format!("{method} {path}?{query} [{cookies}] {}", String::from_utf8_lossy(&body));
            return start_response.start(StatusCode::OK, ()).body(echo);
        };
        start_response.start(status, headers).body(cookies)
    }

    #[tokio::test]
    async fn redirects_stop_after_ten_with_the_cookies_of_each_hop_sent_on() {
        let client = TestClient::new(app);
        let response = client.get("/hop/0").follow_redirects().send().await;
        let sent: Vec<String> = (0..10).map(|n| format!("n{n}=1")).collect();
        response.assert_status(302).assert_header("location", "/hop/11").assert_body(&sent.join("; "));
        assert_eq!(client.cookie("n10").as_deref(), Some("1"));
    }

    #[tokio::test]
    async fn see_other_and_found_get_while_temporary_and_permanent_post_again() {
        let client = TestClient::new(app);
        for (status, expected) in [
            (301, "GET /end?from=301 [via=301] "),
            (302, "GET /end?from=302 [via=302] "),
            (303, "GET /end?from=303 [via=303] "),
            (307, "POST /end?from=307 [via=307] data"),
            (308, "POST /end?from=308 [via=308] data"),
        ] {
            client.post(&format!("/r/{status}")).body("data").follow_redirects().send().await.assert_body(expected);
        }
    }

    #[tokio::test]
    async fn without_follow_redirects_the_redirect_is_the_response() {
        let client = TestClient::new(app);
        client
            .post("/r/307")
            .send()
            .await
            .assert_status(307)
            .assert_header("location", "http://example.com/end?from=307");
        assert_eq!(client.cookie("via").as_deref(), Some("307"));
    }

    #[tokio::test]
    async fn a_requests_own_cookie_header_replaces_the_jars() {
        let client = TestClient::new(app);
        client.set_cookie("jar", "1");
        client.get("/x").send().await.assert_body("GET /x? [jar=1] ");
        client.get("/x").header("cookie", "own=2").send().await.assert_body("GET /x? [own=2] ");
    }
}
