use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

use hyper::rt::Timer;

use super::*;

/// A waker that counts its wakes.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting() -> (Arc<Counter>, Waker) {
    let counter = Arc::new(Counter::default());
    (Arc::clone(&counter), Waker::from(counter))
}

/// Timers whose ticker never runs on its own (a tick of an hour): the tests tick by hand.
fn manual() -> CoarseTimers {
    CoarseTimers::start(Duration::from_secs(3600)).expect("a thread")
}

fn poll(sleep: &mut Pin<Box<dyn hyper::rt::Sleep>>, waker: &Waker) -> Poll<()> {
    sleep.as_mut().poll(&mut Context::from_waker(waker))
}

#[tokio::test]
async fn a_sleep_fires_within_its_duration_plus_a_tick() {
    let timers = CoarseTimers::start(Duration::from_millis(20)).expect("a thread");
    let timer = timers.connection();
    let start = Instant::now();
    timer.sleep(Duration::from_millis(100)).await;
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(100), "{took:?}");
    assert!(took < Duration::from_millis(100 + 20 + 500), "{took:?}");
}

#[test]
fn the_ticker_wakes_a_due_sleep_once_and_it_is_then_ready() {
    let timers = manual();
    let timer = timers.connection();
    let (counter, waker) = counting();
    let mut sleep = timer.sleep_until(Instant::now() + Duration::from_millis(1));
    assert!(poll(&mut sleep, &waker).is_pending());
    timers.shared.wake_due(Instant::now());
    assert_eq!(counter.0.load(Ordering::SeqCst), 0, "not due yet");
    std::thread::sleep(Duration::from_millis(5));
    timers.shared.wake_due(Instant::now());
    timers.shared.wake_due(Instant::now());
    assert_eq!(counter.0.load(Ordering::SeqCst), 1, "woken once, then disarmed");
    assert!(poll(&mut sleep, &waker).is_ready());
}

#[test]
fn a_sleep_not_yet_due_is_not_woken() {
    let timers = manual();
    let timer = timers.connection();
    let (counter, waker) = counting();
    let mut sleep = timer.sleep(Duration::from_secs(60));
    assert!(poll(&mut sleep, &waker).is_pending());
    timers.shared.wake_due(Instant::now() + Duration::from_secs(59));
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
    timers.shared.wake_due(Instant::now() + Duration::from_secs(61));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

#[test]
fn a_dropped_sleep_is_never_woken_and_frees_the_connection_slot() {
    let timers = manual();
    let timer = timers.connection();
    let (counter, waker) = counting();
    let mut first = timer.sleep(Duration::from_millis(1));
    assert!(poll(&mut first, &waker).is_pending());
    drop(first);
    timers.shared.wake_due(Instant::now() + Duration::from_secs(1));
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
    // The next request's sleep takes the connection's slot again: nothing new registered.
    let mut second = timer.sleep(Duration::from_millis(1));
    assert!(poll(&mut second, &waker).is_pending());
    assert_eq!(timers.shared.registered(), 1);
    timers.shared.wake_due(Instant::now() + Duration::from_secs(1));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

#[test]
fn a_second_sleep_at_once_gets_a_slot_of_its_own_and_both_fire() {
    let timers = manual();
    let timer = timers.connection();
    let (first_count, first_waker) = counting();
    let (second_count, second_waker) = counting();
    let mut first = timer.sleep(Duration::from_millis(1));
    let mut second = timer.sleep(Duration::from_millis(1));
    assert_eq!(timers.shared.registered(), 2);
    assert!(poll(&mut first, &first_waker).is_pending());
    assert!(poll(&mut second, &second_waker).is_pending());
    timers.shared.wake_due(Instant::now() + Duration::from_secs(1));
    assert_eq!(first_count.0.load(Ordering::SeqCst), 1);
    assert_eq!(second_count.0.load(Ordering::SeqCst), 1);
    drop(second);
    assert_eq!(timers.shared.registered(), 1, "the extra slot is gone with its sleep");
    drop(first);
    drop(timer);
    assert_eq!(timers.shared.registered(), 0, "the connection's slot is gone with its timer");
}

#[test]
fn reset_moves_an_armed_deadline() {
    let timers = manual();
    let timer = timers.connection();
    let (counter, waker) = counting();
    let mut sleep = timer.sleep(Duration::from_millis(1));
    assert!(poll(&mut sleep, &waker).is_pending());
    timer.reset(&mut sleep, Instant::now() + Duration::from_secs(60));
    timers.shared.wake_due(Instant::now() + Duration::from_secs(1));
    assert_eq!(counter.0.load(Ordering::SeqCst), 0, "the old deadline no longer counts");
    timers.shared.wake_due(Instant::now() + Duration::from_secs(61));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    assert_eq!(timers.shared.registered(), 1, "reset reuses the sleep, no new slot");
}

#[test]
fn the_ticker_ends_once_the_timers_are_gone() {
    let timers = CoarseTimers::start(Duration::from_millis(5)).expect("a thread");
    let weak = Arc::downgrade(&timers.shared);
    let timer = timers.connection();
    drop(timers);
    assert!(weak.strong_count() > 0, "a connection's timer keeps the list");
    drop(timer);
    // The ticker holds the list for a moment each tick; then it lets go for good.
    let gone = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(5));
        weak.strong_count() == 0
    });
    assert!(gone);
}

