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
//!   both read it;
//! - the keys most requests have are Python strings made once per app, so Python hashes
//!   them once, and the template the dict is copied from holds the keys every request sets.

use gateway_core::Environ;
use percent_encoding::percent_decode_str;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::input::Input;
pub(crate) use crate::request_body::RequestBody;

/// What the Python thread needs of the request: the CGI pairs, copied out of the gateway
/// environ on the async side (it is not `Send` into Python), and the body. The pairs are
/// kept in one buffer, so that a request costs two allocations here, not two per key, and
/// so that the Python thread, which frees them, frees two.
#[derive(Debug)]
pub(crate) struct Request {
    /// Every key and value, one after the other.
    text: String,
    /// Where each key ends and its value ends, in `text`.
    ends: Vec<(u32, u32)>,
    url_scheme: &'static str,
    run_once: bool,
    input: Input,
}

impl Request {
    /// The pairs of `environ`, with `body`: read whole (a chunked one too, which then gets
    /// its `CONTENT_LENGTH`), or streamed.
    pub(crate) fn new(environ: &Environ, body: RequestBody) -> Self {
        let (input, whole_length) = match body {
            RequestBody::Whole(bytes) => {
                let length = bytes.len();
                (Input::whole(bytes), Some(length))
            }
            RequestBody::Streamed(chunks) => (Input::streamed(chunks), None),
        };
        let mut request = Self {
            text: String::with_capacity(512),
            ends: Vec::with_capacity(24),
            url_scheme: environ.url_scheme(),
            run_once: environ.run_once(),
            input,
        };
        let mut has_length = false;
        environ.for_each_cgi(|key, value| match key {
            // The body was read whole, decoded from chunks if it came chunked: the app gets
            // its length, and no `Transfer-Encoding` to decode it by a second time (Bottle
            // would).
            "HTTP_TRANSFER_ENCODING" => {}
            "PATH_INFO" => request.push_latin1(key, environ.raw_path_info()),
            "SCRIPT_NAME" => request.push_latin1(key, environ.raw_script_name()),
            _ => {
                has_length |= key == "CONTENT_LENGTH";
                request.push(key, value);
            }
        });
        if let Some(length) = whole_length.filter(|&length| length > 0 && !has_length) {
            request.push("CONTENT_LENGTH", &length.to_string());
        }
        request
    }

    fn push(&mut self, key: &str, value: &str) {
        self.text.push_str(key);
        let key_end = self.end();
        self.text.push_str(value);
        self.ends.push((key_end, self.end()));
    }

    /// `raw`, percent-decoded to bytes, each byte one character (PEP 3333's Latin-1 rule).
    fn push_latin1(&mut self, key: &str, raw: &str) {
        self.text.push_str(key);
        let key_end = self.end();
        self.text.extend(percent_decode_str(raw).map(char::from));
        self.ends.push((key_end, self.end()));
    }

    fn end(&self) -> u32 {
        // A head is at most the server's limit of 64 KiB (and an in-process one far below 4 GiB).
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }

    /// The pairs, as `(key, value)`.
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |&(key_end, value_end)| {
            let (key_end, value_end) = (key_end as usize, value_end as usize);
            let pair = (&self.text[start..key_end], &self.text[key_end..value_end]);
            start = value_end;
            pair
        })
    }

    /// The environ dict: a copy of the template's dict (the keys every request has the
    /// same), then this request's keys.
    pub(crate) fn into_dict<'py>(self, py: Python<'py>, template: &Template) -> PyResult<Bound<'py, PyDict>> {
        let dict = template.dict.bind(py).copy()?;
        for (key, value) in self.pairs() {
            match known_key(key) {
                Some(known) => dict.set_item(template.keys[known].bind(py), value)?,
                None => dict.set_item(key, value)?,
            }
        }
        dict.set_item(pyo3::intern!(py, "wsgi.url_scheme"), self.url_scheme)?;
        dict.set_item(pyo3::intern!(py, "wsgi.input"), self.input)?;
        dict.set_item(pyo3::intern!(py, "wsgi.run_once"), self.run_once)?;
        Ok(dict)
    }
}

/// The keys most requests have, made once per app as Python strings, whose hashes Python
/// then computes once, not per request; `known_key` finds one by a `match`, which compiles
/// to length tests and inline compares (a binary search cost a `memcmp` call per step).
macro_rules! known_keys {
    ($($key:literal),* $(,)?) => {
        const KNOWN_KEYS: &[&str] = &[$($key),*];

        /// The index of `key` in [`KNOWN_KEYS`].
        fn known_key(key: &str) -> Option<usize> {
            let mut index = 0;
            $(
                if key == $key {
                    return Some(index);
                }
                index += 1;
            )*
            let _ = index;
            None
        }
    };
}

