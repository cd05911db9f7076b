//! The request body as `gateway.input`: framing from hyper, the body-read timeout, and the
//! mapping of body errors to the status contract.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use gateway_core::{Input, InputError};
use http::StatusCode;
use http_body::Body as HttpBody;
use http_body_util::{BodyDataStream, BodyExt};
use tokio::time::{Instant, Sleep};

/// What went wrong with a request body, seen by the service after the app returns, so a
/// broken or stalled body always ends in its status and a closed connection.
#[derive(Debug, Default, Clone)]
pub(crate) struct InputFailure(Arc<AtomicU8>);

const TIMED_OUT: u8 = 1;
const FRAMING: u8 = 2;
/// A bit of its own: the body was read to its end.
const FINISHED: u8 = 4;

impl InputFailure {
    fn record(&self, error: &InputError) {
        let code = match error {
            InputError::TimedOut => TIMED_OUT,
            InputError::Framing(_) => FRAMING,
            _ => return,
        };
        self.0.fetch_or(code, Ordering::Relaxed);
    }

    fn record_end(&self) {
        self.0.fetch_or(FINISHED, Ordering::Relaxed);
    }

    /// The status the response must have, if the body failed in a way that breaks the
    /// connection.
    pub(crate) fn status(&self) -> Option<StatusCode> {
        let code = self.0.load(Ordering::Relaxed);
        if code & TIMED_OUT != 0 {
            Some(StatusCode::REQUEST_TIMEOUT)
        } else if code & FRAMING != 0 {
            Some(StatusCode::BAD_REQUEST)
        } else {
            None
        }
    }

    /// Whether the app read the body to its end (else the connection cannot be reused).
    pub(crate) fn finished(&self) -> bool {
        self.0.load(Ordering::Relaxed) & FINISHED != 0
    }
}

/// Builds the input of a request body; an empty body costs no allocation.
pub(crate) fn input_from_body<B>(
    body: B,
    declared: Option<u64>,
    timeout: Option<Duration>,
) -> (Input, Option<InputFailure>)
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    // A body that is over before it starts costs no allocation, unless it declares a
    // length (in process, a test may declare one its body does not have: keep it, so a
    // limit refuses it as it would on a socket).
    if body.is_end_stream() && declared.is_none_or(|length| length == 0) {
        return (Input::empty(), None);
    }
    let failure = InputFailure::default();
    let stream = BodyStream { body: body.into_data_stream(), timeout, sleep: None, failure: failure.clone() };
    (Input::from_stream(Box::pin(stream), declared), Some(failure))
}

pin_project_lite::pin_project! {
    struct BodyStream<B> {
        #[pin]
        body: BodyDataStream<B>,
        timeout: Option<Duration>,
        sleep: Option<Pin<Box<Sleep>>>,
        failure: InputFailure,
    }
}

impl<B> Stream for BodyStream<B>
where
    B: HttpBody<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    type Item = Result<Bytes, InputError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        match this.body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(data))) => {
                if let (Some(sleep), Some(timeout)) = (this.sleep.as_mut(), *this.timeout) {
                    sleep.as_mut().reset(Instant::now() + timeout);
                }
                return Poll::Ready(Some(Ok(data)));
            }
            Poll::Ready(Some(Err(error))) => {
                let error = classify(error.into());
                this.failure.record(&error);
                return Poll::Ready(Some(Err(error)));
            }
            Poll::Ready(None) => {
                this.failure.record_end();
                return Poll::Ready(None);
            }
            Poll::Pending => {}
        }
        let Some(timeout) = *this.timeout else { return Poll::Pending };
        let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        ready!(sleep.as_mut().poll(cx));
        let error = InputError::TimedOut;
        this.failure.record(&error);
        Poll::Ready(Some(Err(error)))
    }
}

/// A body error as the status contract sees it: tower-http's length limit is a 413, any
/// other error broken framing (400).
fn classify(error: Box<dyn Error + Send + Sync>) -> InputError {
    let mut cause: Option<&(dyn Error + 'static)> = Some(&*error);
    while let Some(current) = cause {
        if current.is::<http_body_util::LengthLimitError>() {
            return InputError::TooLarge;
        }
        // `serve` cut a body that came too slowly: the app reads a timeout, as it would
        // from its own body-read timer.
        if current.is::<crate::server::TooSlow>() {
            return InputError::TimedOut;
        }
        cause = current.source();
    }
    InputError::Framing(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_serve_cut_for_slowness_reads_as_a_timeout() {
        let cut = crate::server::TooSlow::NoProgress(std::time::Duration::from_secs(30));
        assert!(matches!(classify(Box::new(cut)), InputError::TimedOut));
        assert!(matches!(classify("broken chunk".into()), InputError::Framing(_)));
    }
}
