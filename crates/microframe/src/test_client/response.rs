//! `TestResponse`: a response read whole, with chained assertions.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// A response read whole, with assertions that panic with a useful message and return the
/// response for chaining.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, TestClient};
///
/// async fn index() -> &'static str { "Index" }
/// let response = TestClient::new(Microframe::new().get("/", index)).get("/").send().await;
/// assert_eq!(response.text(), "Index");
/// response.assert_status(200).assert_body_contains("Ind").assert_body_lacks("<");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
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
    /// See [`TestClient`](crate::TestClient).
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
    /// See [`TestClient`](crate::TestClient).
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
    /// See [`TestClient`](crate::TestClient).
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
