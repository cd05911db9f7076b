//! Multipart request bodies: `MultipartForm` builds one, `TestRequest::multipart` sends it.

use bytes::{BufMut, Bytes, BytesMut};
use http::HeaderValue;
use http::header::CONTENT_TYPE;

use super::TestRequest;

/// A `multipart/form-data` body being built, part by part, in order, as a browser encodes
/// it: names and file names with `"`, CR and LF written `%22`, `%0D`, `%0A`. The boundary
/// is one that occurs in no part.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::rejection::MultipartRejection;
/// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
///
/// async fn upload(mut form: Multipart) -> Result<String, MultipartRejection> {
///     let mut seen = Vec::new();
///     while let Some(field) = form.next_field().await? {
///         let name = field.name().to_owned();
///         seen.push(format!("{name}={}", field.bytes().await?.len()));
///     }
///     Ok(seen.join(" "))
/// }
/// let client = TestClient::new(Microframe::new().post("/", upload));
/// let form = MultipartForm::new().text("name", "ann").file("photo", "a.png", "image/png", vec![1, 2, 3]);
/// client.post("/").multipart(form).send().await.assert_status(200).assert_body("name=3 photo=3");
/// # });
/// ```
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    /// The part's headers, each line ending in CRLF.
    head: String,
    body: Bytes,
}

/// A name or file name as browsers write it in a quoted string.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

impl MultipartForm {
    /// An empty form.
    ///
    /// # Examples
    /// ```
    /// let form = microframe::MultipartForm::new();
    /// assert_eq!(form.to_bytes(), format!("--{}--\r\n", form.boundary()));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field (no file name, no `Content-Type`).
    ///
    /// # Examples
    /// ```
    /// let form = microframe::MultipartForm::new().text("a", "1");
    /// let expected = format!("--{0}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--{0}--\r\n", form.boundary());
    /// assert_eq!(form.to_bytes(), expected);
    /// ```
    pub fn text(mut self, name: &str, value: &str) -> Self {
        let head = format!("Content-Disposition: form-data; name=\"{}\"\r\n", quoted(name));
        self.parts.push(Part { head, body: Bytes::copy_from_slice(value.as_bytes()) });
        self
    }

    /// Adds a file part.
    ///
    /// # Examples
    /// ```
    /// let form = microframe::MultipartForm::new().file("f", "a\".txt", "text/plain", "hi");
    /// let body = String::from_utf8(form.to_bytes().to_vec()).unwrap();
    /// assert!(body.contains("name=\"f\"; filename=\"a%22.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n"));
    /// ```
    pub fn file(mut self, name: &str, file_name: &str, content_type: &str, bytes: impl Into<Bytes>) -> Self {
        let head = format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n",
            quoted(name),
            quoted(file_name),
        );
        self.parts.push(Part { head, body: bytes.into() });
        self
    }

    /// The boundary: `microframe-boundary-<n>` with the first `n` that occurs in no part.
    ///
    /// # Examples
    /// ```
    /// use microframe::MultipartForm;
    /// assert_eq!(MultipartForm::new().boundary(), "microframe-boundary-0");
    /// assert_eq!(MultipartForm::new().text("a", "microframe-boundary-0").boundary(), "microframe-boundary-1");
    /// ```
    pub fn boundary(&self) -> String {
        let occurs = |boundary: &str| {
            self.parts.iter().any(|part| {
                part.head.contains(boundary) || part.body.windows(boundary.len()).any(|w| w == boundary.as_bytes())
            })
        };
        (0_u64..).map(|n| format!("microframe-boundary-{n}")).find(|boundary| !occurs(boundary)).unwrap_or_default()
    }

    /// The `Content-Type` to send the body with.
    ///
    /// # Examples
    /// ```
    /// let form = microframe::MultipartForm::new();
    /// assert_eq!(form.content_type(), "multipart/form-data; boundary=microframe-boundary-0");
    /// ```
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary())
    }

    /// The encoded body.
    ///
    /// # Examples
    /// See [`MultipartForm::text`].
    pub fn to_bytes(&self) -> Bytes {
        let boundary = self.boundary();
        let mut body = BytesMut::new();
        for part in &self.parts {
            body.put_slice(format!("--{boundary}\r\n{}\r\n", part.head).as_bytes());
            body.put_slice(&part.body);
            body.put_slice(b"\r\n");
        }
        body.put_slice(format!("--{boundary}--\r\n").as_bytes());
        body.freeze()
    }
}

impl TestRequest {
    /// Sets `form` as the body, with `Content-Type: multipart/form-data; boundary=...`.
    ///
    /// # Examples
    /// See [`MultipartForm`].
    pub fn multipart(mut self, form: MultipartForm) -> Self {
        let content_type = HeaderValue::try_from(form.content_type()).expect("the boundary is a valid header value");
        self.hop.headers.insert(CONTENT_TYPE, content_type);
        self.body(form.to_bytes())
    }
}
