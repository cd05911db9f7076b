//! `Timing<A>`: adds `X-Elapsed` with the time the wrapped app took.

use std::time::{Duration, Instant};

use gateway_core::{App, Environ, Layer, Response, StartResponse};
use http::{HeaderName, HeaderValue};

/// The header Timing adds.
///
/// # Examples
/// ```
/// assert_eq!(example_middleware::X_ELAPSED, "x-elapsed");
/// ```
pub const X_ELAPSED: HeaderName = HeaderName::from_static("x-elapsed");

/// Measures the wrapped app, from the call until its response is ready, and adds
/// [`X_ELAPSED`] to the response. A streaming body is sent after that, so its time is not
/// included; a wrapped middleware that buffers the body (like [`SwapCase`](crate::SwapCase))
/// is measured whole.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use example_middleware::Timing;
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let app = Timing::new(example_middleware::hello);
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = app.call(environ, StartResponse::new()).await;
/// assert!(response.headers().contains_key("x-elapsed"));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Timing<A> {
    inner: A,
}

impl<A> Timing<A> {
    /// Wraps `inner`.
    ///
    /// # Examples
    /// ```
    /// let _app = example_middleware::Timing::new(example_middleware::hello);
    /// ```
    pub fn new(inner: A) -> Self {
        Self { inner }
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// let app = example_middleware::Timing::new(7);
    /// assert_eq!(*app.get_ref(), 7);
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// The wrapped app, to change.
    ///
    /// # Examples
    /// ```
    /// let mut app = example_middleware::Timing::new(7);
    /// *app.get_mut() += 1;
    /// assert_eq!(app.into_inner(), 8);
    /// ```
    pub fn get_mut(&mut self) -> &mut A {
        &mut self.inner
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(example_middleware::Timing::new(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

// ANCHOR: call
impl<A: App> App for Timing<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        let start = Instant::now();
        let mut response = self.inner.call(environ, start_response).await;
        if let Ok(value) = HeaderValue::try_from(format_elapsed(start.elapsed())) {
            response.headers_mut().insert(X_ELAPSED, value);
        }
        response
    }
}
// ANCHOR_END: call

/// Milliseconds with three decimals and `ms`: the form of [`X_ELAPSED`].
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// assert_eq!(example_middleware::format_elapsed(Duration::from_micros(42)), "0.042ms");
/// assert_eq!(example_middleware::format_elapsed(Duration::from_millis(1500)), "1500.000ms");
/// ```
pub fn format_elapsed(elapsed: Duration) -> String {
    format!("{:.3}ms", elapsed.as_secs_f64() * 1000.0)
}

/// Wraps apps in [`Timing`], for [`App::with`].
///
/// # Examples
/// ```
/// use example_middleware::{Timing, TimingLayer};
/// use gateway_core::App;
///
/// let _app: Timing<_> = example_middleware::hello.with(TimingLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TimingLayer {
    _private: (),
}

impl TimingLayer {
    /// The layer.
    ///
    /// # Examples
    /// ```
    /// let _layer = example_middleware::TimingLayer::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

// ANCHOR: layer
impl<A: App> Layer<A> for TimingLayer {
    type App = Timing<A>;

    fn layer(&self, app: A) -> Timing<A> {
        Timing::new(app)
    }
}
// ANCHOR_END: layer
