//! The guestbook's behaviour: in process with the test client (cookie jar, redirects), on
//! the wire with the binary, mounted under a prefix, and in a real browser.

mod api;
mod browser;
mod mounted;
mod nginx;
mod pages;
mod photos;
mod restart;
mod statics;
mod wire;

use std::path::{Path, PathBuf};

use example_guestbook::{Config, Db};
use microframe::{Microframe, MultipartForm, TestClient};

/// The `Content-Type` of every page.
pub const HTML: &str = "text/html; charset=utf-8";
/// A real 96×96 PNG (a sunflower), for uploads and the browser's screenshots.
pub const PNG: &[u8] = include_bytes!("../fixtures/sunflower.png");
/// The key the tests' apps use (exactly 32 bytes).
pub const KEY: &str = "test key material: 32 bytes long";

/// The test's own directory for a guestbook database.
#[derive(Debug)]
pub struct Scratch(test_support::Scratch);

impl Scratch {
    /// A new, empty directory.
    pub fn new() -> Self {
        Self(test_support::Scratch::new("guestbook-test"))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// The database file in it.
    pub fn db(&self) -> PathBuf {
        self.0.join("guestbook.db")
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

/// The settings the in-process tests use: the test key, the crate's static folder.
pub fn config() -> Config {
    Config { secret_key: Some(KEY.as_bytes().to_vec()), ..Config::from_vars(|_| None).expect("defaults") }
}

/// The app on a fresh database in `scratch`.
pub async fn app(scratch: &Scratch) -> Microframe {
    example_guestbook::app(Db::open(scratch.db()).await.expect("open the database"), &config())
}

/// A test client (with its cookie jar) on a fresh guestbook, and the scratch directory
/// that holds its database.
pub async fn guestbook() -> (TestClient, Scratch) {
    let scratch = Scratch::new();
    (TestClient::new(app(&scratch).await), scratch)
}

/// A multipart signing with `name`, `message` and, when given, a photo file part.
pub fn signing(name: &str, message: &str, photo: Option<(&str, &[u8])>) -> MultipartForm {
    let form = MultipartForm::new().text("name", name).text("message", message);
    match photo {
        Some((content_type, bytes)) => form.file("photo", "photo.bin", content_type, bytes.to_vec()),
        None => form,
    }
}

/// The entries as the API lists them.
pub async fn entries(client: &TestClient) -> Vec<serde_json::Value> {
    client.get("/api/entries?limit=100").send().await.assert_status(200).json()
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn is_utc_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            10 => *byte == b'T',
            13 | 16 => *byte == b':',
            19 => *byte == b'Z',
            _ => byte.is_ascii_digit(),
        })
}
