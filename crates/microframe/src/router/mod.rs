//! The router layer; its rules are in [`Router`]'s docs.
//!
//! The table is a list of entries (routes and mounts) tried in order; `Router::resolve`
//! decides without awaiting what answers a request: the router itself (405, OPTIONS, 308,
//! 413), a route's or a mount's app, or the fallback.

mod converter;
mod pattern;
mod resolve;
mod routed;
mod url_for;

use std::collections::HashMap;
use std::sync::Arc;

use gateway_core::{App, BoxApp, Environ};
use http::Method;

pub use converter::Converter;
pub use pattern::UrlError;
pub(crate) use resolve::Resolved;
pub use routed::Routed;
pub use url_for::UrlFor;

use crate::cross_site::CrossSite;
use crate::debug_page::Listed;
use converter::DynConverter;
use pattern::Pattern;
pub(crate) use url_for::UrlTable;

/// Routes requests to apps by path and method: Bottle patterns, 404, 405, OPTIONS and HEAD,
/// the trailing-slash 308, and mounts. A [`Microframe`](crate::Microframe) routes with one,
/// so these are its rules too (docs/design.md §4).
///
/// # Patterns
/// A pattern starts with `/` and is a list of `/`-separated segments, each a literal or one
/// `<name[:conv]>` parameter; a `path` parameter takes the rest and must come last. The
/// built-in converters:
///
/// | parameter | matches | value |
/// |---|---|---|
/// | `<name>` | one non-empty segment | `String` |
/// | `<id:int>` | `-?[0-9]+` (an `i64` overflow is no match) | `i64` |
/// | `<x:float>` | `-?[0-9]+(\.[0-9]+)?` (no exponent, `inf` or `NaN`) | `f64` |
/// | `<p:path>` | the rest of the path, slashes included, non-empty | `String` |
///
/// Others are registered with [`Router::converter`] (see [`Converter`]); text a converter
/// refuses is no match, so routing goes on (404 in the end). Matching splits the **raw**
/// `PATH_INFO` on `/` first and percent-decodes each segment after, so `%2F` stays inside a
/// segment; there is no normalisation (`..` is an ordinary segment).
///
/// # Rules
/// - The first registered route whose pattern **and** method match wins. A mount matches
///   its prefix on whole raw segments and gets the request with the prefix moved from
///   `PATH_INFO` to `SCRIPT_NAME` (route tables are never merged).
/// - A path that matches some pattern but no method: 405 with `Allow` = the union of those
///   routes' methods, plus HEAD where GET is, plus OPTIONS, sorted; `OPTIONS` on such a path
///   is answered 204 with the same `Allow`. A GET route answers HEAD.
/// - No pattern matches, but the path plus `/` would: 308 to it (query kept), unless the
///   `Location` would start with `//` or `/\`, which browsers read as another site. Else
///   the fallback answers (404 `Not Found` by default).
/// - Two routes with a shared method and the same pattern shape panic when registered.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use http::Method;
/// use microframe::{HandlerApp, Path, Router, TestClient};
///
/// async fn index() -> &'static str { "Index" }
/// async fn item(Path(id): Path<i64>) -> String { format!("item {id}") }
/// async fn blog() -> &'static str { "Blog" }
/// let router = Router::new()
///     .route(&[Method::GET], "/", HandlerApp::new(index))
///     .route(&[Method::GET, Method::DELETE], "/item/<id:int>", HandlerApp::new(item))
///     .route(&[Method::GET], "/blog/", HandlerApp::new(blog));
/// let client = TestClient::new(router);
/// client.get("/").send().await.assert_body("Index");
/// client.post("/").send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS");
/// client.options("/item/7").send().await
///     .assert_status(204)
///     .assert_header("allow", "DELETE, GET, HEAD, OPTIONS");
/// client.head("/item/7").send().await.assert_status(200).assert_body("");
/// client.get("/item/seven").send().await.assert_status(404); // `int` refuses it: no match
/// client.get("/blog?page=2").send().await.assert_status(308).assert_header("location", "/blog/?page=2");
/// # });
/// ```
#[derive(Clone)]
pub struct Router {
    entries: Vec<Entry>,
    converters: HashMap<String, Arc<dyn DynConverter>>,
    names: UrlTable,
    /// The cross-site check of the routes (on in a `Microframe`, off in a bare router).
    cross_site: Option<CrossSite>,
}

