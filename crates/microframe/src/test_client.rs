//! `TestClient`: in-process requests, no socket, with chained assertions and a cookie jar
//! (what it does and does not do like a server is in [`TestClient`]'s docs).

use std::time::Instant;

use cookie::Cookie;
use gateway_core::{App, BoxApp, Report, Validate};
use gateway_tower::GatewayService;
use http::Method;

mod jar;
mod json;
mod multipart;
mod redirect;
mod request;
mod response;

use jar::SharedJar;
pub use multipart::MultipartForm;
pub use request::TestRequest;
pub use response::TestResponse;

/// An in-process client for any gateway app.
///
/// Requests go through [`gateway_tower::GatewayService`], exactly as on the server (HEAD
/// without a body, `Content-Length` from the body, panics → 500), only without hyper and a
/// socket: what the connection rules need (`Host`, timeouts, head limits) is the server's
/// and is not applied here. Like a browser (and Flask's test client), the client keeps the
/// cookies it is given and sends them back, so sessions and logins work across requests.
///
/// Every `Set-Cookie` it receives goes into its cookie jar (shared with its clones), and
/// every request sends the jar's cookies whose `Path` matches (RFC 6265 §5.1.4), most
/// specific first, until they expire (`Max-Age`, which wins over `Expires`, §5.3) or are
/// replaced. `Domain` and `Secure` are kept but ignored: everything is one in-process host. See [`TestClient::cookie`].
///
/// A target with a scheme and host, `https://shop.example/cart`, is the request a browser
/// sends to that origin: the app sees that `Host`, and for `https` the scheme of a TLS
/// connection (`gateway.url_scheme` = `https`, so cookies get `Secure`), as with Flask's
/// test client. (A server never believes a target's scheme; only the transport says it.)
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Environ, Microframe, TestClient};
///
/// async fn scheme(environ: Environ) -> String { format!("{} {}", environ.url_scheme(), environ.server_name()) }
/// let client = TestClient::new(Microframe::new().get("/", scheme));
/// client.get("/").send().await.assert_body("http localhost");
/// client.get("https://shop.example/").send().await.assert_body("https shop.example");
/// # });
/// ```
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, TestClient};
///
/// async fn index() -> &'static str { "Index" }
/// let client = TestClient::new(Microframe::new().get("/", index));
/// client.get("/").send().await
///     .assert_status(200)
///     .assert_header("content-type", "text/plain; charset=utf-8")
///     .assert_body("Index");
/// client.get("/nope").send().await.assert_status(404).assert_body("Not Found");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TestClient {
    service: GatewayService<BoxApp>,
    /// With [`TestClient::validated`]: what `Validate` saw, checked after every response.
    report: Option<Report>,
    /// `None` after [`TestClient::without_cookies`].
    jar: Option<SharedJar>,
}

