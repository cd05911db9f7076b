//! `TestClient`: in-process requests, no socket, with chained assertions.
//!
//! Requests go through `gateway_tower::GatewayService`, exactly as on the server (HEAD
//! without a body, `Content-Length` from the body, panics → 500), only without hyper and a
//! socket: what the connection rules need (`Host`, timeouts, head limits) is the server's
//! and is not applied here.

use bytes::Bytes;
use gateway_core::{App, BoxApp, Report, Validate};
use gateway_tower::GatewayService;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

mod response;

pub use response::TestResponse;

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
    /// With [`TestClient::validated`]: what `Validate` saw, checked after every response.
    report: Option<Report>,
}

impl TestClient {
    /// A client for `app`.
    ///
    /// # Examples
    /// See [`TestClient`].
    pub fn new(app: impl App) -> Self {
        Self { service: GatewayService::new(BoxApp::new(app)), report: None }
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
        Self { service: GatewayService::new(BoxApp::new(app)), report: Some(report) }
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
            report: self.report.clone(),
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
    report: Option<Report>,
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
    /// When the target is not a valid URI, the response body fails, or (for a
    /// [`validated`](TestClient::validated) client) the app broke the gateway contract.
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
        if let Some(report) = self.report.filter(|report| !report.is_empty()) {
            let broken: Vec<String> = report.violations().iter().map(ToString::to_string).collect();
            panic!("the app broke the gateway contract: {}", broken.join("; "));
        }
        TestResponse { status: parts.status, headers: parts.headers, body }
    }
}

#[cfg(test)]
mod tests {
    use gateway_core::{Environ, Response, StartResponse};
    use http::header::CONTENT_LENGTH;

    use http::StatusCode;

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