#[test]
fn the_coarse_clock_follows_the_ticker_within_a_clock_tick() {
    let timers = CoarseTimers::start(Duration::from_millis(20)).expect("a thread");
    let timer = timers.connection();
    std::thread::sleep(Duration::from_millis(300));
    let (coarse, exact) = (timer.coarse_now(), timers.millis_at(Instant::now()));
    assert!(coarse >= 200, "the ticker moved the clock: {coarse} ms");
    assert!(coarse <= exact && exact - coarse <= 20 + 200, "{coarse} ms against {exact} ms");
    assert_eq!(timer.instant_at(coarse).duration_since(timer.instant_at(0)), Duration::from_millis(coarse));
}

#[test]
fn an_unboxed_sleep_takes_the_connection_slot_and_gives_it_back() {
    let timers = manual();
    let timer = timers.connection();
    let (counter, waker) = counting();
    let mut sleep = timer.sleep_at(Instant::now() + Duration::from_millis(1));
    assert!(Pin::new(&mut sleep).poll(&mut Context::from_waker(&waker)).is_pending());
    assert_eq!(timers.shared.registered(), 1, "the connection's own slot");
    timers.shared.wake_due(Instant::now() + Duration::from_secs(1));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    drop(sleep);
    let mut header = timer.sleep(Duration::from_secs(60));
    assert!(poll(&mut header, &waker).is_pending());
    assert_eq!(timers.shared.registered(), 1, "the slot is free again for hyper's header timer");
}

#[test]
fn a_header_sleep_polled_again_marks_a_head_in_progress_until_it_ends() {
    let timers = manual();
    let timer = timers.connection();
    let (_counter, waker) = counting();
    let mut header = timer.sleep(Duration::from_secs(60));
    assert!(poll(&mut header, &waker).is_pending());
    assert_eq!(timer.head_started(), None, "armed, waiting for a head that has not begun");
    let before = Instant::now();
    assert!(poll(&mut header, &waker).is_pending());
    let started = timer.head_started().expect("polled again: part of a head came");
    assert!(started >= before);
    assert!(poll(&mut header, &waker).is_pending());
    assert_eq!(timer.head_started(), Some(started), "the first such poll counts");
    drop(header);
    assert_eq!(timer.head_started(), None, "the head completed (or the connection went)");
    let mut guard = timer.sleep_at(Instant::now() + Duration::from_secs(60));
    let mut cx = Context::from_waker(&waker);
    assert!(Pin::new(&mut guard).poll(&mut cx).is_pending() && Pin::new(&mut guard).poll(&mut cx).is_pending());
    assert_eq!(timer.head_started(), None, "the guards' sleeps mark nothing");
}
