//! `Microframe`: the app builder, and the onion it builds.

mod failures;
mod security;

use std::sync::Arc;

use gateway_core::{App, Environ, OwnedCall, Response, StartResponse};
use http::Method;

use crate::body_limit::{BodyLimit, DEFAULT_BODY_LIMIT};
use crate::cross_site::CrossSite;
use crate::debug_page::DebugPage;
use crate::error_pages::ErrorPages;
use crate::extract::StateMap;
use crate::handler::{Handler, HandlerApp};
use crate::rejection::NotFound;
use crate::response::IntoResponse;
use crate::router::{Converter, Resolved, Router, UrlError};

/// A microframe app: routes of handlers, mounts, error pages and a body limit, composed as
/// layers and itself a gateway [`App`], so it runs on `gateway_tower::serve`, under
/// `GatewayService` (inside axum), under [`TestClient`](crate::TestClient), and mounted in
/// other apps.
///
/// The onion, outermost first (each layer is usable alone around any gateway app):
///
/// ```text
///  request ──► state ──► ErrorPages ──► debug page ──► BodyLimit ──► Router ──► extractors ──► handler
///              (its link   (panic→500,    (off by        (2 MiB by     (404, 405,   (Query, Form,  (your fn)
///               in front)   refusals      default:       default)      308, mounts)  Json, State,
///                           rendered)     `debug`)                                   Path, ...)
///  response ◄────────────── status kept ◄─────────────────────────────◄──────────── IntoResponse ◄──
/// ```
///
/// The state goes in first, so everything inside sees it: error handlers, the router, the
/// apps mounted in it (their own state in front of this one's) and the handlers. The debug
/// page sits inside `ErrorPages`, so that when it answers (see [`Microframe::debug`]) it
/// has caught the panic first and its page is not replaced by an error handler's.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, Path, TestClient};
///
/// async fn hello(Path(name): Path<String>) -> String {
///     format!("Hello {name}!")
/// }
/// let app = Microframe::new().get("/hello/<name>", hello);
/// TestClient::new(app).get("/hello/bob").send().await.assert_status(200).assert_body("Hello bob!");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Microframe {
    app: ErrorPages<DebugPage<BodyLimit<Router>>>,
    state: StateMap,
}

impl Default for Microframe {
    fn default() -> Self {
        Self::new()
    }
}

impl Microframe {
    /// An app with no routes, a 2 MiB body limit, no error handler, and the cross-site
    /// protection on.
    ///
    /// # Examples
    /// See [`Microframe`].
    pub fn new() -> Self {
        let mut router = Router::new();
        *router.cross_site_mut() = Some(CrossSite::default());
        let limited = BodyLimit::deferred(router, DEFAULT_BODY_LIMIT);
        Self { app: ErrorPages::new(DebugPage::new(limited)), state: StateMap::default() }
    }

    fn router_mut(&mut self) -> &mut Router {
        self.app.get_mut().get_mut().get_mut()
    }

    fn with_router(mut self, change: impl FnOnce(Router) -> Router) -> Self {
        let router = change(std::mem::take(self.router_mut()));
        self.app.set_url_table(router.url_table().clone());
        if self.app.get_ref().is_on() {
            self.app.get_mut().set_routes(router.listing());
        }
        *self.router_mut() = router;
        self
    }

    /// Adds a route for `methods`. See [`Router`] for the matching rules.
    ///
    /// # Panics
    /// On a malformed pattern, an unknown converter, or a duplicate route.
    ///
    /// # Examples
    /// ```
    /// # async fn page() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().route(&[http::Method::GET, http::Method::POST], "/page", page);
    /// ```
    pub fn route<H, Args>(self, methods: &[Method], pattern: &str, handler: H) -> Self
    where
        H: Handler<Args>,
        Args: 'static,
    {
        self.with_router(|router| router.route(methods, pattern, HandlerApp::new(handler)))
    }

