//! The slots the ticker watches: one per connection (plus one per extra sleep), each a
//! deadline and a waker, in a list the ticker walks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Waker;
use std::time::Instant;

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
}

impl Slot {
    /// Takes the slot for a sleep; `false` when another sleep has it.
    pub(super) fn claim(&self) -> bool {
        !self.claimed.swap(true, Ordering::Acquire)
    }

    /// Gives the slot back, disarmed.
    pub(super) fn release(&self) {
        self.disarm();
        self.claimed.store(false, Ordering::Release);
    }

    /// Arms the slot: `waker` is woken once `deadline` has passed (it replaces the kept
    /// waker only when that one would wake another task).
    pub(super) fn arm(&self, deadline: Instant, waker: &Waker) {
        let mut armed = lock(&self.armed);
        armed.deadline = Some(deadline);
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

/// What the server's timers share with the ticker: the slots.
#[derive(Default)]
pub(super) struct Shared {
    slots: Mutex<Slab>,
}

/// The registered slots; a removed slot's place is reused.
#[derive(Default)]
struct Slab {
    entries: Vec<Option<Arc<Slot>>>,
    free: Vec<usize>,
}

impl Shared {
    /// Registers a slot; its index, for [`remove`](Self::remove).
    pub(super) fn insert(&self, slot: Arc<Slot>) -> usize {
        let mut slab = lock(&self.slots);
        match slab.free.pop() {
            Some(index) => {
                slab.entries[index] = Some(slot);
                index
            }
            None => {
                slab.entries.push(Some(slot));
                slab.entries.len() - 1
            }
        }
    }

    pub(super) fn remove(&self, index: usize) {
        let mut slab = lock(&self.slots);
        if slab.entries.get_mut(index).and_then(Option::take).is_some() {
            slab.free.push(index);
        }
    }

    /// Wakes every slot whose deadline is `now` or earlier; the wakers run after the list's
    /// lock is released.
    pub(super) fn wake_due(&self, now: Instant) {
        let slots: Vec<Arc<Slot>> = lock(&self.slots).entries.iter().flatten().cloned().collect();
        for slot in slots {
            slot.wake_if_due(now);
        }
    }

    #[cfg(test)]
    pub(super) fn registered(&self) -> usize {
        lock(&self.slots).entries.iter().flatten().count()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
