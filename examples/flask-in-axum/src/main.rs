//! Runs the example: `VIRTUAL_ENV=target/test-venv cargo run -p example-flask-in-axum [ADDR]`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let flask = match example_flask_in_axum::flask() {
        Ok(flask) => flask,
        Err(error) => {
            eprintln!("flask-in-axum: {error}");
            return ExitCode::from(2);
        }
    };
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    match gateway_tower::serve_service(address, example_flask_in_axum::router(flask)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("flask-in-axum: {error}");
            ExitCode::FAILURE
        }
    }
}
