//! The `App` trait (PEP 3333's application callable), layers, and a boxed app.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::environ::Environ;
use crate::response::{Response, StartResponse};

/// A gateway app: called with an environ and a `start_response`, returns the response.
///
/// Implemented for every `async fn(Environ, StartResponse) -> Response` and closure of that
/// shape, and by middleware: a type that holds an inner app and implements `App` by calling
/// it (see [`Layer`]). Servers call it through `&self`, concurrently, so an app is
/// `Send + Sync + 'static` and its future is `Send`.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, Response, StartResponse};
/// use http::StatusCode;
///
/// async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(StatusCode::OK, ()).body("Hello world!")
/// }
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = hello.call(environ, StartResponse::new()).await;
/// assert_eq!(response.status(), StatusCode::OK);
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a gateway app",
    label = "not an app",
    note = "an app is an `async fn(Environ, StartResponse) -> Response` (or a closure of that shape), or a type implementing `App`",
    note = "apps must be `Send + Sync + 'static`, and their futures `Send`"
)]
pub trait App: Send + Sync + 'static {
    /// Handles one request.
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send;

    /// Wraps this app in a layer: `app.with(layer)` is `layer.layer(app)`.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::{App, Environ, Response, StartResponse, Validate};
    /// # async fn hello(_e: Environ, s: StartResponse) -> Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _checked: Validate<_> = hello.with(Validate::layer());
    /// ```
    fn with<L>(self, layer: L) -> L::App
    where
        Self: Sized,
        L: Layer<Self>,
    {
        layer.layer(self)
    }

    /// The same call as one boxed future that owns what it needs: what a server uses when
    /// it must name its future's type (a tower `Service`'s `Future`). The default boxes
    /// [`call`](App::call); an app that holds a future boxed already (a router's route) may
    /// hand that one over instead, so that a request costs one allocation, not two.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// use std::sync::Arc;
    /// use gateway_core::{App, Environ, Input, Response, StartResponse};
    ///
    /// async fn hello(_e: Environ, s: StartResponse) -> Response { s.start(http::StatusCode::OK, ()).body("hi") }
    /// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
    /// let future = Arc::new(hello).call_owned(environ, StartResponse::new()); // 'static
    /// assert_eq!(future.await.status(), 200);
    /// # });
    /// ```
    fn call_owned(self: Arc<Self>, environ: Environ, start_response: StartResponse) -> OwnedCall
    where
        Self: Sized,
    {
        Box::pin(async move { self.call(environ, start_response).await })
    }
}

/// A boxed response future that owns the app it runs: see [`App::call_owned`].
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use std::sync::Arc;
/// use gateway_core::{App, Environ, Input, OwnedCall, Response, StartResponse};
///
/// async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(http::StatusCode::OK, ()).body("hi")
/// }
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let call: OwnedCall = Arc::new(hello).call_owned(environ, StartResponse::new());
/// let spawned = std::thread::spawn(move || futures_executor::block_on(call)); // 'static + Send
/// assert_eq!(spawned.join().unwrap().status(), 200);
/// # });
/// ```
pub type OwnedCall = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

impl<F, Fut> App for F
where
    F: Fn(Environ, StartResponse) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send,
{
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self(environ, start_response)
    }
}

impl<A: App> App for Arc<A> {
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        (**self).call(environ, start_response)
    }
}

/// Something that wraps an app into another app: middleware, as a value.
///
/// # Examples
/// ```
/// use gateway_core::{App, Environ, Layer, Response, StartResponse};
///
/// /// Adds `X-Powered-By` to every response.
/// struct PoweredBy<A>(A);
///
/// impl<A: App> App for PoweredBy<A> {
///     async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
///         let mut response = self.0.call(environ, start_response).await;
///         response.headers_mut().insert("x-powered-by", http::HeaderValue::from_static("gateway"));
///         response
///     }
/// }
///
/// struct PoweredByLayer;
/// impl<A: App> Layer<A> for PoweredByLayer {
///     type App = PoweredBy<A>;
///     fn layer(&self, app: A) -> PoweredBy<A> {
///         PoweredBy(app)
///     }
/// }
/// # async fn hello(_e: Environ, s: StartResponse) -> Response { s.start(http::StatusCode::OK, ()).body("") }
/// let _app = hello.with(PoweredByLayer);
/// ```
pub trait Layer<A> {
    /// The wrapped app.
    type App: App;
    /// Wraps `app`.
    fn layer(&self, app: A) -> Self::App;
}

/// Any app behind one pointer, for choosing among apps at run time (one allocation per
/// request for the future; static dispatch is free, so use this only where needed).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, BoxApp, Environ, Input, Response, StartResponse};
/// use http::StatusCode;
///
/// async fn a(_e: Environ, s: StartResponse) -> Response { s.start(StatusCode::OK, ()).body("a") }
/// async fn b(_e: Environ, s: StartResponse) -> Response { s.start(StatusCode::OK, ()).body("b") }
///
/// let apps = [BoxApp::new(a), BoxApp::new(b)];
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = apps[1].call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "b");
/// # });
/// ```
#[derive(Clone)]
pub struct BoxApp {
    inner: Arc<dyn DynApp>,
}

type BoxFuture<'a> = Pin<Box<dyn Future<Output = Response> + Send + 'a>>;

trait DynApp: Send + Sync + 'static {
    fn call_boxed(&self, environ: Environ, start_response: StartResponse) -> BoxFuture<'_>;
    fn call_owned_dyn(self: Arc<Self>, environ: Environ, start_response: StartResponse) -> OwnedCall;
}

impl<A: App> DynApp for A {
    fn call_boxed(&self, environ: Environ, start_response: StartResponse) -> BoxFuture<'_> {
        Box::pin(self.call(environ, start_response))
    }
    fn call_owned_dyn(self: Arc<Self>, environ: Environ, start_response: StartResponse) -> OwnedCall {
        self.call_owned(environ, start_response)
    }
}

impl BoxApp {
    /// Boxes `app`.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _app = gateway_core::BoxApp::new(hello);
    /// ```
    pub fn new(app: impl App) -> Self {
        Self { inner: Arc::new(app) }
    }

    /// The app's [`App::call_owned`]: one boxed future that owns (a share of) the app.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// # use gateway_core::{BoxApp, Environ, Input, StartResponse};
    /// # async fn hello(_e: Environ, s: StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let app = BoxApp::new(hello);
    /// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
    /// assert_eq!(app.owned_call(environ, StartResponse::new()).await.status(), 200);
    /// # });
    /// ```
    pub fn owned_call(&self, environ: Environ, start_response: StartResponse) -> OwnedCall {
        Arc::clone(&self.inner).call_owned_dyn(environ, start_response)
    }
}

impl App for BoxApp {
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self.inner.call_boxed(environ, start_response)
    }

    fn call_owned(self: Arc<Self>, environ: Environ, start_response: StartResponse) -> OwnedCall {
        self.owned_call(environ, start_response)
    }
}

impl std::fmt::Debug for BoxApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BoxApp")
    }
}