    /// Adds a GET route (which also answers HEAD).
    ///
    /// # Panics
    /// As [`route`](Microframe::route).
    ///
    /// # Examples
    /// See [`Microframe`].
    pub fn get<H: Handler<Args>, Args: 'static>(self, pattern: &str, handler: H) -> Self {
        self.route(&[Method::GET], pattern, handler)
    }

    /// Adds a POST route.
    ///
    /// # Panics
    /// As [`route`](Microframe::route).
    ///
    /// # Examples
    /// ```
    /// # async fn save() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().post("/save", save);
    /// ```
    pub fn post<H: Handler<Args>, Args: 'static>(self, pattern: &str, handler: H) -> Self {
        self.route(&[Method::POST], pattern, handler)
    }

    /// Adds a PUT route.
    ///
    /// # Panics
    /// As [`route`](Microframe::route).
    ///
    /// # Examples
    /// ```
    /// # async fn replace() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().put("/item/<id:int>", replace);
    /// ```
    pub fn put<H: Handler<Args>, Args: 'static>(self, pattern: &str, handler: H) -> Self {
        self.route(&[Method::PUT], pattern, handler)
    }

    /// Adds a PATCH route.
    ///
    /// # Panics
    /// As [`route`](Microframe::route).
    ///
    /// # Examples
    /// ```
    /// # async fn amend() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().patch("/item/<id:int>", amend);
    /// ```
    pub fn patch<H: Handler<Args>, Args: 'static>(self, pattern: &str, handler: H) -> Self {
        self.route(&[Method::PATCH], pattern, handler)
    }

    /// Adds a DELETE route.
    ///
    /// # Panics
    /// As [`route`](Microframe::route).
    ///
    /// # Examples
    /// ```
    /// # async fn remove() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().delete("/item/<id:int>", remove);
    /// ```
    pub fn delete<H: Handler<Args>, Args: 'static>(self, pattern: &str, handler: H) -> Self {
        self.route(&[Method::DELETE], pattern, handler)
    }

    /// Names the route added last, for `url_for`.
    ///
    /// # Panics
    /// When no route was added yet, or the name is taken.
    ///
    /// # Examples
    /// ```
    /// # async fn item() -> &'static str { "" }
    /// let app = microframe::Microframe::new().get("/item/<id:int>", item).name("item");
    /// assert_eq!(app.url_for("item", &[("id", "007"), ("tab", "a b")]).unwrap(), "/item/7?tab=a+b");
    /// ```
    pub fn name(self, name: &str) -> Self {
        self.with_router(|router| router.name(name))
    }

    /// Sets the body limit of the route added last, instead of the app's.
    ///
    /// # Panics
    /// When no route was added yet.
    ///
    /// # Examples
    /// ```
    /// # async fn upload() -> &'static str { "" }
    /// let _app = microframe::Microframe::new().post("/upload", upload).limit(16 << 20);
    /// ```
    pub fn limit(self, bytes: u64) -> Self {
        self.with_router(|router| router.limit(bytes))
    }

    /// Mounts any gateway app at `prefix`: it sees `SCRIPT_NAME` = the prefix and
    /// `PATH_INFO` = the rest, and its `url_for` prepends the prefix. Route tables are not
    /// merged. Mounts and routes are tried in the order they were added.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient, UrlFor};
    ///
    /// async fn post(urls: UrlFor) -> String {
    ///     urls.url_for("post", &[("id", "7")]).unwrap_or_default()
    /// }
    /// let blog = Microframe::new().get("/post/<id:int>", post).name("post");
    /// let app = Microframe::new().mount("/blog", blog);
    /// TestClient::new(app).get("/blog/post/7").send().await.assert_body("/blog/post/7");
    /// # });
    /// ```
    pub fn mount(self, prefix: &str, app: impl App) -> Self {
        // A mounted microframe checks cross-site requests at its own routes, with its own
        // settings; any other app is checked at the mount.
        let checks_itself = (&app as &dyn std::any::Any).is::<Microframe>();
        self.with_router(|router| router.mount_checked(prefix, app, !checks_itself))
    }

    /// Serves the files under `dir` at `prefix` ([`StaticFiles`](crate::StaticFiles): the
    /// confinement, validators, ranges, precompressed siblings and headers of its docs), and
    /// names them `static` for `url_for`: `url_for("static", &[("filename", "css/site.css")])`
    /// is `<prefix>/css/site.css`, under the app's mount prefix too.
    ///
    /// # Panics
    /// When the name `static` is taken, or the prefix is not a mount prefix.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient, UrlFor};
    ///
    /// async fn page(urls: UrlFor) -> String {
    ///     urls.url_for("static", &[("filename", "css/site.css")]).unwrap_or_default()
    /// }
    /// # let dir = std::env::temp_dir().join(format!("microframe-doc-static-files-{}", std::process::id()));
    /// # std::fs::create_dir_all(dir.join("css")).unwrap();
    /// # std::fs::write(dir.join("css/site.css"), "p {}").unwrap();
    /// let site = Microframe::new().static_files("/static", &dir).get("/", page);
    /// let client = TestClient::new(Microframe::new().mount("/app", site));
    /// client.get("/app/").send().await.assert_body("/app/static/css/site.css");
    /// client.get("/app/static/css/site.css").send().await.assert_status(200).assert_body("p {}");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # });
    /// ```
    pub fn static_files(self, prefix: &str, dir: impl AsRef<std::path::Path>) -> Self {
        self.static_files_with(prefix, crate::StaticFiles::new(dir))
    }

    /// [`static_files`](Self::static_files) with the files' settings
    /// ([`StaticFiles::cache_control`](crate::StaticFiles::cache_control)).
    ///
    /// # Panics
    /// As [`static_files`](Self::static_files).
    ///
    /// # Examples
    /// ```
    /// use microframe::{Microframe, StaticFiles};
    /// let _app = Microframe::new().static_files_with("/static", StaticFiles::new("static").cache_control("max-age=600"));
    /// ```
    pub fn static_files_with(self, prefix: &str, files: crate::StaticFiles) -> Self {
        let pattern = format!("{}/<filename:path>", prefix.trim_end_matches('/'));
        // Files answer GET and HEAD only (405 otherwise): nothing for the cross-site check.
        self.with_router(|router| router.mount_checked(prefix, files, false).name_pattern("static", &pattern))
    }

    /// Registers a path converter for the patterns added after it.
    ///
    /// # Examples
    /// See [`Converter`].
    pub fn converter(self, name: &str, converter: impl Converter) -> Self {
        self.with_router(|router| router.converter(name, converter))
    }

    /// Sets the app's body limit (2 MiB by default).
    ///
    /// # Examples
    /// ```
    /// let _app = microframe::Microframe::new().body_limit(64 * 1024);
    /// ```
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.app.get_mut().get_mut().set_limit(bytes);
        self
    }

    /// Registers `value` as app state, by its type, for [`State<T>`](crate::State) in
    /// handlers, error handlers and the apps mounted in this one (which see their own state
    /// first). Several types may be registered; a second value of a type replaces the first.
    ///
    /// # Examples
    /// See [`State`](crate::State).
    pub fn state<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(value);
        self
    }

    /// The URL of a named route at the root; handlers use [`UrlFor`](crate::UrlFor), which
    /// knows the mount prefix.
    ///
    /// # Errors
    /// An unknown name, a missing parameter, or a value its converter refuses.
    ///
    /// # Examples
    /// See [`Microframe::name`].
    pub fn url_for(&self, name: &str, params: &[(&str, &str)]) -> Result<String, UrlError> {
        self.app.get_ref().get_ref().get_ref().url_for(name, params)
    }
}

