// A `serde_json::Value` returned as it is: the error is on the return type, and says `Json(value)`.
#[microframe::debug_handler]
async fn api() -> serde_json::Value {
    serde_json::json!({"ok": true})
}

fn main() {}