#[derive(Clone)]
enum Entry {
    Route(Route),
    Mount(Mount),
}

#[derive(Clone)]
struct Route {
    pattern: Pattern,
    methods: Vec<Method>,
    app: BoxApp,
    limit: Option<u64>,
    /// Whether the cross-site check applies (`allow_cross_site` turns it off).
    cross_site: bool,
    /// Its name for `url_for`, if it has one (shown by the debug page).
    name: Option<String>,
}

#[derive(Clone)]
struct Mount {
    prefix: String,
    app: BoxApp,
    /// Whether the cross-site check applies at the mount (not for a mounted `Microframe`,
    /// which checks at its own routes).
    cross_site: bool,
}

impl Route {
    fn accepts(&self, method: &Method) -> bool {
        self.methods.contains(method) || (*method == Method::HEAD && self.methods.contains(&Method::GET))
    }
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

impl Router {
    /// An empty router with the built-in converters: `<name>`, `int`, `float`, `path`.
    ///
    /// # Examples
    /// ```
    /// let _router = microframe::Router::new();
    /// ```
    pub fn new() -> Self {
        let mut converters: HashMap<String, Arc<dyn DynConverter>> = HashMap::new();
        converters.insert(String::new(), Arc::new(converter::Segment));
        converters.insert("int".into(), Arc::new(converter::Int));
        converters.insert("float".into(), Arc::new(converter::Float));
        converters.insert("path".into(), Arc::new(converter::Path));
        Self { entries: Vec::new(), converters, names: UrlTable::default(), cross_site: None }
    }

    /// Registers a converter under `name`, for patterns registered after this call.
    ///
    /// # Examples
    /// See [`Converter`].
    pub fn converter(mut self, name: &str, converter: impl Converter) -> Self {
        self.converters.insert(name.to_owned(), Arc::new(converter));
        self
    }

    /// Adds a route for `methods` on `pattern`.
    ///
    /// # Panics
    /// On a malformed pattern, an unknown converter, or a route that shares a method and
    /// the pattern shape with an earlier one.
    ///
    /// # Examples
    /// See [`Router`].
    pub fn route(mut self, methods: &[Method], pattern: &str, app: impl App) -> Self {
        let pattern = Pattern::parse(pattern, &self.converters);
        for entry in &self.entries {
            if let Entry::Route(other) = entry
                && other.pattern.same_shape(&pattern)
                && let Some(shared) = methods.iter().find(|m| other.methods.contains(m))
            {
                panic!(
                    "duplicate route: {shared} {} is already registered as {shared} {}",
                    pattern.source(),
                    other.pattern.source()
                );
            }
        }
        let methods = methods.to_vec();
        self.entries.push(Entry::Route(Route {
            pattern,
            methods,
            app: BoxApp::new(app),
            limit: None,
            cross_site: true,
            name: None,
        }));
        self
    }

    /// Names the route added last, for [`url_for`](Router::url_for) and [`UrlFor`].
    ///
    /// # Panics
    /// When no route was added yet, or the name is taken.
    ///
    /// # Examples
    /// ```
    /// # async fn hello() -> &'static str { "" }
    /// let router = microframe::Router::new().route(&[http::Method::GET], "/hello/<name>", microframe::HandlerApp::new(hello)).name("hello");
    /// assert_eq!(router.url_for("hello", &[("name", "bob")]).unwrap(), "/hello/bob");
    /// ```
    pub fn name(mut self, name: &str) -> Self {
        let Some(Entry::Route(route)) = self.entries.last_mut() else {
            panic!("Router::name({name:?}) needs a route added just before it");
        };
        let names = Arc::make_mut(&mut self.names.0);
        assert!(!names.contains_key(name), "route name {name:?} is already taken");
        names.insert(name.to_owned(), route.pattern.clone());
        route.name = Some(name.to_owned());
        self
    }

