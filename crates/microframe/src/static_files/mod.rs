//! Static files: a directory served as a gateway app, on tower-http's `ServeDir` (what is
//! served, and how, is in [`StaticFiles`]'s docs).
//!
//! `ServeDir` gives the validators, conditional requests, single ranges, precompressed
//! siblings, HEAD and streaming; around it this module adds the confinement (`confine`),
//! `If-Range` and the invalid-`Range` rule (`range`), and the headers.

mod confine;
mod range;

use std::path::{Path, PathBuf};

use gateway_core::{App, Environ, Response, StartResponse};
use gateway_tower::TowerApp;
use http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use http::{HeaderValue, Method, StatusCode};
use tower_http::services::ServeDir;

use crate::rejection::{MethodNotAllowed, NotFound};
use crate::response::IntoResponse;
use range::{FileSize, RangeAware, Uncompressed};

const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");

/// A directory of files as a gateway app: mount it, or use
/// [`Microframe::static_files`](crate::Microframe::static_files), which also names the route
/// `static` for `url_for`. It stands on tower-http's `ServeDir`.
///
/// **Which file a request names** is decided on the raw path before any decoding, then on
/// the file system (`ServeDir` decodes `%2f` into a separator, strips a leading `/`, skips
/// empty segments and follows symlinks; none of that may decide which file is served). A
/// raw path below the mount (`gateway.raw_path_info`) names a file only when it is `/`
/// followed by segments that are non-empty, not `.` or `..` (raw or percent-encoded), and
/// free of `\`, NUL and encoded `/` or `\`. Then the file must exist inside the directory
/// once symlinks are resolved, and be a file, not a directory. Anything else is "no such
/// file": 404 `Not Found`, the framework's refusal, so error pages render it (no listing,
/// no `index.html`, no trailing-slash redirect). Its precompressed siblings (`.br`, `.gz`)
/// follow the same rules; one that does not is never served (the file goes out
/// uncompressed). Other methods than GET and HEAD are 405 with `Allow: GET, HEAD`.
///
/// **What a file response has**:
/// - validators: a strong `ETag` from size and modification time with nanoseconds, and
///   `Last-Modified`; `If-None-Match` over `If-Modified-Since`, with 304s that keep them;
/// - single ranges (206; 416 with `Content-Range: bytes */<len>`); a syntactically invalid
///   `Range` is ignored (a whole 200, RFC 9110 §14.2), as are several ranges (the whole
///   file, 200); `If-Range` whose ETag or date does not match the file gives the whole file
///   with 200 (§13.1.5);
/// - the precompressed siblings (`x.css.br`, `x.css.gz`) with `Content-Encoding` and
///   `Vary: Accept-Encoding` (also on the fallback);
/// - `charset=utf-8` on `text/*`, JavaScript and JSON; `X-Content-Type-Options: nosniff`;
///   `Cache-Control` ([`cache_control`](StaticFiles::cache_control); `no-cache` by default:
///   the browser keeps the file but asks each time, cheap with the validators) on every
///   file response and 304;
/// - HEAD, and the body streamed in chunks, never read whole (a 1 GiB file keeps memory
///   flat).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, StaticFiles, TestClient};
///
/// let dir = std::env::temp_dir().join(format!("microframe-doc-static-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("css")).unwrap();
/// std::fs::write(dir.join("css/site.css"), "body { color: teal }").unwrap();
///
/// let app = Microframe::new().mount("/assets", StaticFiles::new(&dir).cache_control("max-age=3600"));
/// let client = TestClient::new(app);
/// client.get("/assets/css/site.css").send().await
///     .assert_status(200)
///     .assert_header("content-type", "text/css; charset=utf-8")
///     .assert_header("cache-control", "max-age=3600")
///     .assert_header("x-content-type-options", "nosniff")
///     .assert_body("body { color: teal }");
/// client.get("/assets/../Cargo.toml").send().await.assert_status(404).assert_body("Not Found");
/// client.get("/assets/css%2Fsite.css").send().await.assert_status(404); // an encoded `/`
/// client.get("/assets/css").send().await.assert_status(404); // a directory
/// client.post("/assets/css/site.css").send().await.assert_status(405).assert_header("allow", "GET, HEAD");
///
/// let etag = client.get("/assets/css/site.css").send().await.header("etag").unwrap().to_owned();
/// client.get("/assets/css/site.css").header("if-none-match", &etag).send().await.assert_status(304);
/// client.get("/assets/css/site.css").header("range", "bytes=0-3").send().await
///     .assert_status(206)
///     .assert_body("body");
/// client.get("/assets/css/site.css").header("range", "bytes=oops").send().await
///     .assert_status(200) // an invalid range is ignored
///     .assert_body("body { color: teal }");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct StaticFiles {
    /// The directory, canonical; `None` when it does not exist (everything is 404).
    root: Option<PathBuf>,
    files: TowerApp<RangeAware>,
    cache_control: HeaderValue,
}

