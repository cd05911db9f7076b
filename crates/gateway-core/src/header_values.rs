//! Header values every app needs, as constants (no parsing, no allocation per response).

use http::HeaderValue;

/// `text/plain; charset=utf-8`: plain-text bodies and every error body of the contract.
///
/// # Examples
/// ```
/// assert_eq!(gateway_core::TEXT_PLAIN_UTF_8, "text/plain; charset=utf-8");
/// ```
pub const TEXT_PLAIN_UTF_8: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// `text/html; charset=utf-8`: HTML pages.
///
/// # Examples
/// ```
/// assert_eq!(gateway_core::TEXT_HTML_UTF_8, "text/html; charset=utf-8");
/// ```
pub const TEXT_HTML_UTF_8: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
