// A `MutexGuard` held across an `.await`: the future is not `Send`, and the error names `guard`.
use std::sync::{Arc, Mutex};

use microframe::State;

async fn save(_count: u32) {}

#[microframe::debug_handler]
async fn count(State(counter): State<Arc<Mutex<u32>>>) -> String {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    save(*guard).await;
    guard.to_string()
}

fn main() {}
