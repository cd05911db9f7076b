//! `Validate<A>`: `wsgiref.validate` for gateway apps (what it checks is in [`Validate`]'s
//! docs).

mod rules;

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

pub use rules::{Violation, check_environ, check_response, declared_length};

use crate::app::{App, Layer};
use crate::body::{Body, BodyError};
use crate::environ::Environ;
use crate::response::{Response, StartResponse};
use http::StatusCode;

/// Checks the contract around an app: `wsgiref.validate` for gateway apps.
///
/// Wraps any app and checks, on every request, the rules the types cannot enforce (see
/// [`Violation`]): the environ's form, the status range, hop-by-hop headers,
/// `Content-Length` against the bytes actually produced (HEAD included: the adapter, not
/// the app, drops HEAD bodies), no body on 204/304. A broken rule is recorded in the
/// [`Report`] and answered with 500 when the head is at fault, or ends the body stream with
/// an error when the body is; so a test can assert `report.is_empty()` after a run. The
/// rules the types enforce (start_response once, before the body; headers free of CR/LF)
/// have `compile_fail` proofs in [`crate::response`].
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, Response, StartResponse, Validate};
/// use http::{header::CONTENT_LENGTH, HeaderValue, StatusCode};
///
/// async fn liar(_environ: Environ, start_response: StartResponse) -> Response {
///     start_response.start(StatusCode::OK, [(CONTENT_LENGTH, HeaderValue::from(5_u64))]).body("1234567")
/// }
///
/// let app = Validate::new(liar);
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
/// assert_eq!(app.report().violations()[0].rule(), "content-length-matches-body");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Validate<A> {
    inner: A,
    report: Report,
}

/// The violations a [`Validate`] has seen, shared by its clones.
///
/// # Examples
/// ```
/// let report = gateway_core::Report::default();
/// assert!(report.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Report {
    violations: Arc<Mutex<Vec<Violation>>>,
}

impl Report {
    /// Every violation so far, in order.
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_core::Report::default().violations().is_empty());
    /// ```
    pub fn violations(&self) -> Vec<Violation> {
        self.violations.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Whether nothing was broken.
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_core::Report::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.violations.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }

    fn record(&self, violation: Violation) {
        self.violations.lock().unwrap_or_else(PoisonError::into_inner).push(violation);
    }
}

impl<A: App> Validate<A> {
    /// Wraps `app` with a fresh report.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let app = gateway_core::Validate::new(hello);
    /// assert!(app.report().is_empty());
    /// ```
    pub fn new(inner: A) -> Self {
        Self { inner, report: Report::default() }
    }

    /// The report, shared with every clone of this wrapper.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let report = gateway_core::Validate::new(hello).report();
    /// assert!(report.violations().is_empty());
    /// ```
    pub fn report(&self) -> Report {
        self.report.clone()
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = gateway_core::Validate::new(hello).get_ref();
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let _inner = gateway_core::Validate::new(hello).into_inner();
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

impl Validate<()> {
    /// A layer that wraps apps in `Validate`, for [`App::with`].
    ///
    /// # Examples
    /// ```
    /// use gateway_core::{App, Validate};
    /// # async fn hello(_e: gateway_core::Environ, s: gateway_core::StartResponse) -> gateway_core::Response { s.start(http::StatusCode::OK, ()).body("") }
    /// let app = hello.with(Validate::layer());
    /// assert!(app.report().is_empty());
    /// ```
    pub fn layer() -> ValidateLayer {
        ValidateLayer { _private: () }
    }
}

/// Wraps apps in [`Validate`].
///
/// # Examples
/// ```
/// let _layer: gateway_core::ValidateLayer = gateway_core::Validate::layer();
/// ```
#[derive(Debug, Clone)]
pub struct ValidateLayer {
    _private: (),
}

impl<A: App> Layer<A> for ValidateLayer {
    type App = Validate<A>;
    fn layer(&self, app: A) -> Validate<A> {
        Validate::new(app)
    }
}

impl<A: App> App for Validate<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        if let Err(violation) = check_environ(&environ) {
            self.report.record(violation);
        }
        let response = self.inner.call(environ, start_response).await;
        if let Err(violation) = check_response(&response) {
            self.report.record(violation);
            return StartResponse::new().reject(&StatusCode::INTERNAL_SERVER_ERROR);
        }
        if !response.body().is_stream() {
            return response; // check_response saw its whole length
        }
        let declared = declared_length(&response).ok().flatten();
        let status = response.status();
        let (head, body) = response.into_parts();
        let length = body.exact_length();
        let checked =
            CheckedBody { inner: body, status, declared, produced: 0, report: self.report.clone(), done: false };
        head.body(match length {
            Some(length) => Body::from_sized_stream(checked, length),
            None => Body::from_stream(checked),
        })
    }
}

/// A streaming body followed byte by byte against the head it was sent with.
struct CheckedBody {
    inner: Body,
    status: StatusCode,
    declared: Option<u64>,
    produced: u64,
    report: Report,
    done: bool,
}

impl CheckedBody {
    fn fail(&mut self, violation: Violation) -> Poll<Option<Result<Bytes, BodyError>>> {
        self.done = true;
        self.report.record(violation.clone());
        Poll::Ready(Some(Err(Box::new(violation))))
    }

    fn mismatch(&self) -> Violation {
        Violation::ContentLengthMismatch { declared: self.declared.unwrap_or_default(), produced: self.produced }
    }
}

impl Stream for CheckedBody {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match this.inner.poll_chunk(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                this.produced += chunk.len() as u64;
                if rules::forbids_body(this.status) {
                    return this.fail(Violation::BodyOnBodilessStatus(this.status));
                }
                if this.declared.is_some_and(|declared| this.produced > declared) {
                    return this.fail(this.mismatch());
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.done = true;
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                if this.declared.is_some_and(|declared| this.produced != declared) {
                    return this.fail(this.mismatch());
                }
                this.done = true;
                Poll::Ready(None)
            }
        }
    }
}
