//! # gateway-python: Python WSGI apps on the gateway
//!
//! PEP 3333 hosted by the same hyper server and layers as the Rust apps: an unchanged Flask,
//! Bottle or hand-written WSGI app runs as a gateway [`App`](gateway_core::App)
//! ([`PythonApp`]), so it can be served by `gateway_tower::serve`, wrapped in the project's
//! layers, mounted in a `Microframe` app or an axum `Router`. The `microframe-wsgi` binary
//! serves one: `microframe-wsgi [--threads N] [--no-access-log] MODULE:CALLABLE [ADDR]`.
//!
//! How a call runs:
//! - Python runs on a pool of OS threads of its own (default two per CPU, `--threads`), never
//!   on the async runtime's threads: the runtime never waits for the GIL. One thread at a
//!   time runs the queued calls, one after the other, under one hold of the GIL, and the
//!   wake-ups between the runtime and that thread are batched both ways, so a request costs
//!   no thread switch of its own (bjoern's single thread is the benchmark); a call that waits
//!   hands the queue to another thread, and a watchdog wakes one when a call blocks where
//!   the pool cannot see it. `src/pool/mod.rs` has the whole design, with its reasons.
//! - The request body: a short one ([`READ_WHOLE_UP_TO`]) is read before the call; a longer
//!   one streams into `wsgi.input` as the app reads it, the read waiting with the GIL
//!   released, so memory stays flat and the server's body limit and timeout apply; a chunked
//!   one is read whole (at most [`MAX_BODY`]) so that it reaches the app with its
//!   `CONTENT_LENGTH`, which Bottle and the tutorial's program need.
//! - The head `start_response` sets is held until the first non-empty body chunk, so an
//!   exception before it is still a 500 (the traceback on stderr, never sent). A second
//!   `start_response` without `exc_info` is an error; with it, it replaces the head until the
//!   head is sent, and re-raises after.
//! - A list or tuple goes out in one write with its length. Other iterables stream, at most
//!   a few chunks in flight: past that, the Python thread waits, with the GIL released, for
//!   the client to read. When the client goes away, the iteration stops; `close()` is
//!   always called. An exception after the head was sent cuts the connection, so the
//!   response never looks complete.
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
mod request_body;
mod start;

pub use app::PythonApp;
pub use load::LoadError;
pub use request_body::{MAX_BODY, READ_WHOLE_UP_TO};
