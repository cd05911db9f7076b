//! `Routed<A>`: a router in front of another app, as a layer.

use gateway_core::{App, Environ, Layer, Response, StartResponse};

use super::Router;

/// A router in front of another app, which gets what no route matches (axum's
/// `fallback_service`): `app.with(router)`.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::App;
/// use microframe::{HandlerApp, Router, TestClient};
///
/// async fn legacy(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response {
///     s.start(http::StatusCode::OK, ()).body("legacy")
/// }
/// async fn new_page() -> &'static str { "new" }
/// let app = legacy.with(Router::new().route(&[http::Method::GET], "/new", HandlerApp::new(new_page)));
/// let client = TestClient::new(app);
/// client.get("/new").send().await.assert_body("new");
/// client.get("/old").send().await.assert_body("legacy");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Routed<A> {
    router: Router,
    fallback: A,
}

impl<A: App> Layer<A> for Router {
    type App = Routed<A>;
    fn layer(&self, fallback: A) -> Routed<A> {
        Routed { router: self.clone(), fallback }
    }
}

impl<A: App> App for Routed<A> {
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self.router.dispatch(environ, start_response, &self.fallback)
    }
}
