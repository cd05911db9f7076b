// A route parameter type no converter gives: the error is on `Path<u32>`, and says `i64`.
use microframe::Path;

#[microframe::debug_handler]
async fn item(Path(id): Path<u32>) -> String {
    format!("Item {id}")
}

fn main() {}
