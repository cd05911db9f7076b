//! Handlers: async functions of extractors that return a response.

use std::future::Future;
use std::marker::PhantomData;

use gateway_core::{App, Environ, Response, StartResponse};

use crate::extract::{FromEnviron, FromEnvironLast};
use crate::response::IntoResponse;

/// An async function whose arguments are extractors and whose result is
/// [`IntoResponse`]: what a route runs. Implemented for functions of up to eight arguments.
///
/// - **What it may take**: [`FromEnviron`] values (the list, the order they run in, and what
///   a failure does are in its docs), the last one a [`FromEnvironLast`] (`Environ`,
///   [`Multipart`](crate::Multipart)); `Option<E>` and `Result<E, E::Rejection>` of an
///   extractor ([`OptionalFromEnviron`](crate::OptionalFromEnviron)).
/// - **What it may return**: an [`IntoResponse`] (the table of types, statuses and
///   `Content-Type`s is in its docs).
/// - The function must be `Send + Sync + 'static` and its future `Send`: the server's
///   worker threads run it. [`debug_handler`](crate::debug_handler) names the argument at
///   fault when a function is not a handler.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, Path, TestClient};
///
/// async fn index() -> &'static str {
///     "Index"
/// }
/// async fn hello(Path(name): Path<String>) -> String {
///     format!("Hello {name}!")
/// }
/// let client = TestClient::new(Microframe::new().get("/", index).get("/hello/<name>", hello));
/// client.get("/").send().await.assert_body("Index");
/// client.get("/hello/ann").send().await.assert_body("Hello ann!");
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a handler",
    label = "not a handler",
    note = "a handler is an `async fn` whose arguments are extractors (`Query<T>`, `Form<T>`, `Json<T>`, `Path<T>`, `State<T>`, ...) and whose result is `IntoResponse` (`&'static str`, `String`, `Html<T>`, `Json<T>`, `Render<T>`, `Redirect`, ...)",
    note = "an argument that takes the request's input stream (`Environ`, `Multipart`) must be the last one: the arguments after it would see an empty body",
    note = "it must be `Send + Sync + 'static`, and so must its future",
    note = "put `#[microframe::debug_handler]` on the function: the error then names the argument (or return type, or `.await`) at fault"
)]
pub trait Handler<Args>: Send + Sync + 'static {
    /// Runs the extractors, then the function, then turns its result into the response.
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send;
}

macro_rules! impl_handler {
    ($($arg:ident),*; $last:ident) => {
        impl<F, Fut, R, $($arg,)* $last> Handler<($($arg,)* $last,)> for F
        where
            F: Fn($($arg,)* $last) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = R> + Send,
            R: IntoResponse,
            $($arg: FromEnviron,)*
            $last: FromEnvironLast,
        {
            #[allow(non_snake_case)]
            async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
                $(
                    let $arg = match $arg::from_environ(&mut environ).await {
                        Ok(value) => value,
                        Err(rejection) => return rejection.into_response(start_response),
                    };
                )*
                let $last = match $last::from_environ_last(&mut environ).await {
                    Ok(value) => value,
                    Err(rejection) => return rejection.into_response(start_response),
                };
                let response = self($($arg,)* $last).await.into_response(start_response);
                crate::cookies::finish(&environ, response)
            }
        }
    };
}

impl<F, Fut, R> Handler<()> for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send,
    R: IntoResponse,
{
    async fn call(&self, _environ: Environ, start_response: StartResponse) -> Response {
        self().await.into_response(start_response)
    }
}

impl_handler!(; T1);
impl_handler!(T1; T2);
impl_handler!(T1, T2; T3);
impl_handler!(T1, T2, T3; T4);
impl_handler!(T1, T2, T3, T4; T5);
impl_handler!(T1, T2, T3, T4, T5; T6);
impl_handler!(T1, T2, T3, T4, T5, T6; T7);
impl_handler!(T1, T2, T3, T4, T5, T6, T7; T8);

/// A handler as a gateway app (so a route is stored as one boxed app).
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
/// use microframe::HandlerApp;
///
/// async fn index() -> &'static str { "Index" }
/// let app = HandlerApp::new(index);
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "Index");
/// # });
/// ```
#[derive(Debug)]
pub struct HandlerApp<H, Args> {
    handler: H,
    _args: PhantomData<fn() -> Args>,
}

impl<H, Args> HandlerApp<H, Args> {
    /// Wraps `handler`.
    ///
    /// # Examples
    /// ```
    /// async fn index() -> &'static str { "Index" }
    /// let _app: microframe::HandlerApp<_, ()> = microframe::HandlerApp::new(index);
    /// ```
    pub fn new(handler: H) -> Self {
        Self { handler, _args: PhantomData }
    }
}

impl<H, Args> App for HandlerApp<H, Args>
where
    H: Handler<Args>,
    Args: 'static,
{
    fn call(&self, environ: Environ, start_response: StartResponse) -> impl Future<Output = Response> + Send {
        self.handler.call(environ, start_response)
    }
}
