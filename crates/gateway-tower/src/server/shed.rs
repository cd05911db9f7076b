//! The connection cap: which connections are open, and which one to close when a new one
//! is waiting and the cap is reached (which one is shed, and when, is in
//! [`Serve::max_connections`](super::Serve::max_connections)'s docs).
//!
//! At the cap, the accept loop holds the connection it has just accepted (the next ones
//! wait in the listen backlog) until it has shed one for it; when nothing can go, it waits
//! for a connection to close or change. Shedding aborts the connection's task, which drops
//! its socket.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::AbortHandle;

use super::shutdown::ShutdownSignal;
use super::slab::Slab;
use super::state::{ConnectionState, HEAD, IDLE};
use super::timer::CoarseTimers;

/// At the cap, a head still incomplete this long may be shed (after the idle connections;
/// see [`Serve::max_connections`](super::Serve::max_connections)).
///
/// # Examples
/// ```
/// use gateway_tower::server::{DEFAULT_HEADER_READ_TIMEOUT, SHED_HEADS_AFTER};
///
/// assert_eq!(SHED_HEADS_AFTER, std::time::Duration::from_secs(1));
/// assert!(SHED_HEADS_AFTER < DEFAULT_HEADER_READ_TIMEOUT); // shed long before the head times out
/// ```
pub const SHED_HEADS_AFTER: Duration = Duration::from_secs(1);

/// At the cap with nothing to shed, how often the loop looks again (a head may have grown
/// old enough; a close, or a connection turning idle, wakes it at once).
const SHED_RECHECK: Duration = Duration::from_millis(50);

/// The open connections of one server.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    open: Mutex<Slab<Entry>>,
    /// Notified when a connection closes, or turns idle while the server is at its cap.
    changed: Notify,
    at_cap: AtomicBool,
    accepted: AtomicU64,
}

#[derive(Debug)]
struct Entry {
    state: Arc<ConnectionState>,
    /// The accept order: ties between equal coarse times go to the older connection.
    order: u64,
    abort: Option<AbortHandle>,
    shedding: bool,
}

/// What [`Tracker::shed_one`] did.
#[derive(Debug, PartialEq, Eq)]
enum Shed {
    /// A connection is being closed (now or by an earlier call): wait for it.
    Closing,
    /// Every connection is busy or too young to shed.
    Nothing,
}

impl Tracker {
    /// Registers a connection; `spawn` starts its task with the guard that unregisters it
    /// when the task ends (or is aborted), and returns the task's abort handle.
    pub(super) fn register(
        self: &Arc<Self>,
        state: Arc<ConnectionState>,
        spawn: impl FnOnce(Registration) -> AbortHandle,
    ) {
        let mut open = lock(&self.open);
        let index = open.vacant();
        let abort = spawn(Registration { tracker: Arc::clone(self), index });
        let order = self.accepted.fetch_add(1, Ordering::Relaxed);
        open.insert(Entry { state, order, abort: Some(abort), shedding: false });
    }

    /// How many connections are open (those being shed included, until they are closed).
    pub(super) fn open(&self) -> usize {
        lock(&self.open).len()
    }

    /// Returns once one more connection may be served without passing `cap`, shedding
    /// meanwhile; `false` when the shutdown signal came first. Until then, new connections
    /// wait in the listen backlog.
    pub(super) async fn make_room(&self, cap: usize, timers: &CoarseTimers, shutdown: &mut ShutdownSignal) -> bool {
        if self.open() < cap {
            return true;
        }
        // While at the cap, a connection turning idle wakes this loop.
        self.at_cap.store(true, Ordering::Relaxed);
        let made = loop {
            if self.open() < cap {
                break true;
            }
            if self.shed_one(timers.millis_at(Instant::now())) == Shed::Nothing {
                tracing::debug!(cap, "at the connection cap, every connection busy or young: new ones wait");
            }
            tokio::select! {
                () = self.changed.notified() => {}
                () = tokio::time::sleep(SHED_RECHECK) => {}
                () = &mut *shutdown => break false,
            }
        };
        self.at_cap.store(false, Ordering::Relaxed);
        made
    }

