//! `wsgi.input`: the request body as a file object (`read`, `readline`, `readlines`,
//! iteration), bounded by the framed body the server reads.
//!
//! A body is either whole (read before the call: short ones, and chunked ones, which need
//! their `CONTENT_LENGTH`; see the crate docs) or streamed: chunks come from the connection
//! as the app reads them, a few in flight, and a read that has to wait for the client waits
//! with the GIL released (through [`crate::pool::detach`], so another Python thread runs
//! the other calls meanwhile). `read(n)` returns `n` bytes, fewer only at the end, as a
//! file does. A body that fails (the client stalls past the server's body-read timeout,
//! the framing breaks, the body limit is passed) raises `OSError` in the read, and the
//! server answers with that failure's status (408, 400, 413), whatever the app made of it.
#![allow(unsafe_code)] // PyO3's `#[pyclass]` and `#[pymethods]` expand to unsafe FFI glue.

use bytes::Bytes;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use tokio::sync::mpsc;

/// The chunks of a streamed body; an error ends them, with its reason.
pub(crate) type Chunks = mpsc::Receiver<Result<Bytes, String>>;

/// The body and how far the app has read it.
#[pyclass(module = "microframe_wsgi")]
#[derive(Debug)]
pub(crate) struct Input {
    /// Bytes received and not read yet.
    pending: Bytes,
    /// More to come, for a streamed body; `None` once it ended, or for a whole one.
    chunks: Option<Chunks>,
}

impl Input {
    pub(crate) fn whole(body: Bytes) -> Self {
        Self { pending: body, chunks: None }
    }

    pub(crate) fn streamed(chunks: Chunks) -> Self {
        Self { pending: Bytes::new(), chunks: Some(chunks) }
    }

    /// Waits (the GIL released) for bytes when none are pending; `false` at the end.
    fn fill(&mut self, py: Python<'_>) -> PyResult<bool> {
        while self.pending.is_empty() {
            let Some(chunks) = self.chunks.as_mut() else {
                return Ok(false);
            };
            match crate::pool::detach(py, || chunks.blocking_recv()) {
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(reason)) => {
                    self.chunks = None;
                    return Err(PyOSError::new_err(format!("reading the request body: {reason}")));
                }
                None => self.chunks = None,
            }
        }
        Ok(true)
    }

    /// At most `size` more bytes (all that remain when `size` is negative or absent), fewer
    /// only at the end; up to and with the first `\n` when `line`.
    fn take(&mut self, py: Python<'_>, size: Option<isize>, line: bool) -> PyResult<Bytes> {
        let limit = size.filter(|&size| size >= 0).map(isize::unsigned_abs);
        let mut taken: Vec<u8> = Vec::new();
        while limit.is_none_or(|limit| taken.len() < limit) && self.fill(py)? {
            let want = limit.map_or(usize::MAX, |limit| limit - taken.len());
            let mut end = self.pending.len().min(want);
            let newline = if line { self.pending[..end].iter().position(|&byte| byte == b'\n') } else { None };
            if let Some(newline) = newline {
                end = newline + 1;
            }
            let piece = self.pending.split_to(end);
            if taken.is_empty() && (newline.is_some() || end == want) {
                // The common case: one chunk holds what was asked; no copy.
                return Ok(piece);
            }
            taken.extend_from_slice(&piece);
            if newline.is_some() {
                break;
            }
        }
        Ok(Bytes::from(taken))
    }
}

#[pymethods]
impl Input {
    #[pyo3(signature = (size = None))]
    fn read<'py>(&mut self, py: Python<'py>, size: Option<isize>) -> PyResult<Bound<'py, PyBytes>> {
        if size.is_some_and(|size| size < -1) {
            // As a buffered Python file says it.
            return Err(pyo3::exceptions::PyValueError::new_err("read length must be non-negative or -1"));
        }
        Ok(PyBytes::new(py, &self.take(py, size, false)?))
    }

    #[pyo3(signature = (size = None))]
    fn readline<'py>(&mut self, py: Python<'py>, size: Option<isize>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.take(py, size, true)?))
    }

    #[pyo3(signature = (hint = None))]
    fn readlines<'py>(&mut self, py: Python<'py>, hint: Option<isize>) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        let mut lines = Vec::new();
        let mut total = 0;
        loop {
            let line = self.take(py, None, true)?;
            if line.is_empty() {
                return Ok(lines);
            }
            total += line.len();
            lines.push(PyBytes::new(py, &line));
            if hint.is_some_and(|hint| hint > 0 && total > hint.unsigned_abs()) {
                return Ok(lines);
            }
        }
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let line = self.take(py, None, true)?;
        Ok((!line.is_empty()).then(|| PyBytes::new(py, &line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(chunks: &[&'static str], error: Option<&str>) -> Input {
        let (sender, receiver) = mpsc::channel(16);
        for chunk in chunks {
            sender.try_send(Ok(Bytes::from_static(chunk.as_bytes()))).unwrap();
        }
        if let Some(error) = error {
            sender.try_send(Err(error.to_owned())).unwrap();
        }
        Input::streamed(receiver)
    }

    #[test]
    fn reads_cross_chunks_and_lines_end_where_they_end() {
        Python::attach(|py| {
            let mut input = streamed(&["ab", "c\nde", "f\n", "g"], None);
            assert_eq!(input.take(py, Some(2), false).unwrap(), "ab");
            assert_eq!(input.take(py, None, true).unwrap(), "c\n");
            assert_eq!(input.take(py, Some(4), false).unwrap(), "def\n");
            assert_eq!(input.take(py, Some(0), false).unwrap(), "");
            assert_eq!(input.take(py, Some(10), false).unwrap(), "g", "fewer only at the end");
            assert_eq!(input.take(py, None, false).unwrap(), "");
            let mut whole = Input::whole(Bytes::from_static(b"x\ny"));
            assert_eq!(whole.take(py, None, true).unwrap(), "x\n");
            assert_eq!(whole.take(py, None, false).unwrap(), "y");
        });
    }

    #[test]
    fn read_refuses_a_negative_length_but_minus_one_as_a_file_does() {
        Python::attach(|py| {
            let mut input = Input::whole(Bytes::from_static(b"abc"));
            let error = input.read(py, Some(-5)).unwrap_err();
            assert!(error.is_instance_of::<pyo3::exceptions::PyValueError>(py), "{error}");
            assert_eq!(input.read(py, Some(-1)).unwrap().as_bytes(), b"abc");
        });
    }

    #[test]
    fn a_failed_body_raises_os_error_with_its_reason() {
        Python::attach(|py| {
            let mut input = streamed(&["ab"], Some("no request body bytes within the body-read timeout"));
            let error = input.take(py, None, false).unwrap_err();
            assert!(error.is_instance_of::<PyOSError>(py));
            assert!(error.to_string().contains("body-read timeout"), "{error}");
        });
    }
}
