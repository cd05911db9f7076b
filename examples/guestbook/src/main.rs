//! Runs the guestbook: `cargo run -p example-guestbook [ADDR]` (settings from `GUESTBOOK_DB`,
//! `GUESTBOOK_SECRET_KEY`, `GUESTBOOK_STATIC`, `FORWARDED_ALLOW_IPS`; see the crate docs).
//! It listens on the socket it inherits (`LISTEN_FDS`: systemd, `systemfd`) when it has
//! one, else on ADDR (`127.0.0.1:8051`).

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
    // ANCHOR: serve
    let listen = match gateway_tower::Listen::inherited_or(address) {
        Ok(listen) => listen,
        Err(error) => {
            eprintln!("guestbook: the inherited socket (LISTEN_FDS) cannot be used: {error}");
            return ExitCode::from(2);
        }
    };
    let mut server = gateway_tower::serve(listen, app);
    if let Some(proxy) = config.proxy {
        server = server.proxy_headers(proxy);
    }
    // ANCHOR_END: serve
    match server.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("guestbook: {error}");
            ExitCode::FAILURE
        }
    }
}
