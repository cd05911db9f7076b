//! `wsgi.input`: the request body as a file object (`read`, `readline`, `readlines`,
//! iteration), bounded by the framed body the server read.
#![allow(unsafe_code)] // PyO3's `#[pyclass]` and `#[pymethods]` expand to unsafe FFI glue.

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The body and how far the app has read it.
#[pyclass(module = "microframe_wsgi")]
#[derive(Debug)]
pub(crate) struct Input {
    body: Bytes,
    position: usize,
}

impl Input {
    pub(crate) fn new(body: Bytes) -> Self {
        Self { body, position: 0 }
    }

    /// At most `size` more bytes (all that remain when `size` is negative), up to and with
    /// the first `\n` when `line`.
    fn take(&mut self, size: Option<isize>, line: bool) -> &[u8] {
        let rest = &self.body[self.position..];
        let mut end = match size {
            Some(size) if size >= 0 => rest.len().min(size.unsigned_abs()),
            _ => rest.len(),
        };
        if line && let Some(newline) = rest[..end].iter().position(|&byte| byte == b'\n') {
            end = newline + 1;
        }
        self.position += end;
        &rest[..end]
    }
}

#[pymethods]
impl Input {
    #[pyo3(signature = (size = None))]
    fn read<'py>(&mut self, py: Python<'py>, size: Option<isize>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.take(size, false))
    }

    #[pyo3(signature = (size = None))]
    fn readline<'py>(&mut self, py: Python<'py>, size: Option<isize>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.take(size, true))
    }

    #[pyo3(signature = (hint = None))]
    fn readlines<'py>(&mut self, py: Python<'py>, hint: Option<isize>) -> Vec<Bound<'py, PyBytes>> {
        let mut lines = Vec::new();
        let mut total = 0;
        loop {
            let line = self.take(None, true);
            if line.is_empty() {
                return lines;
            }
            total += line.len();
            lines.push(PyBytes::new(py, line));
            if hint.is_some_and(|hint| hint > 0 && total >= hint.unsigned_abs()) {
                return lines;
            }
        }
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        let line = self.take(None, true);
        (!line.is_empty()).then(|| PyBytes::new(py, line))
    }
}