known_keys!(
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_AUTHORIZATION",
    "HTTP_CACHE_CONTROL",
    "HTTP_CONNECTION",
    "HTTP_COOKIE",
    "HTTP_HOST",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_ORIGIN",
    "HTTP_REFERER",
    "HTTP_SEC_FETCH_DEST",
    "HTTP_SEC_FETCH_MODE",
    "HTTP_SEC_FETCH_SITE",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "PATH_INFO",
    "QUERY_STRING",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
);

/// The keys `Environ::for_each_cgi` always visits (the rest are there when the request has
/// them).
const ALWAYS_SET: [&str; 7] =
    ["PATH_INFO", "QUERY_STRING", "REQUEST_METHOD", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL"];

/// What every request's environ starts from, made once per app.
#[derive(Debug)]
pub(crate) struct Template {
    /// The keys every request's environ has the same (a `dict` copy per request is cheaper
    /// than setting them, and than the two imports behind them).
    dict: Py<PyDict>,
    /// [`KNOWN_KEYS`] as Python strings.
    keys: Vec<Py<PyString>>,
}

impl Template {
    pub(crate) fn new(py: Python<'_>) -> PyResult<Self> {
        let dict = PyDict::new(py);
        dict.set_item("wsgi.version", (1, 0))?;
        dict.set_item("wsgi.errors", py.import("sys")?.getattr("stderr")?)?;
        dict.set_item("wsgi.multithread", true)?;
        dict.set_item("wsgi.multiprocess", false)?;
        dict.set_item("wsgi.input_terminated", true)?;
        dict.set_item("wsgi.file_wrapper", py.import("wsgiref.util")?.getattr("FileWrapper")?)?;
        let keys: Vec<Py<PyString>> = KNOWN_KEYS.iter().map(|key| PyString::intern(py, key).unbind()).collect();
        // The keys every request sets, with a placeholder: a copy then has room for them
        // and the common headers, and setting them grows nothing.
        for key in ALWAYS_SET {
            let known = known_key(key).ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key))?;
            dict.set_item(keys[known].bind(py), py.None())?;
        }
        for key in ["wsgi.url_scheme", "wsgi.input", "wsgi.run_once"] {
            dict.set_item(PyString::intern(py, key), py.None())?;
        }
        Ok(Self { dict: dict.unbind(), keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn request(target: &str) -> Request {
        let (parts, ()) = http::Request::get(target).header("x-thing", "yes").body(()).unwrap().into_parts();
        Request::new(&Environ::new(parts, gateway_core::Input::empty()), RequestBody::Whole(Bytes::new()))
    }

    fn value<'r>(request: &'r Request, key: &str) -> Option<&'r str> {
        request.pairs().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    #[test]
    fn paths_are_latin1_of_the_decoded_bytes() {
        assert_eq!(value(&request("/caf%C3%A9"), "PATH_INFO"), Some("/caf\u{c3}\u{a9}"));
        assert_eq!(value(&request("/a%2Fb%20c?x=%20"), "PATH_INFO"), Some("/a/b c"));
        assert_eq!(value(&request("/a%2Fb%20c?x=%20"), "QUERY_STRING"), Some("x=%20"));
    }

    #[test]
    fn no_placeholder_is_left_in_an_environ() {
        let (parts, ()) = http::Request::get("/").body(()).unwrap().into_parts();
        let request =
            Request::new(&Environ::new(parts, gateway_core::Input::empty()), RequestBody::Whole(Bytes::new()));
        Python::attach(|py| {
            let dict = request.into_dict(py, &Template::new(py).unwrap()).unwrap();
            for (key, value) in dict.iter() {
                assert!(!value.is_none(), "{key} kept its placeholder");
            }
            assert!(dict.contains("SERVER_PROTOCOL").unwrap());
        });
    }

    #[test]
    fn each_known_key_is_found_at_its_place() {
        for (index, key) in KNOWN_KEYS.iter().enumerate() {
            assert_eq!(known_key(key), Some(index));
        }
        assert_eq!(known_key("HTTP_X_SOMETHING_ELSE"), None);
    }

    #[test]
    fn every_cgi_key_and_no_gateway_key_is_kept() {
        let request = request("/");
        assert_eq!(value(&request, "HTTP_X_THING"), Some("yes"));
        assert_eq!(value(&request, "REQUEST_METHOD"), Some("GET"));
        assert!(request.pairs().all(|(key, _)| !key.starts_with("gateway.")));
    }
}
