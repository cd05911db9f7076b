//! The accepted socket as hyper sees it: the write timeout (its rule is in
//! [`Serve::write_timeout`](super::Serve::write_timeout)'s docs), and the end of a
//! response's flush (which makes the connection idle).
//!
//! A write that makes no progress for the write timeout fails with
//! [`io::ErrorKind::TimedOut`], which makes hyper drop the connection.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::state::ConnectionState;
use super::timer::CoarseSleep;

/// An accepted TCP stream with the write timeout and the flush event.
pub(super) struct GuardedStream {
    stream: TcpStream,
    state: Arc<ConnectionState>,
    write_timeout: Option<Duration>,
    /// Armed by the first write that could not proceed; dropped by the next that did.
    stalled: Option<CoarseSleep>,
}

impl GuardedStream {
    pub(super) fn new(stream: TcpStream, state: Arc<ConnectionState>, write_timeout: Option<Duration>) -> Self {
        Self { stream, state, write_timeout, stalled: None }
    }

    /// After a write that returned `poll`: progress ends a stall, `Pending` starts or
    /// continues one, and a stall over the write timeout is an error.
    #[inline]
    fn guard(&mut self, poll: Poll<io::Result<usize>>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if poll.is_ready() {
            if self.stalled.is_some() {
                self.stalled = None;
            }
            return poll;
        }
        self.stalled(cx)
    }

    /// A write could not proceed: `Pending` until the write timeout has passed since the
    /// first such write, then the error.
    #[cold]
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some(timeout) = self.write_timeout else { return Poll::Pending };
        let timer = self.state.timer();
        let stalled = self.stalled.get_or_insert_with(|| timer.sleep_at(Instant::now() + timeout));
        if Pin::new(stalled).poll(cx).is_pending() {
            return Poll::Pending;
        }
        tracing::debug!(?timeout, "no progress writing the response; resetting the connection");
        if let Err(error) = self.stream.set_zero_linger() {
            tracing::debug!(%error, "could not set SO_LINGER");
        }
        Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client read nothing within the write timeout")))
    }
}

impl AsyncRead for GuardedStream {
    // Reads pass straight through: a hook here cost about 80 instructions a request (hyper's
    // read path no longer inlined around it); a head in progress is seen from hyper's
    // header timer instead (see `timer`).
    #[inline]
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for GuardedStream {
    #[inline]
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.guard(poll, cx)
    }

    #[inline]
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.guard(poll, cx)
    }

    #[inline]
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    #[inline]
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(cx);
        if let Poll::Ready(Ok(())) = poll {
            this.state.flushed();
        }
        poll
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
