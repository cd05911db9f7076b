//! hyper's header-read timer, made coarse and kept per connection.
//!
//! hyper arms its header-read timer for every request (a boxed sleep from the `Timer` it is
//! given) and drops it once the head has arrived. With hyper-util's `TokioTimer` each of
//! those is an entry in tokio's timer wheel, registered and removed again per request: about
//! 1 500 instructions a request, measured (`BENCHMARKS.md`). The header timeout does not need
//! that precision: it closes connections that send nothing for seconds.
//!
//! Here each connection gets its own [`CoarseTimer`] with one [`Slot`] (a deadline and a
//! waker), registered in the server's list once, when the connection opens. A request's
//! sleep arms that slot (its own lock, never contended but by the ticker) and keeps the
//! connection's waker when it is the same task's (it always is): no shared lock, no list
//! update per request. One ticker thread
//! per server ([`CoarseTimers`]) wakes the slots whose deadline has passed,
//! `TICKS_PER_TIMEOUT` times per timeout, so a timeout fires within its duration plus one
//! tick. The ticker is a plain thread, not a tokio timer, so that tokio's timer wheel stays
//! empty; it ends by itself once the server and its connections are gone. A second sleep
//! while the connection's slot is taken (the write timeout while hyper waits for the next
//! head, say) gets a slot of its own in the list.
//!
//! hyper's header sleep also tells the connection's slot when the connection is reading a
//! head that is still incomplete: hyper polls it again only after a wake that did not
//! complete the head (bytes that were not all of it, nearly always), and the slot keeps the
//! time of the first such poll for the connection cap ([`CoarseTimer::head_started`]),
//! under the lock the poll takes anyway. So telling an idle connection from a slow head
//! costs the read path nothing.
//!
//! The same timers serve `serve`'s own guards (the write timeout, the request body's rate
//! and progress checks) through [`CoarseTimer::sleep_at`], a sleep that is not boxed, and
//! keep a coarse clock ([`CoarseTimer::coarse_now`], milliseconds, updated by the ticker at
//! least every [`CLOCK_TICK`]) that stamps a connection's state changes without reading the
//! system clock per request.

mod slots;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use slots::{Shared, Slot};

/// How finely a timeout is divided into ticks.
const TICKS_PER_TIMEOUT: u32 = 10;

/// The shortest tick, so a tiny timeout does not spin the ticker.
const MIN_TICK: Duration = Duration::from_millis(5);

/// The coarse clock's resolution: the ticker wakes at least this often to update it (it
/// walks the slots only once per tick).
pub(crate) const CLOCK_TICK: Duration = Duration::from_millis(100);

/// A server's timers: the connections' slots and the ticker thread that wakes them.
pub(crate) struct CoarseTimers {
    shared: Arc<Shared>,
}

impl CoarseTimers {
    /// The tick for the shortest of `timeouts`: a tenth of it, at least `MIN_TICK`.
    pub(crate) fn tick_for(timeouts: impl IntoIterator<Item = Duration>) -> Duration {
        let shortest = timeouts.into_iter().min().unwrap_or(Duration::from_secs(10));
        (shortest / TICKS_PER_TIMEOUT).max(MIN_TICK)
    }

    /// Starts the ticker thread, which every `tick` wakes the sleeps whose deadline has
    /// passed (and every [`CLOCK_TICK`] at most updates the coarse clock), until neither
    /// these timers nor any connection's are left.
    pub(crate) fn start(tick: Duration) -> io::Result<Self> {
        let shared = Arc::new(Shared::new(Instant::now()));
        let weak = Arc::downgrade(&shared);
        let nap = tick.min(CLOCK_TICK);
        std::thread::Builder::new().name("gateway-header-timer".into()).spawn(move || {
            let mut next_walk = Instant::now() + tick;
            loop {
                std::thread::sleep(nap);
                let Some(shared) = weak.upgrade() else { return };
                let now = Instant::now();
                shared.set_clock(now);
                if now >= next_walk {
                    shared.wake_due(now);
                    next_walk = now + tick;
                }
            }
        })?;
        Ok(Self { shared })
    }

    /// The coarse clock's reading for `instant` (exact, unlike [`CoarseTimer::coarse_now`]).
    pub(crate) fn millis_at(&self, instant: Instant) -> u64 {
        self.shared.millis_at(instant)
    }

    /// A timer for one connection, with its slot registered.
    pub(crate) fn connection(&self) -> CoarseTimer {
        let slot = Arc::new(Slot::default());
        let index = self.shared.insert(Arc::clone(&slot));
        CoarseTimer { registered: Arc::new(Registered { shared: Arc::clone(&self.shared), slot, index }) }
    }
}

