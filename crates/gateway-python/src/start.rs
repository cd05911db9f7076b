//! `start_response` and its `write`, as Python objects.
#![allow(unsafe_code)] // PyO3's `#[pyclass]` and `#[pymethods]` expand to unsafe FFI glue.

use std::sync::{Arc, Mutex};

use http::{HeaderName, HeaderValue, StatusCode};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::output::{Head, Output};

/// The `start_response` callable given to the app.
#[pyclass(module = "microframe_wsgi")]
#[derive(Debug)]
pub(crate) struct StartResponse {
    pub(crate) output: Arc<Mutex<Output>>,
}

/// The `write` callable `start_response` returns.
#[pyclass(module = "microframe_wsgi")]
#[derive(Debug)]
pub(crate) struct Write {
    output: Arc<Mutex<Output>>,
}

#[pymethods]
impl StartResponse {
    #[pyo3(signature = (status, headers, exc_info = None))]
    fn __call__(
        &self,
        status: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        exc_info: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Write> {
        let exc_info = exc_info.filter(|info| !info.is_none());
        let mut output = self.output.lock().map_err(|_| PyRuntimeError::new_err("response state poisoned"))?;
        match exc_info {
            Some(info) if output.head_sent() => {
                // Too late to replace the headers: re-raise the app's exception.
                let tuple = info.cast::<PyTuple>().map_err(|_| PyTypeError::new_err("exc_info must be a tuple"))?;
                return Err(PyErr::from_value(tuple.get_item(1)?));
            }
            None if output.head.is_some() => {
                return Err(PyRuntimeError::new_err("start_response called a second time without exc_info"));
            }
            _ => {}
        }
        output.head = Some(Head { status: parse_status(status)?, headers: parse_headers(headers)? });
        Ok(Write { output: Arc::clone(&self.output) })
    }
}

#[pymethods]
impl Write {
    fn __call__(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let bytes = data.cast::<pyo3::types::PyBytes>().map_err(|_| PyTypeError::new_err("write() takes bytes"))?;
        let mut output = self.output.lock().map_err(|_| PyRuntimeError::new_err("response state poisoned"))?;
        match output.send_chunk(py, bytes.as_bytes())? {
            Ok(()) => Ok(()),
            Err(_) => Err(pyo3::exceptions::PyConnectionError::new_err("the client went away")),
        }
    }
}

/// `"200 OK"`: three digits, a space, a reason phrase (PEP 3333 requires it).
fn parse_status(status: &Bound<'_, PyAny>) -> PyResult<StatusCode> {
    let text = status
        .cast::<PyString>()
        .ok()
        .and_then(|text| text.to_str().ok())
        .ok_or_else(|| PyTypeError::new_err("the status must be a str such as '200 OK'"))?;
    let bad =
        || PyValueError::new_err(format!("the status {text:?} is not a code and a reason phrase, such as '200 OK'"));
    let (code, reason) = text.split_once(' ').ok_or_else(bad)?;
    if code.len() != 3 || !code.bytes().all(|byte| byte.is_ascii_digit()) || reason.trim().is_empty() {
        return Err(bad());
    }
    StatusCode::from_bytes(code.as_bytes()).map_err(|_| bad())
}

/// A list (or tuple) of `(name, value)` str pairs: names HTTP tokens, values Latin-1 with no
/// control character (CR/LF would split the response). The strings are read in place, not
/// copied.
fn parse_headers(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(HeaderName, HeaderValue)>> {
    match headers.cast::<PyList>() {
        Ok(list) => list.iter().map(|pair| parse_header(&pair)).collect(),
        Err(_) => headers.cast::<PyTuple>().map_err(|_| not_pairs())?.iter().map(|pair| parse_header(&pair)).collect(),
    }
}

fn not_pairs() -> PyErr {
    PyTypeError::new_err("the headers must be a list of (str, str) tuples")
}

fn parse_header(pair: &Bound<'_, PyAny>) -> PyResult<(HeaderName, HeaderValue)> {
    let pair = pair.cast::<PyTuple>().map_err(|_| not_pairs())?;
    if pair.len() != 2 {
        return Err(not_pairs());
    }
    let (name, value) = (pair.get_borrowed_item(0)?, pair.get_borrowed_item(1)?);
    let name = name.cast::<PyString>().map_err(|_| not_pairs())?;
    let value = value.cast::<PyString>().map_err(|_| not_pairs())?;
    let name = name.to_str().map_err(|_| not_pairs())?;
    let value = value.to_str().map_err(|_| not_pairs())?;
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| PyValueError::new_err(format!("{name:?} is not a header name")))?;
    let bytes = if value.is_ascii() {
        std::borrow::Cow::Borrowed(value.as_bytes())
    } else {
        let latin1: Option<Vec<u8>> = value.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        std::borrow::Cow::Owned(
            latin1.ok_or_else(|| PyValueError::new_err(format!("the value of {name} is not Latin-1: {value:?}")))?,
        )
    };
    let value = HeaderValue::from_bytes(&bytes)
        .map_err(|_| PyValueError::new_err(format!("the value of {name} holds a control character")))?;
    Ok((header, value))
}
