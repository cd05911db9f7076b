//! The Python threads: a fixed pool of OS threads that run every call into Python, so the
//! async runtime's threads never wait for the GIL.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

/// A piece of work for a Python thread.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// The pool's queue; the threads take jobs from it in turn.
#[derive(Debug, Clone)]
pub(crate) struct PythonThreads {
    jobs: Sender<Job>,
}

impl PythonThreads {
    /// Starts `count` threads (at least one), named `python-N`.
    pub(crate) fn start(count: usize) -> std::io::Result<Self> {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..count.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new().name(format!("python-{index}")).spawn(move || run(&queue))?;
        }
        Ok(Self { jobs })
    }

    /// Queues `job`; `false` when the pool is gone.
    pub(crate) fn submit(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

fn run(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}