/// One connection's `hyper::rt::Timer` (cloned for `serve`'s own guards of the
/// connection): its slot, registered while a clone lives.
#[derive(Clone)]
pub(crate) struct CoarseTimer {
    registered: Arc<Registered>,
}

struct Registered {
    shared: Arc<Shared>,
    slot: Arc<Slot>,
    index: usize,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.shared.remove(self.index);
    }
}

impl CoarseTimer {
    /// A sleep until `deadline`, not boxed (for `serve`'s guards, which keep it in place).
    #[inline]
    pub(crate) fn sleep_at(&self, deadline: Instant) -> CoarseSleep {
        self.new_sleep(deadline, false)
    }

    /// When hyper's header sleep on this connection was first polled again with the head
    /// still incomplete: the connection has sent part of a head since then. `None` when it
    /// waits for a head that has not begun (or hyper is not reading one).
    pub(crate) fn head_started(&self) -> Option<Instant> {
        self.registered.slot.head_started()
    }

    /// `head`: hyper's header-read sleep, which marks a head in progress.
    fn new_sleep(&self, deadline: Instant, head: bool) -> CoarseSleep {
        let Registered { shared, slot, .. } = &*self.registered;
        let registration = if slot.claim() {
            Registration::Connection(Arc::clone(slot))
        } else {
            let slot = Arc::new(Slot::default());
            let index = shared.insert(Arc::clone(&slot));
            Registration::Own { slot, index, shared: Arc::clone(shared) }
        };
        CoarseSleep { deadline, registration, armed: false, head }
    }

    /// The coarse clock: milliseconds since the server's timers started, as of the last
    /// tick (at most [`CLOCK_TICK`] behind).
    #[inline]
    pub(crate) fn coarse_now(&self) -> u64 {
        self.registered.shared.clock()
    }

    /// The coarse clock's reading for `instant` (exact).
    pub(crate) fn coarse_at(&self, instant: Instant) -> u64 {
        self.registered.shared.millis_at(instant)
    }

    /// The instant the coarse clock reads `millis` at.
    pub(crate) fn instant_at(&self, millis: u64) -> Instant {
        self.registered.shared.instant_at(millis)
    }
}

impl hyper::rt::Timer for CoarseTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        // hyper's only timer on a server connection: the header read's.
        Box::pin(self.new_sleep(deadline, true))
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn hyper::rt::Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<CoarseSleep>() {
            Some(mut coarse) => coarse.set_deadline(new_deadline),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// Which slot a sleep uses: its connection's, or (when that one is taken) one of its own.
enum Registration {
    Connection(Arc<Slot>),
    Own { slot: Arc<Slot>, index: usize, shared: Arc<Shared> },
}

impl Registration {
    fn slot(&self) -> &Slot {
        match self {
            Registration::Connection(slot) | Registration::Own { slot, .. } => slot,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        match self {
            Registration::Connection(slot) => slot.release(),
            Registration::Own { index, shared, .. } => shared.remove(*index),
        }
    }
}

/// One sleep: ready once its deadline has passed, woken by the ticker.
pub(crate) struct CoarseSleep {
    deadline: Instant,
    registration: Registration,
    /// Whether the slot holds this sleep's deadline and waker (after the first poll).
    armed: bool,
    /// hyper's header sleep: a poll after the first means the head is still incomplete.
    head: bool,
}

impl CoarseSleep {
    /// Moves the deadline (of an armed sleep too).
    pub(crate) fn set_deadline(&mut self, deadline: Instant) {
        if self.deadline == deadline {
            return;
        }
        self.deadline = deadline;
        if self.armed {
            self.registration.slot().rearm(deadline);
        }
    }
}

impl Future for CoarseSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The first poll only arms: hyper created the sleep a moment ago, and a deadline
        // that has passed anyway is seen at the next tick. Later polls (woken by the ticker,
        // or by the connection) compare with the clock, and for hyper's header sleep mean
        // that bytes came which were not yet the whole head.
        let mut head_started = None;
        if self.armed {
            let now = Instant::now();
            if now >= self.deadline {
                self.registration.slot().disarm();
                self.armed = false;
                return Poll::Ready(());
            }
            head_started = self.head.then_some(now);
        }
        self.registration.slot().arm(self.deadline, cx.waker(), head_started);
        self.armed = true;
        Poll::Pending
    }
}

impl hyper::rt::Sleep for CoarseSleep {}

#[cfg(test)]
mod tests;
