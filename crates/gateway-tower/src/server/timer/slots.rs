//! The slots the ticker watches: one per connection (plus one per extra sleep), each a
//! deadline and a waker, in a list the ticker walks.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Waker;
use std::time::Instant;

use crate::server::slab::Slab;

/// Where one sleep waits.
#[derive(Default)]
pub(super) struct Slot {
    armed: Mutex<Armed>,
    /// Taken by the connection's current sleep.
    claimed: AtomicBool,
}

#[derive(Default)]
struct Armed {
    /// The armed sleep's deadline; `None` when no sleep is armed.
    deadline: Option<Instant>,
    /// The waker of the last sleep armed here: kept after the sleep ends, so the next
    /// request's sleep on the same connection (the same task) need not clone it again.
    waker: Option<Waker>,
    /// When the armed header sleep was first polled again with the head incomplete.
    head_started: Option<Instant>,
}

impl Slot {
    /// Takes the slot for a sleep; `false` when another sleep has it.
    pub(super) fn claim(&self) -> bool {
        !self.claimed.swap(true, Ordering::Acquire)
    }

    /// Gives the slot back, disarmed (and with no head in progress).
    pub(super) fn release(&self) {
        {
            let mut armed = lock(&self.armed);
            armed.deadline = None;
            armed.head_started = None;
        }
        self.claimed.store(false, Ordering::Release);
    }

    /// Arms the slot: `waker` is woken once `deadline` has passed (it replaces the kept
    /// waker only when that one would wake another task); `head_started`, the first time
    /// given, is kept until the slot is released.
    pub(super) fn arm(&self, deadline: Instant, waker: &Waker, head_started: Option<Instant>) {
        let mut armed = lock(&self.armed);
        armed.deadline = Some(deadline);
        if armed.head_started.is_none() {
            armed.head_started = head_started;
        }
        match &mut armed.waker {
            Some(kept) => kept.clone_from(waker),
            None => armed.waker = Some(waker.clone()),
        }
    }

    /// Moves the deadline of an armed slot.
    pub(super) fn rearm(&self, deadline: Instant) {
        let mut armed = lock(&self.armed);
        if armed.deadline.is_some() {
            armed.deadline = Some(deadline);
        }
    }

    pub(super) fn disarm(&self) {
        lock(&self.armed).deadline = None;
    }

    pub(super) fn head_started(&self) -> Option<Instant> {
        lock(&self.armed).head_started
    }

    /// Disarms and wakes the slot if its deadline is `now` or earlier.
    fn wake_if_due(&self, now: Instant) {
        let mut armed = lock(&self.armed);
        if armed.deadline.is_some_and(|deadline| deadline <= now) {
            armed.deadline = None;
            if let Some(waker) = &armed.waker {
                waker.wake_by_ref();
            }
        }
    }
}

/// What the server's timers share with the ticker: the slots and the coarse clock.
pub(super) struct Shared {
    slots: Mutex<Slab<Arc<Slot>>>,
    /// When the clock read 0.
    epoch: Instant,
    /// Milliseconds since `epoch`, as of the ticker's last wake.
    clock: AtomicU64,
}

impl Shared {
    pub(super) fn new(epoch: Instant) -> Self {
        Self { slots: Mutex::default(), epoch, clock: AtomicU64::new(0) }
    }

    /// Registers a slot; its index, for [`remove`](Self::remove).
    pub(super) fn insert(&self, slot: Arc<Slot>) -> usize {
        lock(&self.slots).insert(slot)
    }

    pub(super) fn remove(&self, index: usize) {
        lock(&self.slots).remove(index);
    }

    /// Wakes every slot whose deadline is `now` or earlier; the wakers run after the list's
    /// lock is released.
    pub(super) fn wake_due(&self, now: Instant) {
        let slots: Vec<Arc<Slot>> = lock(&self.slots).iter().map(|(_, slot)| Arc::clone(slot)).collect();
        for slot in slots {
            slot.wake_if_due(now);
        }
    }

    #[inline]
    pub(super) fn clock(&self) -> u64 {
        self.clock.load(Ordering::Relaxed)
    }

    pub(super) fn set_clock(&self, now: Instant) {
        self.clock.store(self.millis_at(now), Ordering::Relaxed);
    }

    pub(super) fn instant_at(&self, millis: u64) -> Instant {
        self.epoch + std::time::Duration::from_millis(millis)
    }

    pub(super) fn millis_at(&self, instant: Instant) -> u64 {
        u64::try_from(instant.saturating_duration_since(self.epoch).as_millis()).unwrap_or(u64::MAX)
    }

    #[cfg(test)]
    pub(super) fn registered(&self) -> usize {
        lock(&self.slots).len()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
