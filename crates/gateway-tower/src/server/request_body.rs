//! The request body `serve` hands a service: hyper's `Incoming`, guarded against a client
//! that sends it too slowly (the rule is in [`RequestBody`]'s docs).
//!
//! The guard measures waits with the timers' coarse clock (a tenth of a second, no system
//! clock read), its timer is the connection's coarse one (no allocation), and a body that
//! never waits costs a counter and one `Arc` clone.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;

use super::state::ConnectionState;
use super::timer::CoarseSleep;

type BoxError = Box<dyn Error + Send + Sync>;

/// The limits a request body is held to, kept in the connection's state.
#[derive(Debug, Clone, Copy)]
pub(super) struct BodyLimits {
    /// Bytes a second, averaged over the time waited after the grace; `None`: no minimum.
    pub(super) min_rate: Option<u64>,
    pub(super) grace: Duration,
    /// The no-progress timeout, for services that do not apply one themselves.
    pub(super) no_progress: Option<Duration>,
}

pin_project_lite::pin_project! {
    /// The request body of [`serve`](crate::serve) and [`serve_service`](crate::serve_service):
    /// hyper's `Incoming`, cut with an error when the client sends it too slowly (the
    /// response is then 408 `Request Timeout`, see the [limits](crate::server#limits)).
    ///
    /// A body that trickles (R-U-Dead-Yet: `Content-Length: 1000`, then a byte every 2 s)
    /// would hold its connection for as long as the client liked, since any progress
    /// restarts a no-progress timeout. Here, as with Apache's `mod_reqtimeout` `MinRate`, the
    /// app may wait for body bytes for the grace period plus one second per `min_rate` bytes
    /// received: after the grace the body must keep up `min_rate` bytes a second on average
    /// ([`Serve::min_body_rate`](crate::Serve::min_body_rate),
    /// [`Serve::body_rate_grace`](crate::Serve::body_rate_grace)). Only the time the app
    /// spends *waiting* counts (from a poll that found no bytes to the bytes' arrival), so an
    /// app that reads slowly, or reads only after other work, is never the client's fault.
    /// For `serve_service` it also applies the no-progress timeout
    /// ([`Serve::body_read_timeout`](crate::Serve::body_read_timeout)), which
    /// [`GatewayService`](crate::GatewayService) applies itself for `serve`. Either way the
    /// body ends with an error, and the response, whatever the service made of that error,
    /// is 408 `Request Timeout` with `Connection: close`. A body that is empty from the
    /// start is not guarded at all.
    ///
    /// # Examples
    /// A service for `serve_service` takes it as its request body (or is generic over the
    /// body, as an axum `Router` is):
    /// ```
    /// use gateway_tower::server::RequestBody;
    /// use http_body_util::BodyExt;
    ///
    /// let echo = tower::service_fn(|request: http::Request<RequestBody>| async move {
    ///     let bytes = request.into_body().collect().await?.to_bytes();
    ///     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(http::Response::new(http_body_util::Full::new(bytes)))
    /// });
    /// let _server = gateway_tower::serve_service("127.0.0.1:0", echo);
    /// ```
    pub struct RequestBody {
        #[pin]
        inner: Incoming,
        guard: Option<Guard>,
    }
}

impl BodyLimits {
    fn any(&self) -> bool {
        self.min_rate.is_some() || self.no_progress.is_some()
    }
}

impl RequestBody {
    #[inline]
    pub(super) fn new(inner: Incoming, state: &Arc<ConnectionState>) -> Self {
        let guard = (state.body_limits().any() && !inner.is_end_stream()).then(|| Guard {
            state: Arc::clone(state),
            received: 0,
            waited: 0,
            since: NOT_WAITING,
            sleep: None,
        });
        Self { inner, guard }
    }
}

impl std::fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBody").field("inner", &self.inner).finish_non_exhaustive()
    }
}

impl HttpBody for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let mut this = self.project();
        let poll = this.inner.as_mut().poll_frame(cx);
        let Some(guard) = this.guard else { return poll.map_err(Into::into) };
        match poll {
            Poll::Ready(Some(Ok(frame))) => {
                guard.arrived(frame.data_ref().map_or(0, Bytes::len));
                if this.inner.is_end_stream() {
                    // The last bytes: nothing more to wait for, and the connection's timer
                    // slot is free again for the next request's head.
                    *this.guard = None;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(end) => {
                *this.guard = None;
                Poll::Ready(end.map(|result| result.map_err(Into::into)))
            }
            Poll::Pending => {
                let error = ready!(guard.poll_wait(cx));
                guard.state.cut_body();
                *this.guard = None;
                Poll::Ready(Some(Err(error.into())))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// `Guard::since` when no wait is under way.
const NOT_WAITING: u64 = u64::MAX;

/// The accounting of one guarded body, times in the coarse clock's milliseconds (kept in
/// place: a box made at the first wait cost more than the few bytes it saved).
struct Guard {
    state: Arc<ConnectionState>,
    received: u64,
    /// Time spent waiting for bytes, the current wait excluded.
    waited: u64,
    /// When the current wait began (the first poll that found no bytes), or `NOT_WAITING`.
    since: u64,
    sleep: Option<CoarseSleep>,
}

impl Guard {
    #[inline]
    fn arrived(&mut self, bytes: usize) {
        if self.since != NOT_WAITING {
            self.waited += self.state.timer().coarse_now().saturating_sub(self.since);
            self.since = NOT_WAITING;
        }
        self.received = self.received.saturating_add(bytes as u64);
    }

    /// A poll found no bytes: ready with the error once a limit is passed.
    #[cold]
    fn poll_wait(&mut self, cx: &mut Context<'_>) -> Poll<TooSlow> {
        let timer = self.state.timer();
        if self.since == NOT_WAITING {
            self.since = timer.coarse_now();
        }
        let since = self.since;
        let limits = self.state.body_limits();
        let by_rate = limits.min_rate.map(|rate| {
            let allowed = millis(limits.grace).saturating_add(self.received.saturating_mul(1000) / rate.max(1));
            (since.saturating_add(allowed.saturating_sub(self.waited)), TooSlow::Rate { rate, grace: limits.grace })
        });
        let by_progress =
            limits.no_progress.map(|timeout| (since.saturating_add(millis(timeout)), TooSlow::NoProgress(timeout)));
        let Some((deadline, error)) =
            [by_rate, by_progress].into_iter().flatten().min_by_key(|(deadline, _)| *deadline)
        else {
            return Poll::Pending;
        };
        let deadline = timer.instant_at(deadline);
        let sleep = match &mut self.sleep {
            Some(sleep) => {
                sleep.set_deadline(deadline);
                sleep
            }
            None => self.sleep.insert(timer.sleep_at(deadline)),
        };
        ready!(Pin::new(sleep).poll(cx));
        tracing::debug!(%error, "cutting the request body; answering 408");
        Poll::Ready(error)
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Why a request body was cut (the input reads it as `InputError::TimedOut`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum TooSlow {
    Rate { rate: u64, grace: Duration },
    NoProgress(Duration),
}

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Rate { rate, grace } => write!(f, "request body slower than {rate} bytes/s after a {grace:?} grace"),
            Self::NoProgress(timeout) => write!(f, "no request body bytes for {timeout:?}"),
        }
    }
}

impl Error for TooSlow {}
