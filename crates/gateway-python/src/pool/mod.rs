//! The Python threads: a fixed pool of OS threads that run every call into Python, so the
//! async runtime's threads never wait for the GIL, designed so that a request costs no
//! thread hand-off of its own.
//!
//! - **One runner at a time.** A queued call wakes a thread only when no thread is running
//!   calls. The running thread takes the GIL once and runs queued calls one after the
//!   other until the queue is empty, then releases it and sleeps. Under load the queue
//!   fills while the runner works, so one wake-up (and one GIL acquisition) serves a batch
//!   of requests, as bjoern's single thread does, instead of two thread switches each.
//! - **A blocked runner hands over.** A call that waits with the GIL released (for the
//!   request body, for a busy client) goes through [`detach`], which stops counting its
//!   thread as the runner and wakes another when calls are waiting.
//! - **A stuck runner is noticed.** An app may block inside Python (a socket, a sleep, a long
//!   computation) where the pool cannot see it. A watchdog looks every
//!   [`WATCH_INTERVAL`]: when calls are waiting and none has started since its last look, it
//!   wakes one more thread, as a threaded server would have it running already. It sleeps
//!   for good after a second with nothing to do, and the next call wakes it.
//! - **Wake-ups are batched both ways.** A call queued while no thread runs does not wake one
//!   at once: its task yields first ([`Submitted::WakeAfterYield`]), so the runtime thread
//!   queues every request it has ready before the Python thread takes the core. The other
//!   way, a head made ready is not a wake-up of its own: [`defer_wake`] files it, and the
//!   pool wakes a batch at a time ([`crate::handoff`]) when its queue is empty, before a
//!   call waits, when [`FLUSH_AT`] are filed, or when the watchdog sees no progress. The
//!   price: a response made just before a long computation in the next call waits for the
//!   watchdog, at most two looks (10 ms); a streamed response's head goes out at once.
//!
//! Measured (BENCHMARKS.md): a hand-off per request served the benchmark's WSGI hello at
//! 38k req/s on one core; this design at about 122k, 1.5 times granian.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use pyo3::Python;

use crate::handoff::{Lead, wake_batch};

mod watchdog;
use watchdog::watchdog;

/// A call into Python, run on a Python thread holding the GIL.
pub(crate) type Job = Box<dyn for<'py> FnOnce(Python<'py>) + Send>;

/// How often the watchdog looks for a stuck runner (CPython's own switch interval).
const WATCH_INTERVAL: Duration = Duration::from_millis(5);

/// Heads filed before the pool wakes their tasks without waiting for the queue to empty.
const FLUSH_AT: usize = 64;

/// Looks in a row with nothing to do before the watchdog sleeps until the next call.
const IDLE_LOOKS: u32 = 200;

/// The pool, shared by every clone of the app; the threads end when the last clone goes.
#[derive(Debug, Clone)]
pub(crate) struct PythonThreads {
    handle: Arc<Handle>,
}

/// Closes the pool when dropped.
#[derive(Debug)]
struct Handle(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Threads waiting for a permit to run.
    wake: Condvar,
    /// The watchdog, when it sleeps for good.
    watch: Condvar,
    /// Calls started so far: the watchdog's sign of progress.
    started: AtomicU64,
    /// Tasks whose heads are ready, to be woken at the next flush.
    filed: Mutex<Filed>,
}

/// The tasks [`defer_wake`] filed.
#[derive(Default)]
struct Filed(Vec<(Arc<dyn Lead>, std::task::Waker)>);

impl std::fmt::Debug for Filed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Filed").field(&self.0.len()).finish()
    }
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    /// Threads counted as runners: running calls, or woken to.
    running: usize,
    /// Threads asleep, waiting for a permit.
    waiting: usize,
    /// Wake-ups given and not yet taken.
    permits: usize,
    /// A task will wake a thread once it has yielded.
    wake_pending: bool,
    watchdog_asleep: bool,
    closed: bool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").field("queued", &self.queue.len()).field("running", &self.running).finish()
    }
}

std::thread_local! {
    /// The pool of the Python thread this is, for [`detach`].
    static POOL: std::cell::RefCell<Option<Arc<Shared>>> = const { std::cell::RefCell::new(None) };
}

impl PythonThreads {
    /// Starts `count` threads (at least one), named `python-N`, and the watchdog.
    pub(crate) fn start(count: usize) -> std::io::Result<Self> {
        Self::start_watched(count, Some(WATCH_INTERVAL))
    }

    /// As [`start`](Self::start), with the watchdog looking every `interval` (none: no
    /// watchdog, for tests of the rest).
    fn start_watched(count: usize, interval: Option<Duration>) -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        for index in 0..count.max(1) {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new().name(format!("python-{index}")).spawn(move || run(&shared))?;
        }
        if let Some(interval) = interval {
            let watched = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("python-watchdog".to_owned())
                .spawn(move || watchdog(&watched, interval))?;
        }
        Ok(Self { handle: Arc::new(Handle(shared)) })
    }

    /// Queues `job`. When no thread runs, the caller is to yield to its runtime once and
    /// then drop the [`PendingWake`] it got, which wakes one.
    pub(crate) fn submit(&self, job: Job) -> Submitted {
        let shared = &self.handle.0;
        let mut state = shared.lock();
        if state.closed {
            return Submitted::Closed;
        }
        state.queue.push_back(job);
        let watchdog_asleep = std::mem::take(&mut state.watchdog_asleep);
        let submitted = if state.running == 0 && !state.wake_pending {
            state.wake_pending = true;
            Submitted::WakeAfterYield(PendingWake(Arc::clone(shared)))
        } else {
            Submitted::Queued
        };
        drop(state);
        if watchdog_asleep {
            shared.watch.notify_one();
        }
        submitted
    }
}

