//! `PythonApp`: a WSGI callable as a gateway app.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use gateway_core::{App, Body, BodyError, Environ, Response, StartResponse};
use http::StatusCode;
use pyo3::prelude::*;
use tokio::sync::mpsc;

use crate::environ::{Request, Template};
use crate::handoff;
use crate::load::{LoadError, error_line, load};
use crate::output::{Gone, Output, Sent, SentBody, declared_length};
use crate::pool::{PythonThreads, Submitted};
use crate::request_body::{self, Pump};
use crate::start;

/// How many times, at most, a call that is to wake a Python thread yields to its runtime
/// first, while other requests keep joining the queue: each yield lets the runtime read
/// the requests that came meanwhile, and a bigger batch costs fewer thread switches (half as
/// many, for a few more polls: BENCHMARKS.md).
const GATHER_YIELDS: usize = 4;

/// A Python WSGI callable as a gateway [`App`].
///
/// # Examples
/// ```
/// let app = gateway_python::PythonApp::load("no_such_module_here:app", 1).unwrap_err();
/// assert!(app.to_string().starts_with("no module named"));
/// ```
#[derive(Debug, Clone)]
pub struct PythonApp {
    loaded: Arc<Loaded>,
    threads: PythonThreads,
}

impl PythonApp {
    /// Loads `spec` (`module:callable`, `module:factory()`) with the working directory on
    /// `sys.path`, as gunicorn does, and starts `threads` Python threads to call it on.
    ///
    /// # Errors
    /// The module or the callable cannot be found or imported (one line, no traceback), or
    /// the threads cannot be started.
    ///
    /// # Examples
    /// See [`PythonApp`].
    pub fn load(spec: &str, threads: usize) -> Result<Self, LoadError> {
        let cwd = std::env::current_dir().map_err(|error| LoadError(format!("no working directory: {error}")))?;
        Self::load_from(&cwd, spec, threads)
    }

    /// As [`load`](Self::load), with `dir` on `sys.path` instead of the working directory
    /// (gunicorn's `--chdir`, without changing the process's directory).
    ///
    /// # Errors
    /// As [`load`](Self::load).
    ///
    /// # Examples
    /// ```
    /// let error = gateway_python::PythonApp::load_from(std::path::Path::new("/nonexistent"), "app:app", 1).unwrap_err();
    /// assert!(error.to_string().starts_with("no module named \"app\""), "{error}");
    /// ```
    pub fn load_from(dir: &std::path::Path, spec: &str, threads: usize) -> Result<Self, LoadError> {
        let (callable, template) = Python::attach(|py| {
            let callable = load(py, dir, spec)?;
            let template = Template::new(py)
                .map_err(|error| LoadError(format!("making the environ: {}", error_line(py, &error))))?;
            Ok::<_, LoadError>((callable, template))
        })?;
        let threads = PythonThreads::start(threads)
            .map_err(|error| LoadError(format!("starting the Python threads: {error}")))?;
        Ok(Self { loaded: Arc::new(Loaded { callable, template }), threads })
    }
}

/// The app and what its calls start from.
#[derive(Debug)]
struct Loaded {
    callable: Py<PyAny>,
    template: Template,
}

impl App for PythonApp {
    async fn call(&self, mut environ: Environ, start_response: StartResponse) -> Response {
        let (body, pump) = match request_body::take(&mut environ).await {
            Ok(taken) => taken,
            Err(error) => return start_response.reject(&error),
        };
        let is_head = environ.method() == http::Method::HEAD;
        let request = Request::new(&environ, body);
        // Let the connection reuse its read buffer, which the head's headers point into.
        drop(environ);
        let (head_tx, head_rx) = handoff::channel::<Sent>();
        let loaded = Arc::clone(&self.loaded);
        let job = Box::new(move |py: Python<'_>| call(py, &loaded, request, Output::new(head_tx, is_head)));
        match self.threads.submit(job) {
            Submitted::Queued => {}
            Submitted::WakeAfterYield(wake) => {
                // Let the runtime queue every request it has ready before a Python thread
                // takes the core (see the pool's docs): yield while the queue grows.
                let mut queued = wake.queued();
                for _ in 0..GATHER_YIELDS {
                    tokio::task::yield_now().await;
                    let now = wake.queued();
                    if now == queued {
                        break;
                    }
                    queued = now;
                }
                drop(wake);
            }
            Submitted::Closed => return start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR),
        }
        let Some(Sent { head, body }) = head_rx.await else {
            // The call failed before its head went out: its cause is on stderr (and the
            // pump, if any, stops here).
            return start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR);
        };
        let declared = declared_length(&head.headers);
        let head = start_response.start(head.status, head.headers);
        match (body, declared) {
            // Flask and Bottle answer HEAD with no body and the GET's Content-Length: a
            // body of that length with no bytes, which the server does not send on HEAD.
            (SentBody::Whole(body), Some(length)) if is_head && body.is_empty() => {
                head.body(Body::without_bytes(length))
            }
            (SentBody::Whole(body), _) => head.body(body),
            // A generator may still read the request body: its pump lasts as the response.
            (SentBody::Chunks(chunks), _) => {
                head.body(Body::from_stream(ChunkStream { chunks, held: None, _pump: pump }))
            }
        }
    }
}

