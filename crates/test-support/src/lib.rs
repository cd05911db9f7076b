//! Test helpers shared by the example crates and the integration tests. Not published.
//!
//! - [`in_process`]: call an app through `GatewayService` + `tower::ServiceExt::oneshot`,
//!   always wrapped in `Validate`, and fail the test if the contract was broken.
//! - [`client`]: requests over a real socket (hyper's client), and raw bytes for the
//!   malformed requests a client library refuses to send.
//! - [`child`]: run an example binary on `127.0.0.1:0`, read its stderr, stop it by signal.
//! - [`Scratch`]: a temporary directory of a test's own, removed when dropped.
//! - [`guide`]: the guide's shell sessions, run against the examples they show.
//! - [`tools`]: the third-party tools (slowhttptest, a virtualenv with boofuzz) that
//!   `scripts/test` installs, found or failed with a message naming it.
//! - `browser` (feature `browser`): headless Chromium over WebDriver, to fill forms, attach
//!   files, click, read the page and take screenshots in a real browser.
#![forbid(unsafe_code)]

#[cfg(feature = "browser")]
pub mod browser;
pub mod child;
pub mod client;
pub mod guide;
pub mod in_process;
mod scratch;
pub mod tools;

pub use scratch::Scratch;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// A response read whole: status, headers and body.
///
/// # Examples
/// ```
/// let reply = test_support::Reply { status: http::StatusCode::OK, headers: Default::default(), body: "hi".into() };
/// assert_eq!(reply.text(), "hi");
/// ```
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl Reply {
    /// The body as text (lossy UTF-8).
    ///
    /// # Examples
    /// ```
    /// # let reply = test_support::Reply { status: http::StatusCode::OK, headers: Default::default(), body: "hi".into() };
    /// assert_eq!(reply.text(), "hi");
    /// ```
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text, `""` when absent.
    ///
    /// # Examples
    /// ```
    /// # let reply = test_support::Reply { status: http::StatusCode::OK, headers: Default::default(), body: "".into() };
    /// assert_eq!(reply.header("content-type"), "");
    /// ```
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}
