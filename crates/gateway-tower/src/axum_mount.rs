//! axum interop: `SCRIPT_NAME` under `nest_service`, the peer from `ConnectInfo` (both in
//! [`GatewayService`]'s docs), and the one-line mounting helpers.
//!
//! axum's `nest_service` strips the matched prefix from the URI before the service sees it
//! and keeps the original in the `OriginalUri` extension; `unnest` puts the original back and
//! returns the prefix, which the service then shifts into `SCRIPT_NAME`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, OriginalUri};
use gateway_core::App;
use http::request::Parts;

use crate::GatewayService;

/// Puts axum's original URI back in `parts` and returns the raw prefix axum stripped, if it
/// stripped one.
pub(crate) fn unnest(parts: &mut Parts) -> Option<String> {
    let OriginalUri(original) = parts.extensions.get::<OriginalUri>()?;
    let (original_path, stripped) = (original.path(), parts.uri.path());
    if original_path == stripped {
        return None;
    }
    let prefix = match original_path.strip_suffix(stripped) {
        Some(prefix) if !prefix.is_empty() => prefix,
        _ => original_path,
    };
    let prefix = prefix.to_owned();
    parts.uri = original.clone();
    Some(prefix)
}

/// The peer's address from axum's `ConnectInfo<SocketAddr>`, when axum serves with it.
pub(crate) fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| *addr)
}

/// Mounting gateway apps in an axum `Router`, in one line.
///
/// - [`mount_app`](AxumRouterExt::mount_app) is `nest_service(prefix, GatewayService::new(app))`:
///   the app sees `SCRIPT_NAME` = the concrete matched prefix (`/users/42/files` for the
///   pattern `/users/{id}/files`) and `PATH_INFO` = the rest, so its `url_for` and
///   redirects carry the prefix;
/// - [`fallback_app`](AxumRouterExt::fallback_app) is
///   `fallback_service(GatewayService::new(app))`: the whole legacy app behind an axum
///   front, with `SCRIPT_NAME` empty (the migration path crates.io took).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::{Environ, Response, StartResponse};
/// use gateway_tower::AxumRouterExt;
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// async fn where_am_i(environ: Environ, start_response: StartResponse) -> Response {
///     let text = format!("{}|{}", environ.script_name(), environ.path_info());
///     start_response.start(http::StatusCode::OK, ()).body(text)
/// }
///
/// let router = axum::Router::new()
///     .mount_app("/legacy", where_am_i)
///     .mount_app("/users/{id}/files", where_am_i)
///     .fallback_app(where_am_i);
/// for (target, expected) in [
///     ("/legacy/a/b", "/legacy|/a/b"),
///     ("/legacy", "/legacy|"),
///     ("/users/42/files/x.txt", "/users/42/files|/x.txt"),
///     ("/old/page", "|/old/page"),
/// ] {
///     let request = http::Request::get(target).body(axum::body::Body::empty()).unwrap();
///     let response = router.clone().oneshot(request).await.unwrap();
///     let body = response.into_body().collect().await.unwrap().to_bytes();
///     assert_eq!(body, expected, "{target}");
/// }
/// # });
/// ```
pub trait AxumRouterExt {
    /// Mounts `app` at `prefix` (a static prefix or one with `{param}` captures).
    fn mount_app(self, prefix: &str, app: impl App) -> Self;
    /// Sends every request no route matches to `app`.
    fn fallback_app(self, app: impl App) -> Self;
}

impl<S> AxumRouterExt for axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    #[track_caller]
    fn mount_app(self, prefix: &str, app: impl App) -> Self {
        self.nest_service(prefix, GatewayService::new(app))
    }

    #[track_caller]
    fn fallback_app(self, app: impl App) -> Self {
        self.fallback_service(GatewayService::new(app))
    }
}
