//! Tutorial step 5: middleware stacks.
//!
//! A middleware is an app that wraps another app: it gets the request first, calls the
//! app it wraps, and gets the response back last. Two of them wrap [`hello`] here:
//! - [`SwapCase`] collects the body, swaps its case (`Hello World` → `hELLO wORLD`) and
//!   answers with the new body, dropping a `Content-Length` the inner app declared (the
//!   server counts the new body's bytes again);
//! - [`Timing`] measures how long the app it wraps takes and adds `X-Elapsed: 0.042ms`.
//!
//! `Timing(SwapCase(hello))` is an onion: the outermost layer runs first on the way in
//! and last on the way out, so Timing's clock covers SwapCase's work too.
//!
//! ```text
//!              ┌─ Timing ──────────────────────────────────┐
//!              │           ┌─ SwapCase ──────────────────┐ │
//! request ─────┼─► 1 ──────┼─► 2 ─────────► hello ───┐   │ │
//!              │           │                   3     │   │ │
//! response ◄───┼── 5 ◄─────┼── 4 ◄───────────────────┘   │ │
//!              │           └─────────────────────────────┘ │
//!              └───────────────────────────────────────────┘
//! ```
//!
//! 1. Timing starts the clock and calls SwapCase.
//! 2. SwapCase calls hello.
//! 3. hello answers `Hello World`.
//! 4. SwapCase collects that body and answers `hELLO wORLD` in its place.
//! 5. Timing stops the clock and adds `X-Elapsed`.
//!
//! The same stack with layers: `hello.with(SwapCaseLayer::new()).with(TimingLayer::new())`;
//! each `with` wraps everything before it, so the last one is the outermost. The test
//! `timing_is_outermost_so_its_clock_covers_swap_case` proves the order: with an inner body
//! that takes 30 ms to produce, `X-Elapsed` is at least 30 ms, because SwapCase collects
//! that body inside Timing's clock.
//!
//! Run with `cargo run -p example-middleware`, then try
//! `curl -i http://127.0.0.1:8051/`.

mod swap_case;
mod timing;

pub use swap_case::{SwapCase, SwapCaseLayer, swap_case};
pub use timing::{Timing, TimingLayer, X_ELAPSED, format_elapsed};

use gateway_core::{App, Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::StatusCode;
use http::header::CONTENT_TYPE;

/// The app in the middle: `Hello World` as plain text, for any path.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = example_middleware::hello.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "Hello World");
/// # });
/// ```
// ANCHOR: hello
pub async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)]).body("Hello World")
}
// ANCHOR_END: hello

/// The served stack: `Timing(SwapCase(hello))`.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = example_middleware::app().call(environ, StartResponse::new()).await;
/// assert!(response.headers()["x-elapsed"].to_str().unwrap().ends_with("ms"));
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "hELLO wORLD");
/// # });
/// ```
// ANCHOR: stack
pub fn app() -> impl App {
    Timing::new(SwapCase::new(hello))
}
// ANCHOR_END: stack
