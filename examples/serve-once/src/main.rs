//! Runs the step-8 app once: `cargo run -p example-serve-once [ADDR]`; exits after the
//! first complete response.

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    gateway_tower::serve(address, example_serve_once::app).once().await
}
// ANCHOR_END: main