/// The receiving end of the body chunks, as a stream. An error (the app raised, or sent
/// fewer bytes than it declared) is held back for one poll: hyper sends what it holds when
/// the body is pending, so the chunks made before the error reach the client before the
/// connection is cut, every time, not only when hyper happened to flush first.
struct ChunkStream {
    chunks: mpsc::Receiver<Result<Bytes, BodyError>>,
    held: Option<BodyError>,
    /// Held for its drop: the request body streams while the response does.
    _pump: Option<Pump>,
}

impl futures_core::Stream for ChunkStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if let Some(error) = self.held.take() {
            return std::task::Poll::Ready(Some(Err(error)));
        }
        match self.chunks.poll_recv(cx) {
            std::task::Poll::Ready(Some(Err(error))) => {
                self.held = Some(error);
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
            other => other,
        }
    }
}

/// One WSGI call, on a Python thread: the app, then its iterable to the end, then its
/// `close()`, always. An exception before the head went out is logged with its traceback
/// on stderr, and the async side answers 500; after it, the body ends with an error, so the
/// connection is closed and the response never looks complete.
fn call(py: Python<'_>, Loaded { callable, template }: &Loaded, request: Request, output: Output) {
    let output = Arc::new(Mutex::new(output));
    let called = request.into_dict(py, template).and_then(|environ| {
        let start_response = start::StartResponse { output: Arc::clone(&output) };
        callable.bind(py).call1((environ, start_response))
    });
    match called {
        Ok(iterable) => {
            let sent = send_all(py, &iterable, &output);
            close(py, &iterable);
            match sent.and_then(|sent| sent.map_or(Ok(()), |()| with(&output, Output::end))) {
                Ok(()) => {}
                Err(error) => report(py, &error, &output),
            }
        }
        Err(error) => report(py, &error, &output),
    }
    // The Python objects (`start_response`, `write`) may outlive the call: end the response
    // here, whatever they hold.
    if let Ok(mut output) = output.lock() {
        output.finish();
    }
}

/// Every chunk of the iterable; `Ok(Err(Gone))` when the client went away first. A list or
/// tuple is sent whole, in one write with its length, once `write` has sent nothing.
fn send_all(py: Python<'_>, iterable: &Bound<'_, PyAny>, output: &Mutex<Output>) -> PyResult<Result<(), Gone>> {
    let sequence =
        iterable.is_instance_of::<pyo3::types::PyList>() || iterable.is_instance_of::<pyo3::types::PyTuple>();
    if sequence && !output.lock().map_err(|_| poisoned())?.head_sent() {
        let mut whole = Vec::new();
        for item in iterable.try_iter()? {
            whole.extend_from_slice(bytes_of(&item?)?.as_bytes());
        }
        output.lock().map_err(|_| poisoned())?.send_whole(Bytes::from(whole))?;
        return Ok(Ok(()));
    }
    for item in iterable.try_iter()? {
        let item = item?;
        let chunk = bytes_of(&item)?;
        let sent = output.lock().map_err(|_| poisoned())?.send_chunk(py, chunk.as_bytes())?;
        if let Err(gone) = sent {
            return Ok(Err(gone));
        }
    }
    Ok(Ok(()))
}

/// A chunk of the body: `bytes`, nothing else (a `str` is a `TypeError`, as PEP 3333 says).
fn bytes_of<'a, 'py>(item: &'a Bound<'py, PyAny>) -> PyResult<&'a Bound<'py, pyo3::types::PyBytes>> {
    item.cast::<pyo3::types::PyBytes>().map_err(|_| {
        let kind = item.get_type().name().map_or_else(|_| "?".to_owned(), |name| name.to_string());
        pyo3::exceptions::PyTypeError::new_err(format!("the app's iterable yielded {kind}, not bytes"))
    })
}

/// The iterable's `close()`, when it has one; what it raises is logged.
fn close(py: Python<'_>, iterable: &Bound<'_, PyAny>) {
    // A list or tuple has none (and a failed lookup costs an exception).
    if iterable.is_exact_instance_of::<pyo3::types::PyList>() || iterable.is_exact_instance_of::<pyo3::types::PyTuple>()
    {
        return;
    }
    let closed = match iterable.getattr_opt(pyo3::intern!(py, "close")) {
        Ok(Some(close)) => close.call0().map(drop),
        Ok(None) => Ok(()),
        Err(error) => Err(error),
    };
    if let Err(error) = closed {
        eprintln!("microframe-wsgi: the app's close() raised:");
        error.display(py);
    }
}

/// Logs `error` with its traceback on stderr, and ends the response: a 500 when its head
/// has not gone out, a cut connection when it has.
fn report(py: Python<'_>, error: &PyErr, output: &Mutex<Output>) {
    eprintln!("microframe-wsgi: the app raised {}", error_line(py, error));
    error.display(py);
    if let Ok(mut output) = output.lock() {
        if output.head_sent() {
            output.fail(py, error_line(py, error));
        }
        output.finish();
    }
}

fn with(output: &Mutex<Output>, f: impl FnOnce(&mut Output) -> PyResult<()>) -> PyResult<()> {
    f(&mut *output.lock().map_err(|_| poisoned())?)
}

fn poisoned() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("response state poisoned")
}
