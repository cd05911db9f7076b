//! Runs the interop example: `cargo run -p example-with-axum [ADDR]` (the guestbook's
//! settings from the `GUESTBOOK_*` variables, as in `examples/guestbook`).

use std::process::ExitCode;

// ANCHOR: main
#[tokio::main]
async fn main() -> ExitCode {
    let guestbook = match example_guestbook::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("with-axum: {error}");
            return ExitCode::from(2);
        }
    };
    let router = match example_with_axum::router(&guestbook).await {
        Ok(router) => router,
        Err(error) => {
            eprintln!("with-axum: cannot open {}: {error}", guestbook.database.display());
            return ExitCode::FAILURE;
        }
    };
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    match gateway_tower::serve_service(address, router).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("with-axum: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
