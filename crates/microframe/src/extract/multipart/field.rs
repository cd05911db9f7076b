//! One part of a multipart body, streamed: its name, file name and type, then its bytes.

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http::header::CONTENT_TYPE;

use super::{MAX_MULTIPART_FIELD_MEMORY, Reading};
use crate::rejection::MultipartRejection;

/// One part of a [`Multipart`](crate::Multipart) body, borrowed from it: the next field
/// can only be asked for once this one is dropped (what it did not read is skipped then).
///
/// Its bytes come as they arrive ([`chunk`](Self::chunk)), or whole
/// ([`bytes`](Self::bytes), [`text`](Self::text)). Every byte of a non-file field (one
/// without a file name) handed to the handler counts toward the request's
/// [`MAX_MULTIPART_FIELD_MEMORY`]; a file part's bytes count only toward the body limit.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::rejection::MultipartRejection;
/// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
///
/// async fn describe(mut form: Multipart) -> Result<String, MultipartRejection> {
///     let mut out = Vec::new();
///     while let Some(field) = form.next_field().await? {
///         let head = format!("{} {:?} {:?}", field.name(), field.file_name(), field.content_type());
///         out.push(format!("{head} {}", field.text().await?));
///     }
///     Ok(out.join("; "))
/// }
/// let client = TestClient::new(Microframe::new().post("/", describe));
/// let form = MultipartForm::new().text("note", "hi").file("doc", "a.txt", "text/plain", "body");
/// client.post("/").multipart(form).send().await
///     .assert_body(r#"note None None hi; doc Some("a.txt") Some("text/plain") body"#);
/// # });
/// ```
#[derive(Debug)]
pub struct MultipartField<'a> {
    pub(super) field: &'a mut multer::Field<'static>,
    pub(super) reading: &'a mut Reading,
}

impl MultipartField<'_> {
    /// The part's `name` (every part has one: a part without is refused with 400).
    ///
    /// # Examples
    /// See [`MultipartField`].
    pub fn name(&self) -> &str {
        self.field.name().unwrap_or_default()
    }

    /// The part's `filename`, exactly as sent (`multer` undoes only `\"`): data, never a
    /// path. `../../etc/passwd` arrives as it is; so do a browser's `%0D`, `%0A` and `%22`.
    /// `None` for a non-file field, or a file name that is not UTF-8.
    ///
    /// # Examples
    /// See [`MultipartField`].
    pub fn file_name(&self) -> Option<&str> {
        self.field.file_name()
    }

    /// The part's `Content-Type` header as sent (`None` without one, or if not text).
    ///
    /// # Examples
    /// See [`MultipartField`].
    pub fn content_type(&self) -> Option<&str> {
        self.field.headers().get(CONTENT_TYPE)?.to_str().ok()
    }

    /// All the part's headers.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
    ///
    /// async fn disposition(mut form: Multipart) -> String {
    ///     match form.next_field().await {
    ///         Ok(Some(field)) => field.headers()["content-disposition"].to_str().unwrap_or("").to_owned(),
    ///         _ => "none".to_owned(),
    ///     }
    /// }
    /// let client = TestClient::new(Microframe::new().post("/", disposition));
    /// client.post("/").multipart(MultipartForm::new().text("a", "1")).send().await
    ///     .assert_body(r#"form-data; name="a""#);
    /// # });
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        self.field.headers()
    }

    /// The next chunk of the part's bytes, as it arrives; `None` at the part's end.
    ///
    /// # Errors
    /// The body's refusal (see [`MultipartRejection`]): a part with no end (400), the body
    /// limit (413), the field memory cap for a non-file field (413), a stalled body (408).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::rejection::MultipartRejection;
    /// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
    ///
    /// async fn size(mut form: Multipart) -> Result<String, MultipartRejection> {
    ///     let mut total = 0;
    ///     while let Some(mut field) = form.next_field().await? {
    ///         while let Some(chunk) = field.chunk().await? {
    ///             total += chunk.len();
    ///         }
    ///     }
    ///     Ok(total.to_string())
    /// }
    /// let client = TestClient::new(Microframe::new().post("/", size));
    /// let form = MultipartForm::new().file("f", "z.bin", "application/octet-stream", vec![0; 100_000]);
    /// client.post("/").multipart(form).send().await.assert_body("100000");
    /// # });
    /// ```
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, MultipartRejection> {
        if let Some(failed) = &self.reading.failed {
            return Err(failed.clone());
        }
        let chunk = match self.field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(None),
            Err(error) => return Err(self.reading.fail(super::rejection_of(error))),
        };
        self.reading.stall.progress();
        if self.field.file_name().is_none() {
            self.reading.field_memory += chunk.len() as u64;
            if self.reading.field_memory > MAX_MULTIPART_FIELD_MEMORY {
                return Err(self.reading.fail(MultipartRejection::FieldsTooLarge));
            }
        }
        Ok(Some(chunk))
    }

    /// The rest of the part's bytes, whole (a file part's too: the handler's choice, bounded
    /// by the body limit).
    ///
    /// # Errors
    /// As [`chunk`](Self::chunk).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::rejection::MultipartRejection;
    /// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
    ///
    /// async fn first(mut form: Multipart) -> Result<Vec<u8>, MultipartRejection> {
    ///     match form.next_field().await? {
    ///         Some(field) => Ok(field.bytes().await?.to_vec()),
    ///         None => Ok(Vec::new()),
    ///     }
    /// }
    /// let client = TestClient::new(Microframe::new().post("/", first));
    /// let form = MultipartForm::new().file("f", "b.bin", "application/octet-stream", vec![0, 159, 146, 150]);
    /// assert_eq!(&client.post("/").multipart(form).send().await.bytes()[..], [0, 159, 146, 150]);
    /// # });
    /// ```
    pub async fn bytes(mut self) -> Result<Bytes, MultipartRejection> {
        let mut whole = BytesMut::new();
        while let Some(chunk) = self.chunk().await? {
            whole.extend_from_slice(&chunk);
        }
        Ok(whole.freeze())
    }

    /// The rest of the part's bytes as UTF-8 text (what browsers send), a sequence that is
    /// not UTF-8 replaced with U+FFFD.
    ///
    /// # Errors
    /// As [`chunk`](Self::chunk).
    ///
    /// # Examples
    /// See [`MultipartField`].
    pub async fn text(self) -> Result<String, MultipartRejection> {
        let bytes = self.bytes().await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
