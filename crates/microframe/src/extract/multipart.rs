//! `Multipart`: a `multipart/form-data` body, its parts streamed in order, on `multer` (the
//! rules are in [`Multipart`]'s docs). The 64 KiB bound on the preamble and the part headers
//! is `feed`'s, which says why.

mod feed;
mod field;

use gateway_core::{Environ, Input};
use http::header::CONTENT_TYPE;

use super::FromEnvironLast;
use super::body::BufferedBody;
use crate::rejection::{InvalidMultipartContentType, MultipartRejection};
use feed::{Feed, FeedError, Stall};
pub use field::MultipartField;

/// The most parts a multipart body may have: past it, 413 `Payload Too Large`.
///
/// # Examples
/// ```
/// assert_eq!(microframe::MAX_MULTIPART_PARTS, 1000);
/// ```
pub const MAX_MULTIPART_PARTS: usize = 1000;

/// The most bytes of non-file field values (parts without a file name) a multipart body may
/// hand to the handler, in all: past it, 413 `Payload Too Large`.
///
/// # Examples
/// ```
/// assert_eq!(microframe::MAX_MULTIPART_FIELD_MEMORY, 500 * 1024);
/// ```
pub const MAX_MULTIPART_FIELD_MEMORY: u64 = 500 * 1024;

/// A `multipart/form-data` body: its parts ([`MultipartField`]), in order, one at a time,
/// streamed, never held whole by the framework.
///
/// - **Streaming.** Each part gives its name, file name and type, then its bytes as they
///   arrive ([`MultipartField::chunk`]), or whole when the handler asks
///   ([`MultipartField::bytes`], [`MultipartField::text`]): a 1 GiB file part read by
///   chunks keeps memory flat. What a handler does not read is skipped when it asks for the
///   next part.
/// - **The last argument.** It takes the input stream, so it implements only
///   [`FromEnvironLast`]: `Multipart` before another extractor does not compile. A body an
///   earlier extractor cached is read from the cache.
/// - **Caps.** The body limit (the app's, or the route's `.limit(..)`) bounds the whole
///   body; at most [`MAX_MULTIPART_PARTS`] parts (1000) and [`MAX_MULTIPART_FIELD_MEMORY`]
///   bytes (500 KiB) of non-file field values in all (every byte of a part without a file
///   name that is handed to the handler counts); the preamble and each part's headers must
///   fit in 64 KiB.
/// - **Statuses** ([`MultipartRejection`]): the type is checked before the handler runs;
///   once it runs, `next_field()` and the field's reads return the refusal, and the handler
///   `?`s it, as in `async fn upload(mut form: Multipart) -> Result<String, MultipartRejection>`.
/// - **File names are data**: returned as sent (`../`, `%0D`, `%0A` included), never used
///   as a path.
///
/// | situation | status | body |
/// |---|---|---|
/// | `Content-Type` not `multipart/form-data`, or no boundary (before the handler runs) | 415 | `Expected Content-Type: multipart/form-data` |
/// | wrong boundary, a part with no end, bad part headers (or over 64 KiB), a part with no name | 400 | `Bad Request` |
/// | over [`MAX_MULTIPART_PARTS`] parts, [`MAX_MULTIPART_FIELD_MEMORY`] bytes of non-file values, or the body limit | 413 | `Payload Too Large` |
/// | the body stalls / its framing breaks | 408 / 400 | `Request Timeout` / `Bad Request` |
///
/// *Why the caps:* they are Werkzeug's. It added its 1000-part limit after a
/// denial-of-service advisory (CVE-2023-25577: a body of many small parts costs a parser
/// time and memory) and caps the in-memory form fields (500 kB by default since 3.1);
/// Bottle's multipart parser had no cap at all (bottle#496).
///
/// ```compile_fail,E0277
/// use microframe::{Form, Microframe, Multipart};
///
/// async fn save(_form: Multipart, Form(_fields): Form<Vec<(String, String)>>) -> &'static str { "saved" }
/// // `Multipart` before `Form`: does not compile (it takes the input stream, so it comes last).
/// let _app = Microframe::new().post("/save", save);
/// ```
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::rejection::MultipartRejection;
/// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
///
/// async fn upload(mut form: Multipart) -> Result<String, MultipartRejection> {
///     let mut seen = Vec::new();
///     while let Some(mut field) = form.next_field().await? {
///         let (name, file) = (field.name().to_owned(), field.file_name().map(str::to_owned));
///         let mut size = 0;
///         while let Some(chunk) = field.chunk().await? {
///             size += chunk.len(); // write it somewhere: it is not kept
///         }
///         seen.push(format!("{name}={file:?}:{size}"));
///     }
///     Ok(seen.join(" "))
/// }
/// let client = TestClient::new(Microframe::new().post("/upload", upload).limit(8 << 20));
/// let form = MultipartForm::new().text("title", "cat").file("photo", "cat.png", "image/png", vec![7; 3 << 20]);
/// client.post("/upload").multipart(form).send().await
///     .assert_status(200)
///     .assert_body(r#"title=None:3 photo=Some("cat.png"):3145728"#);
/// client.post("/upload").form(&[("title", "cat")]).send().await
///     .assert_status(415)
///     .assert_body("Expected Content-Type: multipart/form-data");
/// client.post("/upload").header("content-type", "multipart/form-data; boundary=x").body("--y\r\n").send().await
///     .assert_status(400)
///     .assert_body("Bad Request");
/// # });
/// ```
#[derive(Debug)]
pub struct Multipart {
    parser: multer::Multipart<'static>,
    /// The part being read; drained (counted as progress) before the next is parsed.
    current: Option<multer::Field<'static>>,
    reading: Reading,
}

