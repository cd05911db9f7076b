//! The watchdog: wakes one more thread when calls wait and the runner makes no progress
//! (it blocks inside the app, where the pool cannot see it), and wakes the tasks filed
//! meanwhile.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{IDLE_LOOKS, Shared};

/// Wakes one more thread when calls wait and none has started for an `interval`, and wakes
/// the tasks filed meanwhile.
pub(super) fn watchdog(shared: &Shared, interval: Duration) {
    let (mut seen, mut idle) = (0, 0);
    loop {
        let mut state = shared.lock();
        state = shared.watch.wait_timeout(state, interval).unwrap_or_else(std::sync::PoisonError::into_inner).0;
        if state.closed {
            return;
        }
        let started = shared.started.load(Ordering::Relaxed);
        let stuck = started == seen;
        seen = started;
        let wake = stuck && !state.queue.is_empty() && shared.wake_one(&mut state);
        idle = if state.queue.is_empty() && state.running == 0 { idle + 1 } else { 0 };
        if idle >= IDLE_LOOKS {
            state.watchdog_asleep = true;
            while state.watchdog_asleep && !state.closed {
                state = shared.watch.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            idle = 0;
        }
        shared.notify_unlocked(state, wake);
        if stuck {
            shared.flush();
        }
    }
}
