//! Runs the interop example: `cargo run -p example-with-axum [ADDR]`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    gateway_tower::serve_service(address, example_with_axum::router()).await
}