    /// Names `pattern` for `url_for` without routing it (the files of a mounted app).
    ///
    /// # Panics
    /// On a malformed pattern, or a name already taken.
    pub(crate) fn name_pattern(mut self, name: &str, pattern: &str) -> Self {
        let pattern = Pattern::parse(pattern, &self.converters);
        let names = Arc::make_mut(&mut self.names.0);
        assert!(!names.contains_key(name), "route name {name:?} is already taken");
        names.insert(name.to_owned(), pattern);
        self
    }

    /// Sets the body limit of the route added last (instead of the app's).
    ///
    /// # Panics
    /// When no route was added yet.
    ///
    /// # Examples
    /// ```
    /// # async fn upload() -> &'static str { "" }
    /// let _router = microframe::Router::new().route(&[http::Method::POST], "/upload", microframe::HandlerApp::new(upload)).limit(10 << 20);
    /// ```
    pub fn limit(mut self, bytes: u64) -> Self {
        let Some(Entry::Route(route)) = self.entries.last_mut() else {
            panic!("Router::limit({bytes}) needs a route added just before it");
        };
        route.limit = Some(bytes);
        self
    }

    /// Mounts `app` at `prefix`: it sees `SCRIPT_NAME` = the prefix and `PATH_INFO` = the
    /// rest (`""` at the prefix itself).
    ///
    /// # Examples
    /// See [`Microframe::mount`](crate::Microframe::mount).
    pub fn mount(self, prefix: &str, app: impl App) -> Self {
        self.mount_checked(prefix, app, true)
    }

    /// [`mount`](Router::mount), with or without the cross-site check at the mount.
    pub(crate) fn mount_checked(mut self, prefix: &str, app: impl App, cross_site: bool) -> Self {
        assert!(
            prefix.starts_with('/') && prefix.len() > 1,
            "mount prefix {prefix:?} must start with `/` and not be `/`"
        );
        let prefix = prefix.trim_end_matches('/').to_owned();
        self.entries.push(Entry::Mount(Mount { prefix, app: BoxApp::new(app), cross_site }));
        self
    }

    /// The cross-site check, to switch on, off or configure.
    pub(crate) fn cross_site_mut(&mut self) -> &mut Option<CrossSite> {
        &mut self.cross_site
    }

    /// Exempts the route or mount added last from the cross-site check.
    ///
    /// # Panics
    /// When nothing was added yet.
    pub(crate) fn allow_cross_site(mut self) -> Self {
        match self.entries.last_mut() {
            Some(Entry::Route(route)) => route.cross_site = false,
            Some(Entry::Mount(mount)) => mount.cross_site = false,
            None => panic!("allow_cross_site() needs a route or mount added just before it"),
        }
        self
    }

    /// Whether the cross-site check refuses the request.
    fn refuses_cross_site(&self, checked: bool, environ: &Environ) -> bool {
        checked && self.cross_site.as_ref().is_some_and(|check| !check.allows(environ))
    }

    /// The URL of a named route at the root (no mount prefix); handlers use [`UrlFor`].
    ///
    /// # Errors
    /// An unknown name, a missing parameter, or a value its converter refuses.
    ///
    /// # Examples
    /// See [`Router::name`].
    pub fn url_for(&self, name: &str, params: &[(&str, &str)]) -> Result<String, UrlError> {
        url_for::build(&self.names, "", name, params)
    }

    /// The named routes, as requests see them.
    pub(crate) fn url_table(&self) -> &UrlTable {
        &self.names
    }

    /// The routes and mounts in order, for the debug page.
    pub(crate) fn listing(&self) -> Vec<Listed> {
        let list = |entry: &Entry| match entry {
            Entry::Route(route) => Listed::Route {
                methods: route.methods.clone(),
                pattern: route.pattern.source().to_owned(),
                name: route.name.clone(),
            },
            Entry::Mount(mount) => Listed::Mount { prefix: mount.prefix.clone() },
        };
        self.entries.iter().map(list).collect()
    }
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        for entry in &self.entries {
            match entry {
                Entry::Route(route) => list.entry(&format_args!("{:?} {:?}", route.methods, route.pattern)),
                Entry::Mount(mount) => list.entry(&format_args!("mount {}", mount.prefix)),
            };
        }
        list.finish()
    }
}
