// A shared value taken as a bare `Arc<T>`: the error is on `Arc<Db>`, and says `State<T>`.
use std::sync::Arc;

struct Db;

#[microframe::debug_handler]
async fn page(_db: Arc<Db>) -> &'static str {
    "page"
}

fn main() {}
