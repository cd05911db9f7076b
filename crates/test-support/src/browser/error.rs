//! The one error type of the browser driver.

use std::fmt;
use std::time::Duration;

/// Why a browser operation failed.
///
/// Its `Display` says what was being done, so `.expect("…")` in a test prints a useful line.
///
/// # Examples
/// ```
/// use test_support::browser::BrowserError;
/// let error = BrowserError::NotFound { tool: "chromium" };
/// assert!(error.to_string().contains("run scripts/test"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BrowserError {
    /// A binary (`chromium` or `chromedriver`) is neither on `PATH` nor in `/usr/bin`.
    NotFound {
        /// The binary's name.
        tool: &'static str,
    },
    /// chromedriver did not start, or it could not open a browser session.
    Start(String),
    /// An operation took longer than its bound.
    Timeout {
        /// What was being done, e.g. `click "#send"`.
        operation: String,
        /// The bound.
        after: Duration,
    },
    /// The browser, chromedriver or the file system reported an error.
    Failed {
        /// What was being done, e.g. `fill "textarea"`.
        operation: String,
        /// The error's own text.
        message: String,
    },
}

impl BrowserError {
    pub(crate) fn failed(operation: &str, message: impl fmt::Display) -> Self {
        Self::Failed { operation: operation.to_owned(), message: message.to_string() }
    }
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { tool } => write!(
                f,
                "{tool} not found: run scripts/test, which installs it (apt-get install chromium chromium-driver)"
            ),
            Self::Start(message) => write!(f, "starting the browser failed: {message}"),
            Self::Timeout { operation, after } => write!(f, "browser: {operation} did not finish within {after:?}"),
            Self::Failed { operation, message } => write!(f, "browser: {operation} failed: {message}"),
        }
    }
}

impl std::error::Error for BrowserError {}