impl StaticFiles {
    /// Serves the files under `dir`. A directory that does not exist serves nothing (404).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{StaticFiles, TestClient};
    ///
    /// let client = TestClient::new(StaticFiles::new("/no/such/directory"));
    /// client.get("/anything.txt").send().await.assert_status(404).assert_body("Not Found");
    /// # });
    /// ```
    pub fn new(dir: impl AsRef<Path>) -> Self {
        let dir = dir.as_ref();
        let serve = ServeDir::new(dir)
            .append_index_html_on_directories(false)
            .redirect_to_trailing_slash(false)
            .ignore_multi_range_requests(true)
            .precompressed_br()
            .precompressed_gzip();
        Self { root: dir.canonicalize().ok(), files: TowerApp::new(RangeAware(serve)), cache_control: NO_CACHE }
    }

    /// The `Cache-Control` of every file response and 304 (`no-cache` by default;
    /// `max-age=31536000, immutable` for files whose names change with their content).
    ///
    /// # Panics
    /// When `value` is not a valid header value.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{StaticFiles, TestClient};
    ///
    /// let dir = std::env::temp_dir().join(format!("microframe-doc-cache-control-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("app.3f9a.js"), "run()").unwrap();
    /// let client = TestClient::new(StaticFiles::new(&dir).cache_control("max-age=31536000, immutable"));
    /// client.get("/app.3f9a.js").send().await
    ///     .assert_header("cache-control", "max-age=31536000, immutable")
    ///     .assert_header("content-type", "text/javascript; charset=utf-8");
    /// let default = TestClient::new(StaticFiles::new(&dir));
    /// default.get("/app.3f9a.js").send().await.assert_header("cache-control", "no-cache");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn cache_control(mut self, value: &str) -> Self {
        self.cache_control =
            HeaderValue::try_from(value).unwrap_or_else(|_| panic!("Cache-Control {value:?} is not a header value"));
        self
    }

    /// Whether the precompressed siblings of the file the request names are confined too.
    async fn siblings_confined(&self, environ: &Environ) -> bool {
        match (confine::relative_path(environ.raw_path_info()), self.root.as_deref()) {
            (Some(relative), Some(root)) => confine::siblings_confined(root, &relative).await,
            _ => false,
        }
    }

    /// The size of the file the request names, when confinement allows it.
    async fn file_size(&self, environ: &Environ) -> Option<u64> {
        let relative = confine::relative_path(environ.raw_path_info())?;
        confine::resolve(self.root.as_deref()?, &relative).await
    }
}

impl App for StaticFiles {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        if *environ.method() != Method::GET && *environ.method() != Method::HEAD {
            return MethodNotAllowed::new("GET, HEAD").into_response(start_response);
        }
        let Some(size) = self.file_size(&environ).await else {
            return NotFound.into_response(start_response);
        };
        environ.extensions_mut().insert(FileSize(size));
        if environ.headers().contains_key(ACCEPT_ENCODING) && !self.siblings_confined(&environ).await {
            tracing::warn!(
                path = environ.raw_path_info(),
                "a precompressed sibling leaves the static directory; serving the file uncompressed"
            );
            environ.extensions_mut().insert(Uncompressed);
        }
        let mut response = self.files.call(environ, start_response).await;
        if response.status() == StatusCode::NOT_FOUND {
            return NotFound.into_response(StartResponse::new());
        }
        let headers = response.headers_mut();
        if let Some(with_charset) = headers.get(CONTENT_TYPE).and_then(|value| with_charset(value.to_str().ok()?)) {
            headers.insert(CONTENT_TYPE, with_charset);
        }
        headers.insert(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            response.headers_mut().insert(CACHE_CONTROL, self.cache_control.clone());
        }
        response
    }
}

/// `text/*`, JavaScript and JSON with `; charset=utf-8`, unless they name a charset.
fn with_charset(content_type: &str) -> Option<HeaderValue> {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let textual = essence.starts_with("text/")
        || matches!(essence.as_str(), "application/javascript" | "application/json")
        || essence.ends_with("+json");
    if !textual || content_type.to_ascii_lowercase().contains("charset=") {
        return None;
    }
    HeaderValue::try_from(format!("{essence}; charset=utf-8")).ok()
}

#[cfg(test)]
mod tests {
    use super::with_charset;

    #[test]
    fn textual_types_get_utf8() {
        assert_eq!(with_charset("text/css").as_ref().map(|v| v.to_str().unwrap()), Some("text/css; charset=utf-8"));
        assert_eq!(
            with_charset("text/javascript").map(|v| v.to_str().unwrap().to_owned()),
            Some("text/javascript; charset=utf-8".to_owned())
        );
        assert_eq!(
            with_charset("application/json").map(|v| v.to_str().unwrap().to_owned()),
            Some("application/json; charset=utf-8".to_owned())
        );
        assert!(with_charset("text/plain; charset=latin1").is_none());
        assert!(with_charset("image/png").is_none());
        assert!(with_charset("application/octet-stream").is_none());
    }
}
