//! `url_for`: URLs from route names, under whatever prefix the app is mounted at.

use std::collections::HashMap;
use std::sync::Arc;

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

use super::pattern::{Pattern, UrlError};
use crate::extract::FromEnviron;
use crate::response::IntoResponse;

/// The named routes of a router, shared with the requests it dispatches.
#[derive(Debug, Clone, Default)]
pub(crate) struct UrlTable(pub(crate) Arc<HashMap<String, Pattern>>);

/// Builds `raw_script_name` + the filled pattern + `?extras`.
pub(crate) fn build(table: &UrlTable, script: &str, name: &str, params: &[(&str, &str)]) -> Result<String, UrlError> {
    let pattern = table.0.get(name).ok_or_else(|| UrlError::UnknownRoute(name.to_owned()))?;
    let mut used = vec![false; params.len()];
    let path = pattern.fill(params, &mut used)?;
    let mut url = String::with_capacity(script.len() + path.len());
    url.push_str(script);
    url.push_str(&path);
    let mut extras = params.iter().zip(&used).filter(|(_, used)| !**used).map(|(pair, _)| pair).peekable();
    if extras.peek().is_some() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(extras);
        url.push('?');
        url.push_str(&query.finish());
    }
    Ok(url)
}

/// Builds URLs for the app's named routes, with the app's mount prefix
/// (`gateway.raw_script_name`) in front, so links and redirects work under any prefix.
///
/// Path parameters are formatted by their converter and percent-encoded (only
/// `A-Z a-z 0-9 - . _ ~` stay literal); parameters the pattern does not use go to the query
/// string, form-urlencoded, repeated keys kept.
///
/// # Examples
/// ```
/// use microframe::{Microframe, Redirect, TestClient, UrlFor};
///
/// async fn hello() -> &'static str { "hi" }
/// async fn go(urls: UrlFor) -> Result<Redirect, microframe::UrlError> {
///     Ok(Redirect::to(urls.url_for("hello", &[("name", "a b"), ("x", "1"), ("x", "2")])?))
/// }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let app = Microframe::new().get("/hello/<name>", hello).name("hello").get("/go", go);
/// TestClient::new(app).get("/go").send().await.assert_status(303).assert_header("location", "/hello/a%20b?x=1&x=2");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct UrlFor {
    table: UrlTable,
    script: String,
}

impl UrlFor {
    /// The URL of route `name` with `params`.
    ///
    /// # Errors
    /// An unknown route name, a missing parameter, or a value its converter refuses.
    ///
    /// # Examples
    /// See [`UrlFor`].
    pub fn url_for(&self, name: &str, params: &[(&str, &str)]) -> Result<String, UrlError> {
        build(&self.table, &self.script, name, params)
    }
}

impl FromEnviron for UrlFor {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let table = environ.extensions().get::<UrlTable>().cloned().unwrap_or_default();
        Ok(UrlFor { table, script: environ.raw_script_name().to_owned() })
    }
}

impl IntoResponse for UrlError {
    /// A URL that cannot be built is a bug in the app: 500, the cause logged.
    fn into_response(self, start_response: StartResponse) -> Response {
        tracing::error!(error = %self, "url_for failed; answering 500");
        start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR)
    }
}
