//! Catching a panic in an app's future, for servers and middleware that must answer 500
//! instead of losing the connection (or the whole task).

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that resolves to `Err(message)` when the wrapped future panics.
///
/// The wrapped future is polled inside `catch_unwind`; after a panic it must not be polled
/// again (callers drop it). Unwind safety is asserted for that reason. The future must be
/// `Unpin` (box it with `Box::pin` if it is not), so wrapping a boxed future costs nothing.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::CatchPanic;
///
/// let fine = CatchPanic::new(Box::pin(async { 7 })).await;
/// assert_eq!(fine, Ok(7));
/// let failed = CatchPanic::new(Box::pin(async { panic!("boom") })).await;
/// assert_eq!(failed, Err::<(), _>("boom".to_owned()));
/// # });
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct CatchPanic<F> {
    future: F,
}

impl<F: Future + Unpin> CatchPanic<F> {
    /// Wraps `future`.
    ///
    /// # Examples
    /// ```
    /// let _caught = gateway_core::CatchPanic::new(Box::pin(async {}));
    /// ```
    pub fn new(future: F) -> Self {
        Self { future }
    }
}

impl<F: Future + Unpin> Future for CatchPanic<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = Pin::new(&mut self.future);
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(panic_message(&*payload))),
        }
    }
}

/// The text a panic was raised with, when it has one.
///
/// # Examples
/// ```
/// let payload = std::panic::catch_unwind(|| panic!("at {}", 3)).unwrap_err();
/// assert_eq!(gateway_core::panic_message(&*payload), "at 3");
/// ```
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}
