//! askama templates as responses, through [`Render`].
//!
//! A blanket `IntoResponse` for every `askama::Template` would collide with the impls for
//! strings (and the orphan rule forbids users from writing one), hence the wrapper.

use gateway_core::{Response, StartResponse, TEXT_HTML_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

use super::IntoResponse;

/// An askama template, rendered as the response.
///
/// Templates ending in `.html` (or with `ext = "html"`) are HTML-escaped (`& < > " '`, with
/// [`HtmlEntities`](crate::HtmlEntities) where `askama.toml` selects it); the response is
/// always `text/html; charset=utf-8`. A render error is a generic 500 `Internal Server
/// Error` (a refusal, so a 500 error page renders it) whose cause is logged at ERROR through
/// `tracing`, never sent.
///
/// # Examples
/// ```
/// use askama::Template;
/// use microframe::{IntoResponse, Render};
///
/// #[derive(Template)]
/// #[template(source = "<p>Hello {{ name }}!</p>", ext = "html")]
/// struct Hello<'a> {
///     name: &'a str,
/// }
///
/// let response = Render(Hello { name: "<b>bob</b>" }).into_response(gateway_core::StartResponse::new());
/// assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
/// # let body = futures_executor::block_on(response.into_parts().1.collect()).unwrap();
/// assert_eq!(body, "<p>Hello &lt;b&gt;bob&lt;/b&gt;!</p>");
/// ```
///
/// A template that fails to render is a 500, its cause kept out of the page:
/// ```
/// use askama::Template;
/// use microframe::{IntoResponse, Render};
///
/// /// A value whose `Display` fails, as a broken formatter would.
/// struct Broken;
/// impl std::fmt::Display for Broken {
///     fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         Err(std::fmt::Error)
///     }
/// }
///
/// #[derive(Template)]
/// #[template(source = "<p>{{ value }}</p>", ext = "html")]
/// struct Page { value: Broken }
///
/// let response = Render(Page { value: Broken }).into_response(gateway_core::StartResponse::new());
/// assert_eq!(response.status(), 500);
/// assert!(response.is_refusal());
/// # let body = futures_executor::block_on(response.into_parts().1.collect()).unwrap();
/// assert_eq!(body, "Internal Server Error");
/// ```
#[derive(Debug, Clone)]
pub struct Render<T>(pub T);

impl<T: askama::Template> IntoResponse for Render<T> {
    fn into_response(self, start_response: StartResponse) -> Response {
        match self.0.render() {
            Ok(html) => start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_HTML_UTF_8)]).body(html),
            Err(error) => {
                tracing::error!(%error, template = std::any::type_name::<T>(), "template failed to render; answering 500");
                start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}
