//! What one connection is doing, kept where the accept loop can read it.
//!
//! hyper has no "idle" state to ask for (`graceful_shutdown` closes a connection that waits
//! for its next request, but only disables keep-alive on one with a partial head), so
//! `serve` follows each connection through four phases itself, from what its parts see:
//!
//! | phase | entered when | seen by |
//! |---|---|---|
//! | `HEAD` | the connection is accepted (nothing of a request has been served yet) | the accept loop |
//! | `BUSY` | a head is complete and the service is called | the connection's service |
//! | `SENT` | the response body ended (or was dropped) | the logged response body |
//! | `IDLE` | everything of a `SENT` response is flushed to the socket | the stream's `poll_flush` |
//!
//! An `IDLE` connection that has sent part of its next head counts as a head from then on:
//! hyper's header timer tells (`timer`, [`CoarseTimer::head_started`]). Each change is one
//! relaxed store (a read first where the change depends on the phase), stamped with the
//! timers' coarse clock, not the system's: a request costs a handful of instructions, no
//! lock, no allocation. At the connection cap the accept loop closes idle connections
//! oldest first, then heads older than a second (see `shed`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use super::request_body::BodyLimits;
use super::shed::Tracker;
use super::timer::CoarseTimer;

/// Waiting for the next request, nothing of it received yet: the cheapest to close.
pub(super) const IDLE: u8 = 0;
/// Reading a head (or a new connection that has sent nothing yet).
pub(super) const HEAD: u8 = 1;
/// Serving a request: never shed.
pub(super) const BUSY: u8 = 2;
/// The response is complete but not yet flushed: still busy.
pub(super) const SENT: u8 = 3;

/// The state one connection's parts share: its phase, its timer, and what its request body
/// guard found.
pub(crate) struct ConnectionState {
    phase: AtomicU8,
    /// The coarse time (milliseconds, see [`CoarseTimer::coarse_now`]) the phase began.
    since: AtomicU64,
    timer: CoarseTimer,
    tracker: Arc<Tracker>,
    limits: BodyLimits,
    /// The request body guard cut the body (too slow, or no progress): the response is a 408.
    body_cut: AtomicBool,
    /// Serve-once: set when the first response completes.
    completed: Option<Arc<AtomicBool>>,
}

impl ConnectionState {
    /// A connection just accepted: `HEAD`, since now.
    pub(super) fn new(
        timer: CoarseTimer,
        tracker: Arc<Tracker>,
        limits: BodyLimits,
        completed: Option<Arc<AtomicBool>>,
    ) -> Self {
        let since = AtomicU64::new(timer.coarse_now());
        let body_cut = AtomicBool::new(false);
        Self { phase: AtomicU8::new(HEAD), since, timer, tracker, limits, body_cut, completed }
    }

    #[inline]
    pub(super) fn timer(&self) -> &CoarseTimer {
        &self.timer
    }

    /// The limits the connection's request bodies are held to.
    #[inline]
    pub(super) fn body_limits(&self) -> &BodyLimits {
        &self.limits
    }

    /// The phase and when it began (coarse milliseconds); an idle connection whose next
    /// head has begun is a `HEAD` since then.
    pub(super) fn phase(&self) -> (u8, u64) {
        let (phase, since) = (self.phase.load(Ordering::Relaxed), self.since.load(Ordering::Relaxed));
        match self.timer.head_started() {
            Some(started) if phase == IDLE => (HEAD, self.timer.coarse_at(started)),
            _ => (phase, since),
        }
    }

    /// Out of line, so that the check inlined into the stream's flushes stays small: it
    /// runs once a request, the check several times.
    #[inline(never)]
    fn become_idle(&self) {
        self.since.store(self.timer.coarse_now(), Ordering::Relaxed);
        self.phase.store(IDLE, Ordering::Relaxed);
        self.tracker.became_idle();
    }

    /// Accepted, and no request started yet (the phase is `HEAD` only until the first
    /// request: later heads are read from `IDLE`).
    pub(super) fn is_new(&self) -> bool {
        self.phase.load(Ordering::Relaxed) == HEAD
    }

    /// A head is complete and the service is called.
    #[inline]
    pub(super) fn request_started(&self) {
        self.phase.store(BUSY, Ordering::Relaxed);
    }

    /// The response body ended; a serve-once server learns that a response completed.
    pub(crate) fn response_sent(&self) {
        if self.phase.load(Ordering::Relaxed) == BUSY {
            self.phase.store(SENT, Ordering::Relaxed);
        }
        if let Some(completed) = &self.completed {
            completed.store(true, Ordering::Release);
        }
    }

    /// Everything written so far reached the socket: a sent response makes the connection
    /// idle (and, at the cap, tells the accept loop).
    #[inline]
    pub(super) fn flushed(&self) {
        if self.phase.load(Ordering::Relaxed) == SENT {
            self.become_idle();
        }
    }

    /// Records that the request body guard cut the body.
    pub(super) fn cut_body(&self) {
        self.body_cut.store(true, Ordering::Relaxed);
    }

    /// Whether the request body guard cut the body (the response must be a 408).
    #[inline]
    pub(super) fn body_was_cut(&self) -> bool {
        self.body_cut.load(Ordering::Relaxed)
    }
}

impl std::fmt::Debug for ConnectionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (phase, since) = self.phase();
        f.debug_struct("ConnectionState").field("phase", &phase).field("since", &since).finish_non_exhaustive()
    }
}
