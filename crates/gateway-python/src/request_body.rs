//! How a request body reaches `wsgi.input`: whole, or streamed by a pump task.
//!
//! - **Short bodies are read whole** before the call, up to [`READ_WHOLE_UP_TO`] declared
//!   bytes: such a body mostly came in with the head, and reading it on the async side costs
//!   no Python thread a wait.
//! - **Chunked bodies are read whole** too, at most [`MAX_BODY`] bytes (413 past it), and
//!   reach the app with their `CONTENT_LENGTH`: Bottle and the tutorial's program read
//!   exactly `CONTENT_LENGTH` bytes, and would get none of a body without it.
//! - **Longer bodies stream**: a task reads the connection's chunks into a channel a few at
//!   a time, and the app's reads take them, waiting with the GIL released. Memory stays at a
//!   few chunks whatever the size, and the server's body limit and body-read timeout apply
//!   as they do to a Rust app (the server answers 408, 400 or 413 when the body fails). The
//!   task ends with the body, or when the response is done ([`Pump`]).

use bytes::Bytes;
use gateway_core::{Environ, Input, InputError};
use tokio::sync::mpsc;

use crate::input::Chunks;

/// The longest declared body read whole before the call.
pub const READ_WHOLE_UP_TO: u64 = 64 * 1024;

/// The longest chunked body (its length unknown until its end) a Python app may be sent,
/// read whole before the call. Over it: 413.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Chunks of a streamed body between the connection and the app's reads.
const INPUT_CHUNKS_IN_FLIGHT: usize = 4;

/// The request body as the Python thread gets it.
#[derive(Debug)]
pub(crate) enum RequestBody {
    /// Read before the call.
    Whole(Bytes),
    /// Read by the app as it goes.
    Streamed(Chunks),
}

/// The task that streams a body; it stops when this is dropped (with the response), so a
/// body the app left unread never holds the connection.
#[derive(Debug)]
pub(crate) struct Pump(tokio::task::JoinHandle<()>);

impl Drop for Pump {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Takes the body out of `environ`: whole, or streamed by a [`Pump`].
///
/// # Errors
/// Reading a body whole failed (too large, timed out, broken framing).
pub(crate) async fn take(environ: &mut Environ) -> Result<(RequestBody, Option<Pump>), InputError> {
    let input = environ.input();
    if input.declared_length().is_some_and(|length| length > READ_WHOLE_UP_TO) {
        let input = std::mem::replace(input, Input::empty());
        let (chunks, receiver) = mpsc::channel(INPUT_CHUNKS_IN_FLIGHT);
        let pump = Pump(tokio::spawn(pump(input, chunks)));
        return Ok((RequestBody::Streamed(receiver), Some(pump)));
    }
    Ok((RequestBody::Whole(input.read_to_end(MAX_BODY).await?), None))
}

/// Reads `input` into `chunks` until its end, its first error, or the app gone.
async fn pump(mut input: Input, chunks: mpsc::Sender<Result<Bytes, String>>) {
    while let Some(chunk) = input.chunk().await {
        let failed = chunk.is_err();
        if chunks.send(chunk.map_err(|error| error.to_string())).await.is_err() || failed {
            return;
        }
    }
}
