//! Runs the step-0 app: `cargo run -p example-hello-gateway [ADDR]`.

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    gateway_tower::serve(address, example_hello_gateway::app).await
}
// ANCHOR_END: main