/// What [`PythonThreads::submit`] did with a call.
#[derive(Debug)]
pub(crate) enum Submitted {
    /// A thread runs, or will: nothing to do.
    Queued,
    /// No thread runs: yield, then drop this to wake one.
    WakeAfterYield(PendingWake),
    /// The pool is gone.
    Closed,
}

/// Wakes a Python thread when dropped, unless one runs by then.
#[derive(Debug)]
pub(crate) struct PendingWake(Arc<Shared>);

impl PendingWake {
    /// How many calls are queued.
    pub(crate) fn queued(&self) -> usize {
        self.0.lock().queue.len()
    }
}

impl Drop for PendingWake {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.wake_pending = false;
        let wake = state.running == 0 && !state.queue.is_empty() && self.0.wake_one(&mut state);
        self.0.notify_unlocked(state, wake);
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.wake.notify_all();
        self.0.watch.notify_all();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens with the lock held (jobs run outside it).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wakes the tasks filed so far.
    fn flush(&self) {
        let filed = std::mem::take(&mut self.filed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0);
        wake_batch(filed);
    }

    /// Gives a sleeping thread a permit, counting it as a runner from now on, so that the
    /// calls queued before it is scheduled do not wake more; `true` when one is to be
    /// notified, with [`notify_unlocked`](Self::notify_unlocked).
    fn wake_one(&self, state: &mut State) -> bool {
        let some = state.waiting > state.permits;
        if some {
            state.permits += 1;
            state.running += 1;
        }
        some
    }

    /// Unlocks, then notifies a sleeping thread when `wake`. Notifying with the lock held
    /// would let the woken thread preempt this one on a busy core and then block on the
    /// lock: four thread switches instead of one.
    fn notify_unlocked(&self, state: MutexGuard<'_, State>, wake: bool) {
        drop(state);
        if wake {
            self.wake.notify_one();
        }
    }
}

/// A Python thread: sleeps for its turn, then runs queued calls with the GIL held until the
/// queue is empty. It keeps one Python thread state for its life: attaching anew for every
/// batch would make and free one each time (with its frame stack, an `mmap`).
fn run(shared: &Arc<Shared>) {
    POOL.with(|pool| *pool.borrow_mut() = Some(Arc::clone(shared)));
    Python::attach(|py| {
        while py.detach(|| wait_for_turn(shared)) {
            loop {
                let job = {
                    let mut state = shared.lock();
                    match state.queue.pop_front() {
                        Some(job) => job,
                        None => {
                            state.running -= 1;
                            break;
                        }
                    }
                };
                shared.started.fetch_add(1, Ordering::Relaxed);
                job(py);
            }
        }
    });
}

/// Flushes what the last batch filed, then sleeps until this thread is to run calls;
/// `false` when the pool is closed.
fn wait_for_turn(shared: &Shared) -> bool {
    shared.flush();
    let mut state = shared.lock();
    loop {
        if state.closed {
            return false;
        }
        if state.permits > 0 {
            // Counted as a runner by whoever woke it.
            state.permits -= 1;
            return true;
        }
        if state.running == 0 && !state.queue.is_empty() {
            // Calls queued while every thread was busy or not started yet.
            state.running += 1;
            return true;
        }
        state.waiting += 1;
        state = shared.wake.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        state.waiting -= 1;
    }
}

/// Wakes the tasks filed so far now, when this is a Python thread of a pool.
pub(crate) fn flush_filed() {
    if let Some(shared) = POOL.with(|pool| pool.borrow().clone()) {
        shared.flush();
    }
}

/// Files `waker` to be woken at the pool's next flush, when this is a Python thread of a
/// pool; wakes it now otherwise.
pub(crate) fn defer_wake(lead: Arc<dyn Lead>, waker: std::task::Waker) {
    let Some(shared) = POOL.with(|pool| pool.borrow().clone()) else {
        return waker.wake();
    };
    let full = {
        let mut filed = shared.filed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        filed.0.push((lead, waker));
        filed.0.len() >= FLUSH_AT
    };
    if full {
        shared.flush();
    }
}

/// Runs `f` with the GIL released, as `py.detach` does; on a Python thread, its thread
/// stops being counted as a runner meanwhile, and another is woken when calls wait.
pub(crate) fn detach<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> T {
    let Some(shared) = POOL.with(|pool| pool.borrow().clone()) else {
        return py.detach(f);
    };
    // The task this call answers may wait for the heads filed so far.
    shared.flush();
    let mut state = shared.lock();
    state.running -= 1;
    let wake = state.running == 0 && !state.queue.is_empty() && shared.wake_one(&mut state);
    shared.notify_unlocked(state, wake);
    let result = py.detach(f);
    shared.lock().running += 1;
    result
}

#[cfg(test)]
mod tests;