impl TestClient {
    /// A client for `app`.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub fn new(app: impl App) -> Self {
        Self { service: GatewayService::new(BoxApp::new(app)), report: None, jar: Some(SharedJar::default()) }
    }

    /// A client for `app` wrapped in [`Validate`]: every response is also checked against
    /// the gateway contract, and [`send`](TestRequest::send) panics with the broken rule's
    /// name. The way to test an app you wrote against `gateway-core` by hand.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use gateway_core::{Environ, Response, StartResponse};
    /// use microframe::TestClient;
    ///
    /// async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
    ///     start_response.start(http::StatusCode::OK, ()).body("Hello world!")
    /// }
    /// TestClient::validated(hello).get("/").send().await.assert_body("Hello world!");
    /// # });
    /// ```
    pub fn validated(app: impl App) -> Self {
        let app = Validate::new(app);
        let report = app.report();
        Self { service: GatewayService::new(BoxApp::new(app)), report: Some(report), jar: Some(SharedJar::default()) }
    }

    /// This client without a cookie jar: `Set-Cookie` is ignored and a request sends only
    /// the `Cookie` header it sets itself. Clones made before keep the jar.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Microframe, TestClient};
    ///
    /// async fn set() -> ([(&'static str, &'static str); 1], &'static str) { ([("set-cookie", "a=1")], "") }
    /// async fn echo(environ: Environ) -> String { environ.header("cookie").unwrap_or_default().into_owned() }
    /// let client = TestClient::new(Microframe::new().get("/set", set).get("/echo", echo)).without_cookies();
    /// client.get("/set").send().await.assert_header("set-cookie", "a=1");
    /// client.get("/echo").send().await.assert_body("");
    /// assert_eq!(client.cookie("a"), None);
    /// client.get("/echo").header("cookie", "b=2").send().await.assert_body("b=2");
    /// # });
    /// ```
    pub fn without_cookies(mut self) -> Self {
        self.jar = None;
        self
    }

    /// The value of the jar's live cookie `name`, whatever its path (the most specific
    /// path's when there are several), decoded; `None` when there is none (or no jar).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Microframe, TestClient};
    ///
    /// async fn login() -> ([(&'static str, &'static str); 2], &'static str) {
    ///     ([("set-cookie", "user=ann%20b; Path=/"), ("set-cookie", "theme=dark; Path=/; Max-Age=0")], "hi")
    /// }
    /// async fn echo(environ: Environ) -> String { environ.header("cookie").unwrap_or_default().into_owned() }
    /// let client = TestClient::new(Microframe::new().post("/login", login).get("/echo", echo));
    /// client.post("/login").send().await.assert_status(200);
    /// assert_eq!(client.cookie("user").as_deref(), Some("ann b"));
    /// assert_eq!(client.cookie("theme"), None); // Max-Age=0 deletes
    /// client.clone().get("/echo").send().await.assert_body("user=ann%20b"); // clones share the jar
    /// # });
    /// ```
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.as_ref()?.lock().value(name, Instant::now())
    }

    /// Puts the cookie `name=value` with `Path=/` in the jar (replacing one of that name
    /// and path), as if the app had set it: the way to start a test logged in, say.
    ///
    /// # Panics
    /// On a client [`without_cookies`](TestClient::without_cookies).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Environ, Microframe, TestClient};
    ///
    /// async fn echo(environ: Environ) -> String { environ.header("cookie").unwrap_or_default().into_owned() }
    /// let client = TestClient::new(Microframe::new().get("/echo", echo));
    /// client.set_cookie("lang", "en");
    /// client.set_cookie("note", "a;b");
    /// client.get("/echo").send().await.assert_body("lang=en; note=a%3Bb");
    /// # });
    /// ```
    pub fn set_cookie(&self, name: &str, value: &str) {
        let jar = self.jar.as_ref().expect("set_cookie on a client without cookies");
        let cookie = Cookie::build((name.to_owned(), value.to_owned())).path("/").build();
        jar.lock().insert(cookie, "/", Instant::now());
    }

    /// A request with any method.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.request(http::Method::PATCH, "/x");
    /// ```
    pub fn request(&self, method: Method, target: &str) -> TestRequest {
        TestRequest::new(self.clone(), method, target)
    }

    /// A GET request.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub fn get(&self, target: &str) -> TestRequest {
        self.request(Method::GET, target)
    }

    /// A HEAD request.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.head("/");
    /// ```
    pub fn head(&self, target: &str) -> TestRequest {
        self.request(Method::HEAD, target)
    }

    /// A POST request.
    ///
    /// # Examples
    /// See [`TestRequest::form`].
    pub fn post(&self, target: &str) -> TestRequest {
        self.request(Method::POST, target)
    }

    /// A PUT request.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.put("/");
    /// ```
    pub fn put(&self, target: &str) -> TestRequest {
        self.request(Method::PUT, target)
    }

    /// A DELETE request.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.delete("/");
    /// ```
    pub fn delete(&self, target: &str) -> TestRequest {
        self.request(Method::DELETE, target)
    }

    /// An OPTIONS request.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.options("/");
    /// ```
    pub fn options(&self, target: &str) -> TestRequest {
        self.request(Method::OPTIONS, target)
    }
}

#[cfg(test)]
mod tests {
    use gateway_core::{Environ, Response, StartResponse};
    use http::header::CONTENT_LENGTH;
    use http::{HeaderValue, StatusCode};

    use super::*;

    async fn liar(_environ: Environ, start_response: StartResponse) -> Response {
        start_response.start(StatusCode::OK, [(CONTENT_LENGTH, HeaderValue::from(5_u64))]).body("1234567")
    }

    #[tokio::test]
    #[should_panic(expected = "content-length-matches-body")]
    async fn a_validated_client_names_the_broken_rule() {
        let _ = TestClient::validated(liar).get("/").send().await;
    }

    #[tokio::test]
    async fn a_plain_client_sees_the_servers_500() {
        TestClient::new(liar).get("/").send().await.assert_status(500).assert_body("Internal Server Error");
    }
}
