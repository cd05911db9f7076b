//! The WSGI environ: a real `dict` of native strings, built from the gateway environ.
//!
//! - every CGI key the gateway environ has (its `gateway.*` keys become `wsgi.*` ones), the
//!   OS environment never copied in (granian#878: a pod's `HTTP_HOST` variable broke every
//!   request);
//! - `PATH_INFO` and `SCRIPT_NAME` are the Latin-1 decoding of the percent-decoded raw
//!   bytes, PEP 3333's rule (`/caf%C3%A9` is `"/caf\u00c3\u00a9"`, which Flask and Bottle
//!   turn back into `café`), not the gateway environ's lossy UTF-8 view;
//! - `wsgi.version` `(1, 0)`, `wsgi.url_scheme`, `wsgi.input`, `wsgi.errors` (`sys.stderr`),
//!   `wsgi.multithread` true, `wsgi.multiprocess` false, `wsgi.run_once`,
//!   `wsgi.input_terminated` true (the body is framed by the server), and
//!   `wsgi.file_wrapper` (`wsgiref.util.FileWrapper`);
//! - a chunked request body, read whole and decoded before the call, reaches the app with
//!   its `CONTENT_LENGTH` and without `HTTP_TRANSFER_ENCODING`, so the tutorial's program
//!   (which reads `CONTENT_LENGTH` bytes) and Bottle (which would decode the chunks again)
//!   both read it.

use bytes::Bytes;
use gateway_core::Environ;
use percent_encoding::percent_decode_str;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::input::Input;

/// What the Python thread needs of the request: the CGI pairs, copied out of the gateway
/// environ on the async side (it is not `Send` into Python), and the body.
#[derive(Debug)]
pub(crate) struct Request {
    pairs: Vec<(String, String)>,
    url_scheme: &'static str,
    run_once: bool,
    body: Bytes,
}

impl Request {
    pub(crate) fn new(environ: &Environ, body: Bytes) -> Self {
        let mut pairs = Vec::new();
        for (key, value) in environ.iter() {
            if key.starts_with("gateway.") {
                continue;
            }
            let value = match &*key {
                "PATH_INFO" => latin1(environ.raw_path_info()),
                "SCRIPT_NAME" => latin1(environ.raw_script_name()),
                _ => value.into_owned(),
            };
            pairs.push((key.into_owned(), value));
        }
        // The body was read whole, decoded from chunks if it came chunked: the app gets its
        // length, and no `Transfer-Encoding` to decode it by a second time (Bottle would).
        pairs.retain(|(key, _)| key != "HTTP_TRANSFER_ENCODING");
        if !body.is_empty() && !pairs.iter().any(|(key, _)| key == "CONTENT_LENGTH") {
            pairs.push(("CONTENT_LENGTH".to_owned(), body.len().to_string()));
        }
        Self { pairs, url_scheme: environ.url_scheme(), run_once: environ.run_once(), body }
    }

    /// The environ dict: a copy of `template` (the keys every request has the same), then
    /// this request's keys.
    pub(crate) fn into_dict<'py>(self, py: Python<'py>, template: &Py<PyDict>) -> PyResult<Bound<'py, PyDict>> {
        let dict = template.bind(py).copy()?;
        for (key, value) in &self.pairs {
            dict.set_item(key, value)?;
        }
        dict.set_item(pyo3::intern!(py, "wsgi.url_scheme"), self.url_scheme)?;
        dict.set_item(pyo3::intern!(py, "wsgi.input"), Input::new(self.body))?;
        dict.set_item(pyo3::intern!(py, "wsgi.run_once"), self.run_once)?;
        Ok(dict)
    }
}

/// The keys every request's environ has the same, made once per app (a `dict` copy per
/// request is cheaper than setting them, and than the two imports behind them).
pub(crate) fn template(py: Python<'_>) -> PyResult<Py<PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("wsgi.version", (1, 0))?;
    dict.set_item("wsgi.errors", py.import("sys")?.getattr("stderr")?)?;
    dict.set_item("wsgi.multithread", true)?;
    dict.set_item("wsgi.multiprocess", false)?;
    dict.set_item("wsgi.input_terminated", true)?;
    dict.set_item("wsgi.file_wrapper", py.import("wsgiref.util")?.getattr("FileWrapper")?)?;
    Ok(dict.unbind())
}

/// The raw (percent-encoded) path, decoded to bytes, each byte one character.
fn latin1(raw: &str) -> String {
    percent_decode_str(raw).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_latin1_of_the_decoded_bytes() {
        assert_eq!(latin1("/caf%C3%A9"), "/caf\u{c3}\u{a9}");
        assert_eq!(latin1("/a%2Fb%20c"), "/a/b c");
    }
}