    pub(super) fn became_idle(&self) {
        if self.at_cap.load(Ordering::Relaxed) {
            self.changed.notify_one();
        }
    }

    /// Closes the connection that is cheapest to lose, `now` being the coarse clock's
    /// reading (milliseconds, exact for this moment).
    fn shed_one(&self, now: u64) -> Shed {
        let abort = {
            let mut open = lock(&self.open);
            if open.iter().any(|(_, entry)| entry.shedding) {
                return Shed::Closing;
            }
            let candidates = open.iter().map(|(index, entry)| {
                let (phase, since) = entry.state.phase();
                Candidate { index, phase, since, order: entry.order }
            });
            let Some(index) = victim(candidates, now) else { return Shed::Nothing };
            let Some(entry) = open.get_mut(index) else { return Shed::Nothing };
            entry.shedding = true;
            tracing::debug!(phase = entry.state.phase().0, "at the connection cap: closing a connection");
            entry.abort.clone()
        };
        // Outside the lock, which the task's `Registration` takes when it is dropped.
        if let Some(abort) = abort {
            abort.abort();
        }
        Shed::Closing
    }
}

/// Unregisters its connection when dropped: held by the connection's task.
#[derive(Debug)]
pub(super) struct Registration {
    tracker: Arc<Tracker>,
    index: usize,
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.tracker.open).remove(self.index);
        self.tracker.changed.notify_one();
    }
}

/// One open connection as the shedding policy sees it.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    index: usize,
    phase: u8,
    since: u64,
    order: u64,
}

/// The connection to shed: the longest idle, else the oldest head incomplete for more than
/// [`SHED_HEADS_AFTER`] (plus the coarse clock's resolution: a head's stamp may be up to a
/// tick early, and no head is shed before it is a second old); `None` when all are busy or
/// young.
fn victim(candidates: impl Iterator<Item = Candidate>, now: u64) -> Option<usize> {
    let head_age = u64::try_from((SHED_HEADS_AFTER + super::timer::CLOCK_TICK).as_millis()).unwrap_or(u64::MAX);
    let mut idle: Option<Candidate> = None;
    let mut head: Option<Candidate> = None;
    let older = |a: &Candidate, b: &Option<Candidate>| b.is_none_or(|b| (a.since, a.order) < (b.since, b.order));
    for candidate in candidates {
        if candidate.phase == IDLE && older(&candidate, &idle) {
            idle = Some(candidate);
        } else if candidate.phase == HEAD && now.saturating_sub(candidate.since) >= head_age && older(&candidate, &head)
        {
            head = Some(candidate);
        }
    }
    idle.or(head).map(|chosen| chosen.index)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::super::state::{BUSY, SENT};
    use super::*;

    fn candidate(index: usize, phase: u8, since: u64) -> Candidate {
        Candidate { index, phase, since, order: index as u64 }
    }

    #[test]
    fn the_longest_idle_goes_first_whatever_the_heads() {
        let open = [candidate(0, HEAD, 0), candidate(1, IDLE, 500), candidate(2, IDLE, 300), candidate(3, BUSY, 0)];
        assert_eq!(victim(open.into_iter(), 10_000), Some(2));
    }

    #[test]
    fn equal_idle_times_go_to_the_older_connection() {
        let open = [candidate(4, IDLE, 300), candidate(1, IDLE, 300), candidate(7, IDLE, 300)];
        assert_eq!(victim(open.into_iter(), 10_000), Some(1));
    }

    #[test]
    fn a_head_goes_only_once_it_is_over_a_second_old() {
        let young = [candidate(0, HEAD, 9_000), candidate(1, BUSY, 0)];
        assert_eq!(victim(young.into_iter(), 10_000), None, "a head of 1 s may be a slow but honest client");
        let old = [candidate(0, HEAD, 8_000), candidate(1, HEAD, 5_000), candidate(2, BUSY, 0)];
        assert_eq!(victim(old.into_iter(), 10_000), Some(1), "the oldest head");
    }

    #[test]
    fn busy_and_unflushed_connections_are_never_shed() {
        let open = [candidate(0, BUSY, 0), candidate(1, SENT, 0)];
        assert_eq!(victim(open.into_iter(), u64::MAX), None);
    }
}
