//! What a person does on a page: load it, type, attach a file, click, submit.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value, json};

use super::{Browser, BrowserError, OPERATION_TIMEOUT, bounded};

impl Browser {
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
}
