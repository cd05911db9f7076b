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
//! while the connection's slot is taken (hyper does not do that today) gets a slot of its
//! own in the list.

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

/// A server's timers: the connections' slots and the ticker thread that wakes them.
pub(crate) struct CoarseTimers {
    shared: Arc<Shared>,
}

impl CoarseTimers {
    /// The tick for a timeout: a tenth of it, at least `MIN_TICK`.
    pub(crate) fn tick_for(timeout: Duration) -> Duration {
        (timeout / TICKS_PER_TIMEOUT).max(MIN_TICK)
    }

    /// Starts the ticker thread, which every `tick` wakes the sleeps whose deadline has
    /// passed, until neither these timers nor any connection's are left.
    pub(crate) fn start(tick: Duration) -> io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new().name("gateway-header-timer".into()).spawn(move || {
            loop {
                std::thread::sleep(tick);
                let Some(shared) = weak.upgrade() else { return };
                shared.wake_due(Instant::now());
            }
        })?;
        Ok(Self { shared })
    }

    /// A timer for one connection, with its slot registered.
    pub(crate) fn connection(&self) -> CoarseTimer {
        let slot = Arc::new(Slot::default());
        let index = self.shared.insert(Arc::clone(&slot));
        CoarseTimer { shared: Arc::clone(&self.shared), slot, index }
    }
}

/// One connection's `hyper::rt::Timer`: its slot, registered while the connection lives.
pub(crate) struct CoarseTimer {
    shared: Arc<Shared>,
    slot: Arc<Slot>,
    index: usize,
}

impl Drop for CoarseTimer {
    fn drop(&mut self) {
        self.shared.remove(self.index);
    }
}

impl hyper::rt::Timer for CoarseTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        let registration = if self.slot.claim() {
            Registration::Connection(Arc::clone(&self.slot))
        } else {
            let slot = Arc::new(Slot::default());
            let index = self.shared.insert(Arc::clone(&slot));
            Registration::Own { slot, index, shared: Arc::clone(&self.shared) }
        };
        Box::pin(CoarseSleep { deadline, registration, armed: false })
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
struct CoarseSleep {
    deadline: Instant,
    registration: Registration,
    /// Whether the slot holds this sleep's deadline and waker (after the first poll).
    armed: bool,
}

impl CoarseSleep {
    fn set_deadline(&mut self, deadline: Instant) {
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
        // or by the connection) compare with the clock.
        if self.armed && Instant::now() >= self.deadline {
            self.registration.slot().disarm();
            self.armed = false;
            return Poll::Ready(());
        }
        self.registration.slot().arm(self.deadline, cx.waker());
        self.armed = true;
        Poll::Pending
    }
}

impl hyper::rt::Sleep for CoarseSleep {}

#[cfg(test)]
mod tests;
