//! The pool's unit tests.

use super::*;
use std::sync::mpsc::channel;

/// Submits `job` as a task would, with nothing to yield to.
fn submitted(pool: &PythonThreads, job: Job) {
    assert!(!matches!(pool.submit(job), Submitted::Closed));
}

#[test]
fn a_thread_is_woken_only_once_the_submitting_task_has_yielded() {
    let pool = PythonThreads::start_watched(1, None).unwrap();
    // A thread that finds calls queued when it starts takes them: wait until it sleeps.
    while pool.handle.0.lock().waiting < 1 {
        std::thread::yield_now();
    }
    let (done, finished) = channel();
    let Submitted::WakeAfterYield(wake) = pool.submit(Box::new(move |_| done.send(()).unwrap())) else {
        panic!("no thread runs: the first call must ask its task to wake one");
    };
    assert!(finished.recv_timeout(Duration::from_millis(100)).is_err(), "ran before the wake");
    drop(wake);
    finished.recv_timeout(Duration::from_secs(10)).unwrap();
}

/// Submits a job that waits, with the GIL released, until `release` is sent to, then
/// sends 0 on `done`: through [`detach`] when `seen` (the pool sees the wait), through
/// `py.detach` otherwise.
fn submit_blocked(
    pool: &PythonThreads,
    seen: bool,
) -> (std::sync::mpsc::Sender<()>, std::sync::mpsc::Sender<i32>, std::sync::mpsc::Receiver<i32>) {
    let (done, finished) = channel();
    let (release, blocked) = channel::<()>();
    let blocked = Mutex::new(blocked);
    let first = done.clone();
    submitted(
        pool,
        Box::new(move |py| {
            let wait = || blocked.lock().unwrap().recv().unwrap();
            if seen {
                detach(py, wait)
            } else {
                py.detach(wait)
            }
            first.send(0).unwrap();
        }),
    );
    (release, done, finished)
}

#[test]
fn every_job_runs_and_a_blocked_one_does_not_hold_up_the_rest() {
    let pool = PythonThreads::start(2).unwrap();
    // The first job blocks inside Python where the pool cannot see it (here: a plain
    // wait with the GIL released); the watchdog must get the others run.
    let (release, done, finished) = submit_blocked(&pool, false);
    for n in 1..=10 {
        let done = done.clone();
        submitted(&pool, Box::new(move |_| done.send(n).unwrap()));
    }
    let mut got: Vec<i32> = (0..10).map(|_| finished.recv_timeout(Duration::from_secs(10)).unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, (1..=10).collect::<Vec<_>>());
    release.send(()).unwrap();
    assert_eq!(finished.recv_timeout(Duration::from_secs(10)).unwrap(), 0);
}

#[test]
fn a_job_waiting_through_detach_hands_the_queue_to_another_thread() {
    // No watchdog: the hand-over alone must get the second job run.
    let pool = PythonThreads::start_watched(2, None).unwrap();
    let (release, done, finished) = submit_blocked(&pool, true);
    let second = done.clone();
    submitted(&pool, Box::new(move |_| second.send(1).unwrap()));
    assert_eq!(finished.recv_timeout(Duration::from_secs(10)).unwrap(), 1);
    release.send(()).unwrap();
    assert_eq!(finished.recv_timeout(Duration::from_secs(10)).unwrap(), 0);
}

#[test]
fn the_threads_end_when_the_last_clone_of_the_pool_goes() {
    let pool = PythonThreads::start(2).unwrap();
    let (done, finished) = channel();
    submitted(&pool, Box::new(move |_| done.send(()).unwrap()));
    finished.recv_timeout(Duration::from_secs(10)).unwrap();
    let shared = Arc::clone(&pool.handle.0);
    drop(pool.clone());
    assert!(!shared.lock().closed);
    drop(pool);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    // Each thread, and the watchdog, holds the pool until it returns.
    while Arc::strong_count(&shared) > 1 {
        assert!(std::time::Instant::now() < deadline, "the pool's threads did not end");
        std::thread::sleep(Duration::from_millis(5));
    }
}
