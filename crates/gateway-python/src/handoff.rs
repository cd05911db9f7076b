//! The hand-off of a response head from a Python thread to the request's task, with the
//! wake-ups of a batch of requests made by one task instead of by the Python thread.
//!
//! Waking a task from another thread is a system call, and on a busy core the woken runtime
//! thread preempts the Python thread there and then: a wake-up per request would be two
//! thread switches per request. So a Python thread of the pool does not wake a task when its
//! head is ready; it files the waker with the pool ([`crate::pool::defer_wake`]) and goes on
//! with the next call. When the pool flushes (its queue is empty, a call is about to wait,
//! or a batch is full), it wakes the batch's first task only, its *leader*, and gives it the
//! other wakers: the leader wakes them from the runtime's own thread, where a wake is a
//! push onto a run queue. A leader that went away wakes them when it is dropped, so no task
//! is ever left unwoken.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// Wakers woken when this is dropped.
#[derive(Debug, Default)]
pub(crate) struct WakeList(pub(crate) Vec<Waker>);

impl Drop for WakeList {
    fn drop(&mut self) {
        for waker in self.0.drain(..) {
            waker.wake();
        }
    }
}

/// A task that can lead: it takes the others' wakers, and wakes them when it runs.
pub(crate) trait Lead: Send + Sync {
    /// Gives `rest` to this task to wake; gives it back when the task is gone or done.
    fn lead(&self, rest: WakeList) -> Result<(), WakeList>;
}

/// The sending half, on the Python thread. Dropped without [`send`](Sender::send): the
/// task gets `None`.
#[derive(Debug)]
pub(crate) struct Sender<T: Send + 'static>(Option<Arc<Slot<T>>>);

/// The receiving half, a future of the value (`None` when the sender went without one).
#[derive(Debug)]
pub(crate) struct Receiver<T: Send>(Arc<Slot<T>>);

#[derive(Debug)]
struct Slot<T>(Mutex<State<T>>);

#[derive(Debug)]
struct State<T> {
    value: Option<T>,
    sent: bool,
    /// The receiver took the value or was dropped.
    closed: bool,
    waker: Option<Waker>,
    /// The batch's other wakers, when this task leads.
    rest: Option<WakeList>,
}

/// A new hand-off.
pub(crate) fn channel<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
    let slot = Arc::new(Slot(Mutex::new(State { value: None, sent: false, closed: false, waker: None, rest: None })));
    (Sender(Some(Arc::clone(&slot))), Receiver(slot))
}

impl<T> Slot<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing panics with the lock held.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<T: Send + 'static> Sender<T> {
    /// Hands `value` over; the task's wake-up is deferred to the pool's next flush.
    pub(crate) fn send(mut self, value: T) {
        if let Some(slot) = self.0.take() {
            finish(slot, Some(value));
        }
    }
}

impl<T: Send + 'static> Drop for Sender<T> {
    fn drop(&mut self) {
        if let Some(slot) = self.0.take() {
            finish(slot, None);
        }
    }
}

fn finish<T: Send + 'static>(slot: Arc<Slot<T>>, value: Option<T>) {
    if let Some(waker) = complete(&slot, value) {
        crate::pool::defer_wake(slot, waker);
    }
}

/// Stores the value; the task's waker, when it waits.
fn complete<T>(slot: &Slot<T>, value: Option<T>) -> Option<Waker> {
    let mut state = slot.lock();
    if state.closed {
        return None;
    }
    state.value = value;
    state.sent = true;
    state.waker.take()
}

impl<T: Send> Lead for Slot<T> {
    fn lead(&self, rest: WakeList) -> Result<(), WakeList> {
        let mut state = self.lock();
        if state.closed {
            return Err(rest);
        }
        state.rest = Some(rest);
        Ok(())
    }
}

impl<T: Send> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let (value, rest) = {
            let mut state = self.0.lock();
            if !state.sent {
                match &state.waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    _ => state.waker = Some(cx.waker().clone()),
                }
                return Poll::Pending;
            }
            state.closed = true;
            (state.value.take(), state.rest.take())
        };
        // Wakes the batch's other tasks, here on the runtime's thread.
        drop(rest);
        Poll::Ready(value)
    }
}

impl<T: Send> Drop for Receiver<T> {
    fn drop(&mut self) {
        let rest = {
            let mut state = self.0.lock();
            state.closed = true;
            state.rest.take()
        };
        drop(rest);
    }
}

/// Wakes a batch: its first task that still waits leads, with the others' wakers; when none
/// can, every waker is woken here.
pub(crate) fn wake_batch(mut batch: Vec<(Arc<dyn Lead>, Waker)>) {
    if batch.is_empty() {
        return;
    }
    let (lead, waker) = batch.swap_remove(0);
    let rest = WakeList(batch.into_iter().map(|(_, waker)| waker).collect());
    match lead.lead(rest) {
        Ok(()) => waker.wake(),
        Err(rest) => {
            drop(rest);
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll<T: Send>(receiver: &mut Receiver<T>, waker: &Waker) -> Poll<Option<T>> {
        Pin::new(receiver).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn the_leader_wakes_the_rest_when_it_runs_and_only_then() {
        let counts: Vec<Arc<Count>> = (0..3).map(|_| Arc::new(Count(AtomicUsize::new(0)))).collect();
        let wakers: Vec<Waker> = counts.iter().map(|count| Waker::from(Arc::clone(count))).collect();
        let mut pairs: Vec<_> = (0..3).map(|_| channel::<u32>()).collect();
        for (index, (_, receiver)) in pairs.iter_mut().enumerate() {
            assert!(poll(receiver, &wakers[index]).is_pending());
        }
        let mut batch: Vec<(Arc<dyn Lead>, Waker)> = Vec::new();
        for (index, (sender, _)) in pairs.iter_mut().enumerate() {
            let slot = sender.0.take().unwrap();
            let waker = complete(&slot, Some(u32::try_from(index).unwrap())).unwrap();
            batch.push((slot, waker));
        }
        wake_batch(batch);
        let woken = |counts: &[Arc<Count>]| counts.iter().map(|c| c.0.load(Ordering::SeqCst)).collect::<Vec<_>>();
        assert_eq!(woken(&counts), [1, 0, 0], "only the leader is woken by the flush");
        assert_eq!(poll(&mut pairs[0].1, &wakers[0]), Poll::Ready(Some(0)));
        assert_eq!(woken(&counts), [1, 1, 1], "the leader woke the rest");
        assert_eq!(poll(&mut pairs[2].1, &wakers[2]), Poll::Ready(Some(2)));
    }

    #[test]
    fn a_leader_dropped_unpolled_still_wakes_the_rest() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let (sender, receiver) = channel::<u32>();
        drop(sender);
        let slot: Arc<dyn Lead> = Arc::clone(&receiver.0) as Arc<dyn Lead>;
        assert!(slot.lead(WakeList(vec![Waker::from(Arc::clone(&count))])).is_ok());
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        drop(receiver);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        // A receiver that is gone cannot lead: the list comes back, to be woken by the caller.
        assert!(slot.lead(WakeList(Vec::new())).is_err());
    }

    #[test]
    fn a_sender_dropped_unsent_gives_none_and_wakes_its_task() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let (sender, mut receiver) = channel::<u32>();
        assert!(poll(&mut receiver, &waker).is_pending());
        drop(sender);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(poll(&mut receiver, &waker), Poll::Ready(None));
    }
}
