// A type of the app's own that is no extractor: the error is on `Visitor`.
struct Visitor {
    _name: String,
}

#[microframe::debug_handler]
async fn greet(visitor: Visitor) -> String {
    format!("Hello {}", visitor._name)
}

fn main() {}
