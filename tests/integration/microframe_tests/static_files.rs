//! Static files: confinement on the raw path, types with charsets, validators and 304,
//! ranges and `If-Range`, precompressed siblings, `Cache-Control`, HEAD, and the 404 as the
//! framework's refusal.

use std::io::Write;
use std::path::PathBuf;

use http::StatusCode;
use microframe::{ErrorStatus, Microframe, StaticFiles, TestClient, UrlFor};

const HELLO: &str = "Hello, file!";
const CSS: &str = "body { color: teal }";

/// A directory of files for one test, removed when dropped.
struct Fixture {
    base: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let base = std::env::temp_dir().join(format!("microframe-static-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("root");
        std::fs::create_dir_all(root.join("css")).expect("the fixture directory");
        std::fs::create_dir_all(root.join("sub")).expect("a sub-directory");
        let write = |path: &str, bytes: &[u8]| std::fs::write(root.join(path), bytes).expect("a fixture file");
        write("hello.txt", HELLO.as_bytes());
        write("empty.txt", b"");
        write("css/site.css", CSS.as_bytes());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(CSS.as_bytes()).expect("gzip");
        write("css/site.css.gz", &gz.finish().expect("gzip"));
        write("css/site.css.br", b"pretend-brotli");
        write("app.js", b"console.log(1)");
        write("data.json", b"{}");
        write("photo.png", b"\x89PNG");
        write("noext", b"?");
        write("sub/inner.txt", b"inner");
        std::fs::write(base.join("secret.txt"), b"outside").expect("a file outside");
        std::os::unix::fs::symlink(base.join("secret.txt"), root.join("escape.txt")).expect("a symlink out");
        std::os::unix::fs::symlink(root.join("hello.txt"), root.join("alias.txt")).expect("a symlink in");
        Self { base }
    }

    fn root(&self) -> PathBuf {
        self.base.join("root")
    }

    fn client(&self) -> TestClient {
        TestClient::new(Microframe::new().static_files("/static", self.root()))
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

#[tokio::test]
async fn a_file_is_served_with_its_type_validators_and_headers() {
    let fixture = Fixture::new("basic");
    let response = fixture.client().get("/static/hello.txt").send().await;
    let response = response
        .assert_status(200)
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_header("content-length", "12")
        .assert_header("x-content-type-options", "nosniff")
        .assert_header("cache-control", "no-cache")
        .assert_header("accept-ranges", "bytes")
        .assert_body(HELLO);
    let etag = response.header("etag").expect("an ETag");
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");
    assert!(response.header("last-modified").is_some_and(|date| date.ends_with(" GMT")));
}

#[tokio::test]
async fn types_come_from_the_extension_with_charsets_for_text() {
    let fixture = Fixture::new("types");
    let client = fixture.client();
    let cases = [
        ("/static/css/site.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/data.json", "application/json; charset=utf-8"),
        ("/static/photo.png", "image/png"),
        ("/static/noext", "application/octet-stream"),
    ];
    for (path, content_type) in cases {
        client.get(path).send().await.assert_status(200).assert_header("content-type", content_type);
    }
}

#[tokio::test]
async fn confinement_refuses_every_way_out_with_404() {
    let fixture = Fixture::new("confine");
    let client = fixture.client();
    let long = format!("/static{}", "/a".repeat(10_000));
    let refused = [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/css%2fsite.css",
        "/static/css%2Fsite.css",
        "/static/css%5csite.css",
        "/static//etc/passwd",
        "/static/escape.txt",
        "/static/sub",
        "/static/sub/",
        "/static/",
        "/static",
        "/static/hello.txt%00",
        "/static/missing.txt",
        long.as_str(),
    ];
    for path in refused {
        client.get(path).send().await.assert_status(404).assert_body("Not Found");
    }
    client.get("/static/alias.txt").send().await.assert_status(200).assert_body(HELLO);
    client.get("/static/sub/inner.txt").send().await.assert_status(200).assert_body("inner");
}

async fn missing_page(ErrorStatus(status): ErrorStatus) -> String {
    format!("no such file ({})", status.as_u16())
}

#[tokio::test]
async fn the_404_is_the_frameworks_refusal_and_other_methods_are_405() {
    let fixture = Fixture::new("refusal");
    let app =
        Microframe::new().static_files("/static", fixture.root()).error_handler(StatusCode::NOT_FOUND, missing_page);
    let client = TestClient::new(app);
    client.get("/static/../secret.txt").send().await.assert_status(404).assert_body("no such file (404)");
    client.get("/static/missing.txt").send().await.assert_status(404).assert_body("no such file (404)");
    client.post("/static/hello.txt").send().await.assert_status(405).assert_header("allow", "GET, HEAD");
}

#[tokio::test]
async fn if_none_match_is_304_keeping_the_validators_and_wins_over_if_modified_since() {
    let fixture = Fixture::new("conditional");
    let client = fixture.client();
    let first = client.get("/static/hello.txt").send().await;
    let etag = first.header("etag").unwrap_or_default().to_owned();
    let modified = first.header("last-modified").unwrap_or_default().to_owned();
    client
        .get("/static/hello.txt")
        .header("if-none-match", &etag)
        .send()
        .await
        .assert_status(304)
        .assert_header("etag", &etag)
        .assert_header("last-modified", &modified)
        .assert_header("cache-control", "no-cache")
        .assert_body("");
    client.get("/static/hello.txt").header("if-modified-since", &modified).send().await.assert_status(304);
    // A non-matching If-None-Match wins over a matching If-Modified-Since.
    client
        .get("/static/hello.txt")
        .header("if-none-match", "\"other\"")
        .header("if-modified-since", &modified)
        .send()
        .await
        .assert_status(200)
        .assert_body(HELLO);
}

#[tokio::test]
async fn ranges_are_206_416_or_ignored_as_the_rules_say() {
    let fixture = Fixture::new("ranges");
    let client = fixture.client();
    let range = |path: &str, value: &str| client.get(path).header("range", value);
    range("/static/hello.txt", "bytes=0-4")
        .send()
        .await
        .assert_status(206)
        .assert_header("content-range", "bytes 0-4/12")
        .assert_body("Hello");
    range("/static/hello.txt", "bytes=-5").send().await.assert_status(206).assert_body("file!");
    range("/static/hello.txt", "bytes=5-2").send().await.assert_status(200).assert_body(HELLO);
    range("/static/hello.txt", "bytes=nonsense").send().await.assert_status(200).assert_body(HELLO);
    range("/static/hello.txt", "bytes=-0").send().await.assert_status(416).assert_header("content-range", "bytes */12");
    range("/static/hello.txt", "bytes=50-")
        .send()
        .await
        .assert_status(416)
        .assert_header("content-range", "bytes */12");
    range("/static/empty.txt", "bytes=0-").send().await.assert_status(416).assert_header("content-range", "bytes */0");
    let hundred: Vec<String> = (0..100).map(|n| format!("{n}-{n}")).collect();
    range("/static/hello.txt", &format!("bytes={}", hundred.join(",")))
        .send()
        .await
        .assert_status(200)
        .assert_body(HELLO);
}

#[tokio::test]
async fn if_range_sends_the_part_only_while_the_file_is_unchanged() {
    let fixture = Fixture::new("if-range");
    let client = fixture.client();
    let first = client.get("/static/hello.txt").send().await;
    let etag = first.header("etag").unwrap_or_default().to_owned();
    let modified = first.header("last-modified").unwrap_or_default().to_owned();
    let with_if_range =
        |value: &str| client.get("/static/hello.txt").header("range", "bytes=0-4").header("if-range", value);
    with_if_range(&etag).send().await.assert_status(206).assert_body("Hello");
    with_if_range(&modified).send().await.assert_status(206).assert_body("Hello");
    with_if_range("\"stale\"").send().await.assert_status(200).assert_body(HELLO);
    with_if_range(&format!("W/{etag}")).send().await.assert_status(200).assert_body(HELLO);
    with_if_range("Thu, 01 Jan 1970 00:00:00 GMT").send().await.assert_status(200).assert_body(HELLO);
}

#[tokio::test]
async fn precompressed_siblings_are_served_when_accepted_with_vary() {
    let fixture = Fixture::new("precompressed");
    let client = fixture.client();
    let gz = client.get("/static/css/site.css").header("accept-encoding", "gzip").send().await;
    let gz = gz.assert_status(200).assert_header("content-encoding", "gzip").assert_header("vary", "accept-encoding");
    let mut decoded = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz.bytes()[..]), &mut decoded).expect("gzip");
    assert_eq!(decoded, CSS);
    client
        .get("/static/css/site.css")
        .header("accept-encoding", "br")
        .send()
        .await
        .assert_header("content-encoding", "br")
        .assert_body("pretend-brotli");
    client
        .get("/static/css/site.css")
        .send()
        .await
        .assert_no_header("content-encoding")
        .assert_header("vary", "accept-encoding")
        .assert_header("content-type", "text/css; charset=utf-8")
        .assert_body(CSS);
}

#[tokio::test]
async fn a_precompressed_sibling_that_leaves_the_directory_is_never_served() {
    let fixture = Fixture::new("sibling-escape");
    let root = fixture.root();
    std::os::unix::fs::symlink(fixture.base.join("secret.txt"), root.join("hello.txt.gz")).expect("a sibling out");
    std::os::unix::fs::symlink(root.join("css/site.css.br"), root.join("hello.txt.br")).expect("a sibling in");
    let client = fixture.client();
    for encoding in ["gzip", "br", "gzip, br"] {
        client
            .get("/static/hello.txt")
            .header("accept-encoding", encoding)
            .send()
            .await
            .assert_status(200)
            .assert_no_header("content-encoding")
            .assert_body(HELLO);
    }
    // Confined siblings are still served.
    client
        .get("/static/css/site.css")
        .header("accept-encoding", "br")
        .send()
        .await
        .assert_header("content-encoding", "br");
}

#[tokio::test]
async fn head_has_the_headers_and_no_body() {
    let fixture = Fixture::new("head");
    fixture
        .client()
        .head("/static/hello.txt")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-length", "12")
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("");
}

#[tokio::test]
async fn cache_control_is_configurable() {
    let fixture = Fixture::new("cache");
    let files = StaticFiles::new(fixture.root()).cache_control("max-age=31536000, immutable");
    let client = TestClient::new(Microframe::new().static_files_with("/static", files));
    client.get("/static/hello.txt").send().await.assert_header("cache-control", "max-age=31536000, immutable");
}

async fn link(urls: UrlFor) -> String {
    urls.url_for("static", &[("filename", "css/a b.css")]).unwrap_or_default()
}

#[tokio::test]
async fn url_for_builds_file_urls_with_the_mount_prefix() {
    let fixture = Fixture::new("url-for");
    let site = Microframe::new().static_files("/static", fixture.root()).get("/", link);
    let client = TestClient::new(Microframe::new().mount("/shop", site));
    client.get("/shop/").send().await.assert_body("/shop/static/css/a%20b.css");
    client.get("/shop/static/hello.txt").send().await.assert_status(200).assert_body(HELLO);
}
