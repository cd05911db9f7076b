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

mod driver;
mod error;

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

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

    /// Loads `url` and waits for its `load` event.
    ///
    /// # Errors
    /// When loading fails or takes longer than chromedriver's 20 s page-load timeout.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.goto("http://127.0.0.1:8051/hello/world").await?;
    /// # Ok(()) }
    /// ```
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        bounded(&format!("goto {url:?}"), self.client.goto(url)).await
    }

    /// Clears the `<input>` or `<textarea>` matching `selector` and types `text` into it, key by
    /// key as a person would: `\n` presses Enter (a new line in a `<textarea>`; in an `<input>`
    /// it submits the form), `\r\n` counts as one `\n`, and a tab moves the focus.
    ///
    /// # Errors
    /// When no element matches or it cannot take text.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.fill("input[name=name]", "<b>Ann</b>").await?;
    /// browser.fill("textarea", "line one\nline two").await?;
    /// # Ok(()) }
    /// ```
    pub async fn fill(&self, selector: &str, text: &str) -> Result<(), BrowserError> {
        let text = text.replace("\r\n", "\n");
        bounded(&format!("fill {selector:?}"), async {
            let element = self.client.find(Locator::Css(selector)).await?;
            element.clear().await?;
            element.send_keys(&text).await
        })
        .await
    }

    /// Chooses the file at `path` in the `<input type=file>` matching `selector`.
    ///
    /// # Errors
    /// When the file does not exist, or no element matches.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.attach_file("input[type=file]", "tests/data/photo.png").await?;
    /// # Ok(()) }
    /// ```
    pub async fn attach_file(&self, selector: &str, path: impl AsRef<Path>) -> Result<(), BrowserError> {
        let operation = format!("attach_file {selector:?} {:?}", path.as_ref());
        let path = std::fs::canonicalize(path).map_err(|error| BrowserError::failed(&operation, error))?;
        let path = path.to_str().ok_or_else(|| BrowserError::failed(&operation, "the path is not UTF-8"))?;
        bounded(&operation, async { self.client.find(Locator::Css(selector)).await?.send_keys(path).await }).await
    }

    /// Clicks the element matching `selector` (scrolled into view first).
    ///
    /// A click that starts a navigation returns once chromedriver sees the new page load; to
    /// be sure of what comes next, [`wait_for`](Self::wait_for) an element of it.
    ///
    /// # Errors
    /// When no element matches, or it is hidden or covered.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.click("a[href='/next']").await?;
    /// # Ok(()) }
    /// ```
    pub async fn click(&self, selector: &str) -> Result<(), BrowserError> {
        bounded(&format!("click {selector:?}"), async { self.client.find(Locator::Css(selector)).await?.click().await })
            .await
    }

    /// Submits a form as its submit button would (`requestSubmit`, so validation and `submit`
    /// handlers run) and waits until the next page has loaded. `selector` matches the form, a
    /// field of it, or the submit button to submit with (its `name=value` is sent).
    ///
    /// # Errors
    /// When no element matches, it belongs to no form, or no new page has loaded within
    /// [`OPERATION_TIMEOUT`] (an invalid field or a handler prevented the submission).
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.submit("form#comment button[type=submit]").await?;
    /// assert_eq!(browser.title().await?, "Thanks");
    /// # Ok(()) }
    /// ```
    pub async fn submit(&self, selector: &str) -> Result<(), BrowserError> {
        const SUBMIT: &str = "const el = document.querySelector(arguments[0]);
            if (!el) return 'no element matches';
            const form = el instanceof HTMLFormElement ? el : el.form;
            if (!form) return 'the element belongs to no form';
            window.__microframeSubmitted = true;
            const button = el !== form && (el.type === 'submit' || el.type === 'image');
            if (button) { form.requestSubmit(el); } else { form.requestSubmit(); }
            return 'ok';";
        const LOADED: &str = "return window.__microframeSubmitted === undefined && document.readyState === 'complete';";
        let operation = format!("submit {selector:?}");
        let outcome = bounded(&operation, self.client.execute(SUBMIT, vec![json!(selector)])).await?;
        if outcome != "ok" {
            return Err(BrowserError::failed(&operation, outcome.as_str().unwrap_or("unexpected script result")));
        }
        let deadline = Instant::now() + OPERATION_TIMEOUT;
        while Instant::now() < deadline {
            // While the old page unloads, a script may fail: that is "not yet".
            let loaded = tokio::time::timeout(Duration::from_secs(5), self.client.execute(LOADED, vec![])).await;
            if let Ok(Ok(Value::Bool(true))) = loaded {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(BrowserError::Timeout {
            operation: format!("{operation} (waiting for the next page)"),
            after: OPERATION_TIMEOUT,
        })
    }

    /// The page's `document.title`.
    ///
    /// # Errors
    /// When the browser does not answer.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert_eq!(browser.title().await?, "Guestbook");
    /// # Ok(()) }
    /// ```
    pub async fn title(&self) -> Result<String, BrowserError> {
        bounded("title", self.client.title()).await
    }

    /// The page's URL (after redirects).
    ///
    /// # Errors
    /// When the browser does not answer.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert!(browser.current_url().await?.ends_with("/thanks"));
    /// # Ok(()) }
    /// ```
    pub async fn current_url(&self) -> Result<String, BrowserError> {
        bounded("current_url", self.client.current_url()).await.map(String::from)
    }

    /// The visible text of the element matching `selector`, as rendered (hidden parts left out).
    ///
    /// # Errors
    /// When no element matches.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert_eq!(browser.text("h1").await?, "Hello world!");
    /// # Ok(()) }
    /// ```
    pub async fn text(&self, selector: &str) -> Result<String, BrowserError> {
        bounded(&format!("text {selector:?}"), async { self.client.find(Locator::Css(selector)).await?.text().await })
            .await
    }

    /// The current `value` of the form field matching `selector` (what [`fill`](Self::fill)
    /// typed, or a file input's `C:\fakepath\NAME`), `""` when it has none.
    ///
    /// # Errors
    /// When no element matches.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.fill("#name", "Ann").await?;
    /// assert_eq!(browser.value("#name").await?, "Ann");
    /// # Ok(()) }
    /// ```
    pub async fn value(&self, selector: &str) -> Result<String, BrowserError> {
        let operation = format!("value {selector:?}");
        let value = bounded(&operation, async { self.client.find(Locator::Css(selector)).await?.prop("value").await });
        value.await.map(Option::unwrap_or_default)
    }

    /// The page's current source (`document.documentElement.outerHTML`, so after scripts ran).
    ///
    /// # Errors
    /// When the browser does not answer.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert!(!browser.html().await?.contains("<script>alert"));
    /// # Ok(()) }
    /// ```
    pub async fn html(&self) -> Result<String, BrowserError> {
        bounded("html", self.client.source()).await
    }

    /// How many elements match `selector` (0 is no error).
    ///
    /// # Errors
    /// When the selector is invalid.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert_eq!(browser.count("ul.messages > li").await?, 3);
    /// # Ok(()) }
    /// ```
    pub async fn count(&self, selector: &str) -> Result<usize, BrowserError> {
        bounded(&format!("count {selector:?}"), self.client.find_all(Locator::Css(selector))).await.map(|all| all.len())
    }

    /// The attribute `name` of the element matching `selector`, `None` when it has none.
    ///
    /// # Errors
    /// When no element matches.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// assert_eq!(browser.attribute("form", "method").await?.as_deref(), Some("post"));
    /// # Ok(()) }
    /// ```
    pub async fn attribute(&self, selector: &str, name: &str) -> Result<Option<String>, BrowserError> {
        bounded(&format!("attribute {selector:?} {name:?}"), async {
            self.client.find(Locator::Css(selector)).await?.attr(name).await
        })
        .await
    }

    /// Saves a PNG of the viewport ([`VIEWPORT`], 1280×900) to `path`, creating its parent directories.
    ///
    /// # Errors
    /// When the screenshot or the write fails.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.screenshot(test_support::browser::screenshot_dir().join("front-page.png")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<(), BrowserError> {
        let path = path.as_ref();
        let operation = format!("screenshot {path:?}");
        let png = bounded(&operation, self.client.screenshot()).await?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| BrowserError::failed(&operation, error))?;
        }
        std::fs::write(path, png).map_err(|error| BrowserError::failed(&operation, error))
    }

    /// Waits until an element matches `selector`, for at most `timeout`.
    ///
    /// # Errors
    /// [`BrowserError::Timeout`] when none appears in time.
    ///
    /// # Examples
    /// ```no_run
    /// # async fn run(browser: test_support::browser::Browser) -> Result<(), test_support::browser::BrowserError> {
    /// browser.wait_for("#result", std::time::Duration::from_secs(5)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for(&self, selector: &str, timeout: Duration) -> Result<(), BrowserError> {
        let operation = format!("wait_for {selector:?}");
        let wait = self.client.wait().at_most(timeout).every(Duration::from_millis(50));
        match tokio::time::timeout(timeout + Duration::from_secs(5), wait.for_element(Locator::Css(selector))).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(fantoccini::error::CmdError::WaitTimeout)) | Err(_) => {
                Err(BrowserError::Timeout { operation, after: timeout })
            }
            Ok(Err(error)) => Err(BrowserError::failed(&operation, error)),
        }
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
