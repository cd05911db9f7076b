//! What `multer` reads from: the request's input, one slice of at most 64 KiB per poll,
//! with a bound on the bytes it may buffer without handing any data out.
//!
//! `multer` buffers everything it reads until it finds what it looks for: the first
//! boundary (a wrong boundary would buffer the whole body) and the end of a part's headers
//! (headers without an end, likewise). Fed one slice per poll, it looks after each slice;
//! and the bytes fed since the last progress (a data chunk handed out, a field found) are
//! counted, so past [`MAX_STALL`] the feed fails instead of buffering on, and the body is
//! refused as malformed. Field data is handed out as it arrives, so it never counts up.

use std::error::Error;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use gateway_core::{Input, InputError};

/// The largest slice handed to `multer` at once.
const SLICE: usize = 64 * 1024;

/// The bytes the preamble, a boundary line and a part's headers may take (with the slice
/// they arrive in) before the body is refused as malformed.
pub(super) const MAX_STALL: u64 = 64 * 1024;

/// The bytes fed since the parser last made progress, shared by the feed (which counts
/// them) and the extractor (which resets the count at each progress).
#[derive(Debug, Clone, Default)]
pub(super) struct Stall(Arc<AtomicU64>);

impl Stall {
    /// The parser made progress: a data chunk was handed out, or a field was found.
    pub(super) fn progress(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// Why the feed failed.
#[derive(Debug)]
pub(super) enum FeedError {
    /// Reading the input failed (over the limit, stalled, broken framing).
    Input(InputError),
    /// Too many bytes without progress: no boundary, or part headers without an end.
    NoProgress,
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(error) => error.fmt(f),
            Self::NoProgress => write!(f, "more than {MAX_STALL} bytes without a boundary or the end of part headers"),
        }
    }
}

impl Error for FeedError {}

/// The input as `multer`'s source.
pub(super) struct Feed {
    input: Input,
    /// The rest of the input's last chunk, not yet fed.
    rest: Bytes,
    /// Whether the last poll fed a slice: then this one answers `Pending` (and wakes), so
    /// that `multer` looks at each slice before it reads the next.
    fed: bool,
    stall: Stall,
}

impl Feed {
    pub(super) fn new(input: Input, stall: Stall) -> Self {
        Self { input, rest: Bytes::new(), fed: false, stall }
    }
}

impl Stream for Feed {
    type Item = Result<Bytes, FeedError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if std::mem::take(&mut this.fed) {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if this.stall.0.load(Ordering::Relaxed) > MAX_STALL {
            return Poll::Ready(Some(Err(FeedError::NoProgress)));
        }
        if this.rest.is_empty() {
            match ready!(this.input.poll_chunk(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(FeedError::Input(error)))),
                Some(Ok(chunk)) => this.rest = chunk,
            }
        }
        let slice = this.rest.split_to(this.rest.len().min(SLICE));
        this.stall.0.fetch_add(slice.len() as u64, Ordering::Relaxed);
        this.fed = true;
        Poll::Ready(Some(Ok(slice)))
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn slices_come_one_per_poll_and_stop_without_progress() {
        let stall = Stall::default();
        let mut feed = Feed::new(Input::from_bytes(vec![b'x'; 3 * SLICE]), stall.clone());
        assert_eq!(feed.next().await.map(|slice| slice.map(|s| s.len()).ok()), Some(Some(SLICE)));
        stall.progress();
        assert_eq!(feed.next().await.map(|slice| slice.map(|s| s.len()).ok()), Some(Some(SLICE)));
        assert_eq!(feed.next().await.map(|slice| slice.map(|s| s.len()).ok()), Some(Some(SLICE)));
        assert!(matches!(feed.next().await, Some(Err(FeedError::NoProgress))), "128 KiB without progress");
    }
}
