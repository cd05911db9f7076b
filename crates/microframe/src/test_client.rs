//! `TestClient`: in-process requests, no socket, with chained assertions.
//!
//! Requests go through `gateway_tower::GatewayService`, exactly as on the server (HEAD
//! without a body, `Content-Length` from the body, panics → 500), only without hyper and a
//! socket: what the connection rules need (`Host`, timeouts, head limits) is the server's
//! and is not applied here.

use bytes::Bytes;
use gateway_core::{App, BoxApp};
use gateway_tower::GatewayService;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

/// An in-process client for any gateway app.
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
}

impl TestClient {
    /// A client for `app`.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub fn new(app: impl App) -> Self {
        Self { service: GatewayService::new(BoxApp::new(app)) }
    }

    /// A request with any method.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.request(http::Method::PATCH, "/x");
    /// ```
    pub fn request(&self, method: Method, target: &str) -> TestRequest {
        TestRequest {
            service: self.service.clone(),
            method,
            target: target.to_owned(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
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

/// A request being built; [`send`](TestRequest::send) it.
#[derive(Debug)]
#[must_use = "a request does nothing until sent"]
pub struct TestRequest {
    service: GatewayService<BoxApp>,
    method: Method,
    target: String,
    headers: HeaderMap,
    body: Bytes,
}

impl TestRequest {
    /// Adds a header.
    ///
    /// # Panics
    /// When the name or value is not valid in HTTP.
    ///
    /// # Examples
    /// ```
    /// # let client = microframe::TestClient::new(microframe::Microframe::new());
    /// let _request = client.get("/").header("x-custom-thing", "yes");
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("a valid header name");
        let value = HeaderValue::try_from(value).expect("a valid header value");
        self.headers.append(name, value);
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
        self.target.push(if self.target.contains('?') { '&' } else { '?' });
        self.target.push_str(&encoded);
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
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        self.body = Bytes::from(encoded);
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
        self.body = body.into();
        self
    }

    /// Sends the request and reads the whole response.
    ///
    /// # Panics
    /// When the target is not a valid URI, or the response body fails.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub async fn send(self) -> TestResponse {
        let mut request = http::Request::builder()
            .method(self.method)
            .uri(&self.target)
            .body(Full::new(self.body.clone()))
            .unwrap_or_else(|error| panic!("invalid test request {:?}: {error}", self.target));
        *request.headers_mut() = self.headers;
        if !self.body.is_empty() && !request.headers().contains_key(CONTENT_LENGTH) {
            request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(self.body.len()));
        }
        let response = match self.service.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap_or_else(|error| panic!("response body failed: {error}")).to_bytes();
        TestResponse { status: parts.status, headers: parts.headers, body }
    }
}

/// A response read whole, with assertions that panic with a useful message and return the
/// response for chaining.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl TestResponse {
    /// The status.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let response = microframe::TestClient::new(microframe::Microframe::new()).get("/").send().await;
    /// assert_eq!(response.status(), 404);
    /// # });
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let response = microframe::TestClient::new(microframe::Microframe::new()).get("/").send().await;
    /// assert_eq!(response.headers()["content-length"], "9");
    /// # });
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value as text, when present and visible ASCII.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let response = microframe::TestClient::new(microframe::Microframe::new()).get("/").send().await;
    /// assert_eq!(response.header("content-type"), Some("text/plain; charset=utf-8"));
    /// # });
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body bytes.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let response = microframe::TestClient::new(microframe::Microframe::new()).get("/").send().await;
    /// assert_eq!(response.bytes(), "Not Found");
    /// # });
    /// ```
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (lossy UTF-8).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let response = microframe::TestClient::new(microframe::Microframe::new()).get("/").send().await;
    /// assert_eq!(response.text(), "Not Found");
    /// # });
    /// ```
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the status.
    ///
    /// # Panics
    /// When it differs (the message shows the body).
    ///
    /// # Examples
    /// See [`TestClient`].
    #[track_caller]
    pub fn assert_status(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {:?}", self.text());
        self
    }

    /// Asserts the whole body.
    ///
    /// # Panics
    /// When it differs.
    ///
    /// # Examples
    /// See [`TestClient`].
    #[track_caller]
    pub fn assert_body(self, body: &str) -> Self {
        assert_eq!(self.text(), body, "unexpected body (status {})", self.status);
        self
    }

    /// Asserts that the body contains `part`.
    ///
    /// # Panics
    /// When it does not.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let client = microframe::TestClient::new(microframe::Microframe::new());
    /// client.get("/").send().await.assert_body_contains("Found");
    /// # });
    /// ```
    #[track_caller]
    pub fn assert_body_contains(self, part: &str) -> Self {
        let text = self.text();
        assert!(text.contains(part), "body does not contain {part:?}: {text:?}");
        self
    }

    /// Asserts that the body does not contain `part` (an unescaped `<script>`, say).
    ///
    /// # Panics
    /// When it does.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let client = microframe::TestClient::new(microframe::Microframe::new());
    /// client.get("/").send().await.assert_body_lacks("<script>");
    /// # });
    /// ```
    #[track_caller]
    pub fn assert_body_lacks(self, part: &str) -> Self {
        let text = self.text();
        assert!(!text.contains(part), "body contains {part:?}: {text:?}");
        self
    }

    /// Asserts a header's value.
    ///
    /// # Panics
    /// When the header is absent or differs.
    ///
    /// # Examples
    /// See [`TestClient`].
    #[track_caller]
    pub fn assert_header(self, name: &str, value: &str) -> Self {
        assert_eq!(self.header(name), Some(value), "unexpected `{name}` header");
        self
    }

    /// Asserts that a header is absent.
    ///
    /// # Panics
    /// When it is present.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let client = microframe::TestClient::new(microframe::Microframe::new());
    /// client.get("/").send().await.assert_no_header("location");
    /// # });
    /// ```
    #[track_caller]
    pub fn assert_no_header(self, name: &str) -> Self {
        assert!(!self.headers.contains_key(name), "unexpected `{name}` header: {:?}", self.headers.get(name));
        self
    }
}
