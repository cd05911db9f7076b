//! How the router answers a request: `Router::resolve` tries the entries in order and says,
//! without awaiting, who answers: the router itself (405 with `Allow`, OPTIONS, the
//! trailing-slash 308, a body over the route's limit, a cross-site refusal), a route's or a
//! mount's app, or the fallback.

use gateway_core::{App, Body, BoxApp, Environ, Response, StartResponse};
use http::header::ALLOW;
use http::{HeaderValue, Method, StatusCode};

use super::{Entry, Router};
use crate::body_limit;
use crate::rejection::{Forbidden, MethodNotAllowed, NotFound};
use crate::response::{IntoResponse, Redirect};

impl Router {
    pub(super) async fn dispatch<F: App>(
        &self,
        environ: Environ,
        start_response: StartResponse,
        fallback: &F,
    ) -> Response {
        match self.resolve(environ, start_response) {
            Resolved::Respond(response) => response,
            Resolved::Call(app, environ, start_response) => app.call(environ, start_response).await,
            Resolved::Fallback(environ, start_response) => fallback.call(environ, start_response).await,
        }
    }

    /// Routes without waiting: the answer the router gives itself (405, OPTIONS, 308, 413),
    /// the app to call (a route's handler or a mounted app), or the fallback.
    pub(crate) fn resolve(&self, mut environ: Environ, start_response: StartResponse) -> Resolved<'_> {
        if !self.names.0.is_empty() {
            environ.extensions_mut().insert(self.names.clone());
        }
        let mut allowed: Option<Vec<Method>> = None;
        for entry in &self.entries {
            match entry {
                Entry::Mount(mount) => {
                    if environ.shift_path(&mount.prefix) {
                        if self.refuses_cross_site(mount.cross_site, &environ) {
                            return Resolved::Respond(Forbidden.into_response(start_response));
                        }
                        return Resolved::Call(&mount.app, environ, start_response);
                    }
                }
                Entry::Route(route) => {
                    let Some(params) = route.pattern.matches(environ.raw_path_info()) else { continue };
                    if route.accepts(environ.method()) {
                        if self.refuses_cross_site(route.cross_site, &environ) {
                            return Resolved::Respond(Forbidden.into_response(start_response));
                        }
                        if !params.is_empty() {
                            environ.extensions_mut().insert(params);
                        }
                        // The route's limit replaces the app's; either is checked against the
                        // declared length before the handler runs.
                        if let Some(limit) = route.limit.or_else(|| environ.input().limit())
                            && let Err(rejection) = body_limit::apply(&mut environ, limit)
                        {
                            return Resolved::Respond(rejection.into_response(start_response));
                        }
                        return Resolved::Call(&route.app, environ, start_response);
                    }
                    allowed.get_or_insert_default().extend(route.methods.iter().cloned());
                }
            }
        }
        if let Some(methods) = allowed {
            let allow = allow_header(methods);
            if environ.method() == Method::OPTIONS {
                let allow = HeaderValue::try_from(allow).unwrap_or(HeaderValue::from_static("OPTIONS"));
                let response = start_response.start(StatusCode::NO_CONTENT, [(ALLOW, allow)]).body(Body::empty());
                return Resolved::Respond(response);
            }
            return Resolved::Respond(MethodNotAllowed::new(allow).into_response(start_response));
        }
        if let Some(location) = self.with_trailing_slash(&environ) {
            return Resolved::Respond(Redirect::permanent(location).into_response(start_response));
        }
        Resolved::Fallback(environ, start_response)
    }

    /// Where the trailing-slash rule redirects, if the path plus `/` matches a route.
    fn with_trailing_slash(&self, environ: &Environ) -> Option<String> {
        let path = environ.raw_path_info();
        if path.ends_with('/') {
            return None;
        }
        let slashed = format!("{path}/");
        let known = self.entries.iter().any(|e| matches!(e, Entry::Route(r) if r.pattern.matches(&slashed).is_some()));
        let query = environ.query_string();
        let separator = if query.is_empty() { "" } else { "?" };
        let location = format!("{}{slashed}{separator}{query}", environ.raw_script_name());
        // `//host/` and `/\host/` are read by browsers as another site: never redirect there.
        (known && !location.starts_with("//") && !location.starts_with("/\\")).then_some(location)
    }
}

/// `Allow`: the methods, HEAD where GET is, OPTIONS, sorted and without repeats.
fn allow_header(mut methods: Vec<Method>) -> String {
    if methods.contains(&Method::GET) {
        methods.push(Method::HEAD);
    }
    methods.push(Method::OPTIONS);
    let mut names: Vec<&str> = methods.iter().map(Method::as_str).collect();
    names.sort_unstable();
    names.dedup();
    names.join(", ")
}

/// What [`Router::resolve`] found.
pub(crate) enum Resolved<'a> {
    /// The router answers itself.
    Respond(Response),
    /// A route's handler, or a mounted app, with the request ready for it.
    Call(&'a BoxApp, Environ, StartResponse),
    /// Nothing matched.
    Fallback(Environ, StartResponse),
}

/// The default fallback: 404 `Not Found`.
struct NotFoundApp;

impl App for NotFoundApp {
    async fn call(&self, _environ: Environ, start_response: StartResponse) -> Response {
        NotFound.into_response(start_response)
    }
}

impl App for Router {
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self.dispatch(environ, start_response, &NotFoundApp)
    }
}
