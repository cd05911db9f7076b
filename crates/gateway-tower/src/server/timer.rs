//! hyper's header-read timer, made coarse.
//!
//! hyper arms its header-read timer for every request (a boxed sleep from the `Timer` it is
//! given) and drops it once the head has arrived. With hyper-util's `TokioTimer` each of
//! those is an entry in tokio's timer wheel, registered and removed again per request, and
//! the runtime reads the clock on every park while any entry exists: about 1 500
//! instructions a request, measured (`BENCHMARKS.md`). The header timeout does not need
//! that precision: it closes connections that send nothing for seconds. Here a sleep is a
//! deadline plus a waker in one shared list, and one ticker thread per server wakes the
//! ones whose deadline has passed, `TICKS_PER_TIMEOUT` times per timeout; a timeout
//! therefore fires within its duration plus one tick. The ticker is a plain thread, not a
//! tokio timer, so that tokio's timer wheel stays empty and its workers park without
//! reading the clock; it ends by itself once the server and its connections are gone.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// How finely a timeout is divided into ticks.
const TICKS_PER_TIMEOUT: u32 = 10;

/// The shortest tick, so a tiny timeout does not spin the ticker.
const MIN_TICK: Duration = Duration::from_millis(5);

/// A `hyper::rt::Timer` whose sleeps share one ticker.
#[derive(Clone, Default)]
pub(crate) struct CoarseTimer {
    waiting: Arc<Mutex<Waiting>>,
}

/// The sleeps that are waiting, by slot; a key tells a slot's sleep from a later one in the
/// same slot (the ticker frees a slot when it wakes its sleep).
#[derive(Default)]
struct Waiting {
    slots: Vec<Option<Entry>>,
    free: Vec<usize>,
    next_key: u64,
}

struct Entry {
    key: u64,
    deadline: Instant,
    waker: Waker,
}

/// Where a sleep is registered.
#[derive(Clone, Copy)]
struct Ticket {
    slot: usize,
    key: u64,
}

impl Waiting {
    fn insert(&mut self, deadline: Instant, waker: Waker) -> Ticket {
        let key = self.next_key;
        self.next_key += 1;
        let entry = Some(Entry { key, deadline, waker });
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = entry;
                slot
            }
            None => {
                self.slots.push(entry);
                self.slots.len() - 1
            }
        };
        Ticket { slot, key }
    }

    fn get_mut(&mut self, ticket: Ticket) -> Option<&mut Entry> {
        self.slots[ticket.slot].as_mut().filter(|entry| entry.key == ticket.key)
    }

    fn remove(&mut self, ticket: Ticket) {
        if self.get_mut(ticket).is_some() {
            self.slots[ticket.slot] = None;
            self.free.push(ticket.slot);
        }
    }
}

impl CoarseTimer {
    /// The tick for a timeout: a tenth of it, at least `MIN_TICK`.
    pub(crate) fn tick_for(timeout: Duration) -> Duration {
        (timeout / TICKS_PER_TIMEOUT).max(MIN_TICK)
    }

    /// Starts the ticker thread: every `tick` it wakes the sleeps whose deadline has passed,
    /// until no `CoarseTimer` (nor sleep) of this list is left.
    pub(crate) fn start_ticker(&self, tick: Duration) -> std::io::Result<()> {
        let waiting = Arc::downgrade(&self.waiting);
        std::thread::Builder::new().name("gateway-header-timer".into()).spawn(move || {
            loop {
                std::thread::sleep(tick);
                let Some(waiting) = waiting.upgrade() else { return };
                let now = Instant::now();
                let mut waiting = waiting.lock().unwrap_or_else(PoisonError::into_inner);
                let Waiting { slots, free, .. } = &mut *waiting;
                for (slot, entry) in slots.iter_mut().enumerate() {
                    if entry.as_ref().is_some_and(|entry| entry.deadline <= now)
                        && let Some(entry) = entry.take()
                    {
                        free.push(slot);
                        entry.waker.wake();
                    }
                }
            }
        })?;
        Ok(())
    }
}

impl hyper::rt::Timer for CoarseTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(CoarseSleep { deadline, waiting: Arc::clone(&self.waiting), ticket: None })
    }
}

/// One sleep: ready once its deadline has passed, woken by the ticker.
struct CoarseSleep {
    deadline: Instant,
    waiting: Arc<Mutex<Waiting>>,
    ticket: Option<Ticket>,
}

impl CoarseSleep {
    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Future for CoarseSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The first poll only registers: hyper armed the sleep a moment ago, and a deadline
        // that has passed anyway is seen at the next tick. Later polls (woken by the ticker,
        // or by the connection) compare with the clock.
        if let Some(ticket) = self.ticket
            && Instant::now() >= self.deadline
        {
            self.ticket = None;
            self.waiting().remove(ticket);
            return Poll::Ready(());
        }
        let (deadline, ticket) = (self.deadline, self.ticket);
        let mut waiting = self.waiting();
        let ticket = match ticket.filter(|ticket| waiting.get_mut(*ticket).is_some()) {
            Some(ticket) => {
                if let Some(entry) = waiting.get_mut(ticket) {
                    entry.waker.clone_from(cx.waker());
                }
                ticket
            }
            None => waiting.insert(deadline, cx.waker().clone()),
        };
        drop(waiting);
        self.ticket = Some(ticket);
        Poll::Pending
    }
}

impl Drop for CoarseSleep {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.waiting().remove(ticket);
        }
    }
}

impl hyper::rt::Sleep for CoarseSleep {}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Timer;

    #[tokio::test]
    async fn a_sleep_fires_within_its_duration_plus_a_tick() {
        let timer = CoarseTimer::default();
        let tick = Duration::from_millis(20);
        timer.start_ticker(tick).expect("a thread");
        let start = Instant::now();
        timer.sleep(Duration::from_millis(100)).await;
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(100), "{took:?}");
        assert!(took < Duration::from_millis(100) + tick + Duration::from_millis(500), "{took:?}");
    }

    #[tokio::test]
    async fn a_slot_reused_by_a_later_sleep_is_not_the_earlier_ones() {
        let timer = CoarseTimer::default();
        let mut first = timer.sleep(Duration::from_millis(1));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(first.as_mut().poll(&mut cx).is_pending());
        // The ticker frees the first slot when the deadline passes; a later sleep takes it.
        std::thread::sleep(Duration::from_millis(5));
        timer.start_ticker(Duration::from_millis(1)).expect("a thread");
        std::thread::sleep(Duration::from_millis(50));
        let mut second = timer.sleep(Duration::from_secs(60));
        assert!(second.as_mut().poll(&mut cx).is_pending());
        // Dropping the first must not remove the second's registration.
        drop(first);
        assert_eq!(timer.waiting.lock().map(|w| w.slots.iter().flatten().count()).unwrap_or(9), 1);
        drop(second);
    }

    #[tokio::test]
    async fn a_dropped_sleep_frees_its_slot() {
        let timer = CoarseTimer::default();
        let mut sleep = timer.sleep(Duration::from_secs(60));
        let waker = Waker::noop();
        assert!(sleep.as_mut().poll(&mut Context::from_waker(waker)).is_pending());
        assert_eq!(timer.waiting.lock().map(|w| w.slots.iter().flatten().count()).unwrap_or(9), 1);
        drop(sleep);
        assert_eq!(timer.waiting.lock().map(|w| w.free.len()).unwrap_or(9), 1);
    }
}
