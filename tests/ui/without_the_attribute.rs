// Without `debug_handler` the compiler can only say the whole function is not a handler;
// its last note says to add the attribute.
use std::sync::Arc;

struct Db;

async fn page(_db: Arc<Db>) -> &'static str {
    "page"
}

fn main() {
    let _app = microframe::Microframe::new().get("/", page);
}
