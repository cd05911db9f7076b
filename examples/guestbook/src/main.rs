//! Runs the guestbook: `cargo run -p example-guestbook [ADDR]` (settings from `GUESTBOOK_DB`,
//! `GUESTBOOK_SECRET_KEY`, `GUESTBOOK_STATIC`; see the crate docs).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match example_guestbook::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("guestbook: {error}");
            return ExitCode::from(2);
        }
    };
    let app = match example_guestbook::open(&config).await {
        Ok(app) => app,
        Err(error) => {
            eprintln!("guestbook: cannot open {}: {error}", config.database.display());
            return ExitCode::FAILURE;
        }
    };
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8051".to_owned());
    match gateway_tower::serve(address, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("guestbook: {error}");
            ExitCode::FAILURE
        }
    }
}
