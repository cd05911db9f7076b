//! Runs the step-6 app: `cargo run -p example-tiny-framework [ADDR]`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    gateway_tower::serve(address, example_tiny_framework::app()).await
}