/// What the caps count, and the refusal once one happened (every later read returns it).
#[derive(Debug, Default)]
struct Reading {
    parts: usize,
    field_memory: u64,
    failed: Option<MultipartRejection>,
    stall: Stall,
}

impl Reading {
    fn fail(&mut self, rejection: MultipartRejection) -> MultipartRejection {
        self.failed = Some(rejection.clone());
        rejection
    }
}

/// The rejection for what `multer` (or the input under it) failed with.
fn rejection_of(error: multer::Error) -> MultipartRejection {
    tracing::debug!(%error, "multipart body refused");
    match error {
        multer::Error::StreamReadFailed(cause) => match cause.downcast::<FeedError>().map(|feed| *feed) {
            Ok(FeedError::Input(error)) => error.into(),
            Ok(FeedError::NoProgress) => MultipartRejection::Malformed,
            Err(_) => MultipartRejection::BadBody,
        },
        _ => MultipartRejection::Malformed,
    }
}

impl Multipart {
    /// The next part, `None` after the last. What the handler did not read of the part
    /// before is skipped first.
    ///
    /// # Errors
    /// A malformed body or a part with no name (400), more than [`MAX_MULTIPART_PARTS`]
    /// parts or the body limit (413), a stalled body (408), broken framing (400). After a
    /// refusal every call returns it again.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::rejection::MultipartRejection;
    /// use microframe::{Microframe, Multipart, MultipartForm, TestClient};
    ///
    /// async fn names(mut form: Multipart) -> Result<String, MultipartRejection> {
    ///     let mut names = Vec::new();
    ///     while let Some(field) = form.next_field().await? {
    ///         names.push(field.name().to_owned()); // the value is skipped
    ///     }
    ///     Ok(names.join(","))
    /// }
    /// let client = TestClient::new(Microframe::new().post("/", names));
    /// let form = MultipartForm::new().text("a", "1").file("b", "b.txt", "text/plain", "2").text("a", "3");
    /// client.post("/").multipart(form).send().await.assert_body("a,b,a");
    /// let unnamed = "--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--\r\n";
    /// client.post("/").header("content-type", "multipart/form-data; boundary=x").body(unnamed).send().await
    ///     .assert_status(400)
    ///     .assert_body("Bad Request");
    /// # });
    /// ```
    pub async fn next_field(&mut self) -> Result<Option<MultipartField<'_>>, MultipartRejection> {
        if let Some(failed) = &self.reading.failed {
            return Err(failed.clone());
        }
        if let Some(mut before) = self.current.take() {
            loop {
                match before.chunk().await {
                    Ok(Some(_)) => self.reading.stall.progress(),
                    Ok(None) => break,
                    Err(error) => return Err(self.reading.fail(rejection_of(error))),
                }
            }
        }
        let field = match self.parser.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(None),
            Err(error) => return Err(self.reading.fail(rejection_of(error))),
        };
        self.reading.stall.progress();
        self.reading.parts += 1;
        if self.reading.parts > MAX_MULTIPART_PARTS {
            return Err(self.reading.fail(MultipartRejection::TooManyParts));
        }
        if field.name().is_none() {
            return Err(self.reading.fail(MultipartRejection::Malformed));
        }
        let field = self.current.insert(field);
        Ok(Some(MultipartField { field, reading: &mut self.reading }))
    }
}

/// `multipart/form-data` with a non-empty boundary, or 415.
fn boundary(environ: &Environ) -> Result<String, MultipartRejection> {
    let value = environ.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
    match value.map(multer::parse_boundary) {
        Some(Ok(boundary)) if !boundary.is_empty() => Ok(boundary),
        _ => Err(MultipartRejection::InvalidContentType(InvalidMultipartContentType)),
    }
}

impl FromEnvironLast for Multipart {
    type Rejection = MultipartRejection;

    /// Checks the `Content-Type` (415) and takes the input stream, or the cached body when
    /// an extractor before it read the body; nothing is read yet.
    async fn from_environ_last(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let boundary = boundary(environ)?;
        let input = match environ.extensions().get::<BufferedBody>() {
            Some(BufferedBody(body)) => Input::from_bytes(body.clone()),
            None => std::mem::replace(environ.input(), Input::empty()),
        };
        let reading = Reading::default();
        let parser = multer::Multipart::new(Feed::new(input, reading.stall.clone()), boundary);
        Ok(Self { parser, current: None, reading })
    }
}

impl FromEnvironLast for Result<Multipart, MultipartRejection> {
    type Rejection = std::convert::Infallible;

    /// The body, or its 415 for the handler to answer itself.
    async fn from_environ_last(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(Multipart::from_environ_last(environ).await)
    }
}

#[cfg(test)]
mod tests;
