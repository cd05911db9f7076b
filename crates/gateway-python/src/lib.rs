//! # gateway-python: Python WSGI apps on the gateway
//!
//! PEP 3333 hosted by the same hyper server and layers as the Rust apps: an unchanged Flask,
//! Bottle or hand-written WSGI app runs as a gateway [`App`](gateway_core::App)
//! ([`PythonApp`]), so it can be served by `gateway_tower::serve`, wrapped in the project's
//! layers, mounted in a `Microframe` app or an axum `Router`. The `microframe-wsgi` binary
//! serves one: `microframe-wsgi [--threads N] [--no-access-log] MODULE:CALLABLE [ADDR]`.
//!
//! How a call runs:
//! - Python runs on a pool of OS threads of its own, never on the async runtime's threads:
//!   the runtime never waits for the GIL.
//! - The request body is read (framed by the server, at most [`MAX_BODY`]) before the call,
//!   and `wsgi.input` reads it from memory.
//! - The head `start_response` sets is held until the first non-empty body chunk, so an
//!   exception before it is still a 500 (the traceback on stderr, never sent). A second
//!   `start_response` without `exc_info` is an error; with it, it replaces the head until the
//!   head is sent, and re-raises after.
//! - Body chunks go to the connection as they come, at most a few in flight: past that, the
//!   Python thread waits, with the GIL released, for the client to read. When the client
//!   goes away, the iteration stops; `close()` is always called. An exception after the
//!   head was sent cuts the connection, so the response never looks complete.
//!
//! Not yet (this is the first part of the work): a streamed `wsgi.input` (the body is read
//! whole first), a Content-Length for list bodies, and the benchmark's thread design.
//!
//! `unsafe`: the crate denies it; the two modules that define Python classes allow it,
//! because PyO3's `#[pyclass]`/`#[pymethods]` expand to unsafe FFI glue. No hand-written
//! unsafe code.
#![deny(unsafe_code)]

mod app;
mod environ;
mod handoff;
mod input;
mod load;
mod output;
mod pool;
mod start;

pub use app::{MAX_BODY, PythonApp};
pub use load::LoadError;