impl App for Microframe {
    fn call(&self, mut environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self.state.enter(&mut environ);
        self.app.call(environ, start_response)
    }

    /// Routes at once and hands over the route's boxed future, so a request through
    /// `GatewayService` costs one boxed future, not two (with error handlers registered or
    /// the debug pages on, the page rendering needs the whole call boxed instead).
    fn call_owned(self: Arc<Self>, mut environ: Environ, start_response: StartResponse) -> OwnedCall {
        self.state.enter(&mut environ);
        if self.app.has_handlers() || self.app.get_ref().is_on() {
            return Box::pin(async move { self.app.call(environ, start_response).await });
        }
        let limited = self.app.get_ref().get_ref();
        if let Err(rejection) = limited.prepare(&mut environ) {
            return Box::pin(std::future::ready(rejection.into_response(start_response)));
        }
        match limited.get_ref().resolve(environ, start_response) {
            Resolved::Respond(response) => Box::pin(std::future::ready(response)),
            Resolved::Call(app, environ, start_response) => app.owned_call(environ, start_response),
            Resolved::Fallback(_environ, start_response) => {
                Box::pin(std::future::ready(NotFound.into_response(start_response)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TestClient;

    async fn size(mut environ: Environ) -> String {
        match environ.input().read_to_end(u64::MAX).await {
            Ok(body) => body.len().to_string(),
            Err(error) => format!("{error}"),
        }
    }

    #[tokio::test]
    async fn a_route_limit_above_the_app_limit_admits_a_declared_body_between_them() {
        let app = Microframe::new().body_limit(4).post("/big", size).limit(8).post("/small", size);
        let client = TestClient::new(app);
        client.post("/big").body("123456").send().await.assert_status(200).assert_body("6");
        client.post("/small").body("123456").send().await.assert_status(413).assert_body("Payload Too Large");
        client.post("/big").body("123456789").send().await.assert_status(413);
    }
}
