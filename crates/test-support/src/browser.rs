//! Real-browser tests: headless Chromium driven over WebDriver ([`fantoccini`]) through
//! Debian's `chromedriver`.
//!
//! Each [`Browser`] starts its own chromedriver on a free loopback port, and chromedriver its
//! own Chromium with a fresh, empty profile directory, so tests running in parallel threads do
//! not share anything. Dropping a `Browser` (also while a test panics) kills both processes and
//! removes the profile. Every operation is bounded by [`OPERATION_TIMEOUT`] (or the timeout
//! given to [`Browser::wait_for`]) and fails with a [`BrowserError`] instead of hanging.
//!
//! `chromium` and `chromedriver` are looked up on `PATH`, then in `/usr/bin`; when one is
//! missing, [`Browser::start`] fails with a message that says to run `scripts/test`, which
//! installs them. Tests `.expect(..)` it: a missing browser fails a test, it never skips it.
//!
//! Chromium runs with `--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
//! --disable-background-networking --disable-component-update --disable-sync
//! --disable-dev-shm-usage --window-size=1280,900`: root needs `--no-sandbox`, the closed
//! network needs the background-networking ones, and a fixed size keeps screenshots repeatable
//! (the window is then grown by its frame so that the viewport is exactly [`VIEWPORT`]).
//!
//! # Examples
//! ```no_run
//! # async fn run() {
//! use std::time::Duration;
//! use test_support::browser::{Browser, screenshot_dir};
//!
//! let browser = Browser::start().await.expect("start headless Chromium");
//! browser.goto("http://127.0.0.1:8051/").await.unwrap();
//! browser.fill("textarea[name=message]", "<script>alert(1)</script>\nsecond line").await.unwrap();
//! browser.submit("form").await.unwrap();
//! browser.wait_for(".message", Duration::from_secs(5)).await.unwrap();
//! assert_eq!(browser.count(".message").await.unwrap(), 1);
//! browser.screenshot(screenshot_dir().join("guestbook.png")).await.unwrap();
//! browser.close().await.unwrap();
//! # }
//! ```

mod act;
mod driver;
mod error;
mod read;

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub use error::BrowserError;

use driver::{Driver, TempDir};

/// The bound on each browser operation (and on starting the browser).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// chromedriver's own page-load and script timeouts, below [`OPERATION_TIMEOUT`] so that its
/// more precise error arrives first.
const DRIVER_TIMEOUT_MS: u64 = 20_000;

/// The viewport's size in CSS pixels, and so the screenshots' size in pixels.
pub const VIEWPORT: (u32, u32) = (1280, 900);

const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// `<workspace target dir>/screenshots`: where tests save their PNGs.
///
/// The target dir is `CARGO_TARGET_DIR` when set (relative to the workspace root if relative),
/// else the workspace root's `target`.
///
/// # Examples
/// ```
/// let dir = test_support::browser::screenshot_dir();
/// assert!(dir.ends_with("screenshots"));
/// ```
pub fn screenshot_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.ancestors().nth(2).unwrap_or(manifest);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace.join(dir),
        _ => workspace.join("target"),
    };
    target.join("screenshots")
}

/// A headless Chromium session with its own chromedriver and profile directory.
///
/// Selectors are CSS selectors; an operation on a selector uses the first element matching it,
/// and fails when none does.
#[derive(Debug)]
pub struct Browser {
    // Field order is drop order: the session, then chromedriver (and Chromium), then the profile.
    client: Client,
    _driver: Driver,
    _dir: TempDir,
}

impl Browser {
    /// Finds `chromium` and `chromedriver`, starts chromedriver on a free loopback port and opens
    /// a Chromium session through it.
    ///
    /// # Errors
    /// [`BrowserError::NotFound`] when a binary is missing (its message names `scripts/test`),
    /// else [`BrowserError::Start`] or [`BrowserError::Timeout`].
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run() {
    /// let browser = test_support::browser::Browser::start().await.expect("start headless Chromium");
    /// # }
    /// ```
    pub async fn start() -> Result<Self, BrowserError> {
        let dirs = driver::search_dirs(std::env::var_os("PATH").as_deref());
        let chromium = driver::locate("chromium", &dirs)?;
        let chromedriver = driver::locate("chromedriver", &dirs)?;
        let dir = TempDir::new()?;
        let profile = dir.path.join("profile");
        std::fs::create_dir(&profile).map_err(|error| BrowserError::Start(format!("create the profile: {error}")))?;
        let driver = Driver::start(&chromedriver, &dir.path.join("chromedriver.log")).await?;

        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut capabilities = Capabilities::new();
        capabilities.insert("goog:chromeOptions".into(), json!({ "binary": chromium, "args": args }));
        capabilities.insert(
            "timeouts".into(),
            json!({ "pageLoad": DRIVER_TIMEOUT_MS, "script": DRIVER_TIMEOUT_MS, "implicit": 0 }),
        );
        let url = format!("http://{}", driver.addr);
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let client = match tokio::time::timeout(OPERATION_TIMEOUT, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => return Err(BrowserError::Start(format!("open a session on {url}: {error}"))),
            Err(_) => {
                return Err(BrowserError::Timeout { operation: "open a session".into(), after: OPERATION_TIMEOUT });
            }
        };
        let browser = Self { client, _driver: driver, _dir: dir };
        browser.size_viewport().await?;
        Ok(browser)
    }

    /// `--window-size` sizes the window, frame included: grow it so the viewport is exactly
    /// [`VIEWPORT`].
    async fn size_viewport(&self) -> Result<(), BrowserError> {
        const FRAME: &str = "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];";
        let frame = bounded("measure the window frame", self.client.execute(FRAME, vec![])).await?;
        let extra = |i: usize| frame[i].as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        let (width, height) = (VIEWPORT.0 + extra(0), VIEWPORT.1 + extra(1));
        bounded("size the window", self.client.set_window_size(width, height)).await
    }

    /// The underlying WebDriver client, for what this API lacks. Its calls are not bounded in
    /// time: wrap them in `tokio::time::timeout`.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) {
    /// browser.client().back().await.unwrap();
    /// # }
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session (Chromium quits), then stops chromedriver and removes the profile.
    /// Dropping the `Browser` does the same, less politely.
    ///
    /// # Errors
    /// When chromedriver does not end the session; the processes are killed all the same.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.close().await?;
    /// # Ok(()) }
    /// ```
    pub async fn close(self) -> Result<(), BrowserError> {
        let Self { client, _driver, _dir } = self;
        bounded("close", client.close()).await
    }
}

/// Runs `future`, bounded by [`OPERATION_TIMEOUT`], naming `operation` in its error.
async fn bounded<T, E: fmt::Display>(
    operation: &str,
    future: impl Future<Output = Result<T, E>>,
) -> Result<T, BrowserError> {
    match tokio::time::timeout(OPERATION_TIMEOUT, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(BrowserError::failed(operation, error)),
        Err(_) => Err(BrowserError::Timeout { operation: operation.to_owned(), after: OPERATION_TIMEOUT }),
    }
}
