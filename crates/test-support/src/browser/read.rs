//! What a test reads off a page: its title, URL, text, values, elements, and screenshots.

use std::path::Path;
use std::time::Duration;

use fantoccini::Locator;

use super::{Browser, BrowserError, bounded};

impl Browser {
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

    /// Saves a PNG of the viewport ([`VIEWPORT`](super::VIEWPORT), 1280×900) to `path`, creating its parent directories.
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
}
