//! Where a WSGI response goes: the head once (held until the first non-empty body chunk, as
//! PEP 3333 says, so an error before it can still become a 500), then the body chunks, each
//! sent with the GIL released while the connection is busy (backpressure).

use bytes::Bytes;
use gateway_core::BodyError;
use http::{HeaderName, HeaderValue, StatusCode};
use pyo3::prelude::*;
use tokio::sync::mpsc;

use crate::handoff;

use pyo3::exceptions::PyRuntimeError;

/// Status and headers, checked.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

/// What goes to the async side: the head, and the body.
#[derive(Debug)]
pub(crate) struct Sent {
    pub(crate) head: Head,
    pub(crate) body: SentBody,
}

/// The body of a sent head.
#[derive(Debug)]
pub(crate) enum SentBody {
    /// The app returned a list or tuple: sent in one write, with its length.
    Whole(Bytes),
    /// Chunks as the app makes them (made only for such a body: a list costs no channel).
    Chunks(mpsc::Receiver<Result<Bytes, BodyError>>),
}

/// How many body chunks wait between the Python thread and the connection: past that, the
/// Python thread waits (with the GIL released) for the client to read.
const CHUNKS_IN_FLIGHT: usize = 8;

/// The response of one call, as the Python thread produces it.
#[derive(Debug)]
pub(crate) struct Output {
    /// Set by `start_response`; replaced by a call with `exc_info` until it is sent.
    pub(crate) head: Option<Head>,
    head_tx: Option<handoff::Sender<Sent>>,
    /// Made with the head of a chunked body; `None` before, and once the response is
    /// finished.
    body_tx: Option<mpsc::Sender<Result<Bytes, BodyError>>>,
    head_sent: bool,
    /// A HEAD request: its body may be shorter than its `Content-Length` (none at all).
    is_head: bool,
    /// The `Content-Length` of a chunked body's head, and the bytes sent of it so far.
    declared: Option<u64>,
    sent: u64,
}

/// The client went away (or the server gave the response up): stop producing it.
#[derive(Debug)]
pub(crate) struct Gone;

impl Output {
    pub(crate) fn new(head_tx: handoff::Sender<Sent>, is_head: bool) -> Self {
        Self { head: None, head_tx: Some(head_tx), body_tx: None, head_sent: false, is_head, declared: None, sent: 0 }
    }

    /// Whether the head has gone out (after it, `exc_info` re-raises).
    pub(crate) fn head_sent(&self) -> bool {
        self.head_sent
    }

    /// Ends the response: the async side sees the body end, or, with no head sent, answers
    /// 500.
    pub(crate) fn finish(&mut self) {
        self.head_tx = None;
        self.body_tx = None;
    }

    /// Sends the head if it has not gone yet; a Python `RuntimeError` when there is none
    /// (no `start_response` before the body).
    pub(crate) fn send_head(&mut self) -> PyResult<()> {
        self.send_head_with(None)
    }

    /// Sends the head with the whole body (a list or tuple the app returned).
    pub(crate) fn send_whole(&mut self, body: Bytes) -> PyResult<()> {
        self.send_head_with(Some(body))
    }

    fn send_head_with(&mut self, whole: Option<Bytes>) -> PyResult<()> {
        if let Some(head_tx) = self.head_tx.take() {
            let Some(head) = self.head.clone() else {
                self.head_tx = Some(head_tx);
                return Err(PyRuntimeError::new_err("the app sent a body before calling start_response"));
            };
            let chunked = whole.is_none();
            let body = match whole {
                Some(whole) => SentBody::Whole(whole),
                None => {
                    let (body_tx, body_rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
                    self.body_tx = Some(body_tx);
                    self.declared = declared_length(&head.headers);
                    SentBody::Chunks(body_rx)
                }
            };
            head_tx.send(Sent { head, body });
            self.head_sent = true;
            if chunked {
                // A streamed response's head goes out now, not with the pool's next batch.
                crate::pool::flush_filed();
            }
        }
        Ok(())
    }

    /// Sends one body chunk (the head first), waiting with the GIL released while the
    /// connection is busy. Empty chunks are skipped: they do not send the head either. More
    /// bytes than the declared `Content-Length` are a `RuntimeError` (the connection is then
    /// cut).
    pub(crate) fn send_chunk(&mut self, py: Python<'_>, chunk: &[u8]) -> PyResult<Result<(), Gone>> {
        if chunk.is_empty() {
            return Ok(Ok(()));
        }
        self.send_head()?;
        let Some(body_tx) = self.body_tx.clone() else {
            return Ok(Err(Gone));
        };
        self.sent += chunk.len() as u64;
        if let Some(declared) = self.declared.filter(|&declared| self.sent > declared) {
            return Err(PyRuntimeError::new_err(format!(
                "the app sent more bytes than its Content-Length of {declared}"
            )));
        }
        let bytes = Bytes::copy_from_slice(chunk);
        // Waits (and hands the pool over) only when the connection is behind.
        match body_tx.try_send(Ok(bytes)) {
            Ok(()) => Ok(Ok(())),
            Err(mpsc::error::TrySendError::Full(bytes)) => {
                Ok(crate::pool::detach(py, move || body_tx.blocking_send(bytes)).map_err(|_| Gone))
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Ok(Err(Gone)),
        }
    }

    /// The end of the iterable: sends the head if nothing did; a body shorter than its
    /// declared `Content-Length` is a `RuntimeError` (logged, the connection cut), so the
    /// client neither waits for the rest nor takes the response for complete.
    pub(crate) fn end(&mut self) -> PyResult<()> {
        self.send_head()?;
        match self.declared {
            Some(declared) if self.sent < declared && !self.is_head => Err(PyRuntimeError::new_err(format!(
                "the app declared Content-Length: {declared} and sent {} bytes",
                self.sent
            ))),
            _ => Ok(()),
        }
    }

    /// Ends the body with an error: the connection is closed, so the response never looks
    /// complete.
    pub(crate) fn fail(&self, py: Python<'_>, reason: String) {
        if let Some(body_tx) = self.body_tx.clone() {
            let _ = crate::pool::detach(py, move || body_tx.blocking_send(Err(reason.into())));
        }
    }
}

/// The `Content-Length` a head declares, when it is a number.
pub(crate) fn declared_length(headers: &[(HeaderName, HeaderValue)]) -> Option<u64> {
    let (_, value) = headers.iter().find(|(name, _)| name == http::header::CONTENT_LENGTH)?;
    value.to_str().ok()?.trim().parse().ok()
}
