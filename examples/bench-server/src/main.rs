//! `example-bench-server hello|query|post PORT`: listens on 127.0.0.1:PORT, access log off.
//!
//! The tokio runtime's default worker count follows the CPU mask (`taskset`), like the
//! peers'.

use std::process::ExitCode;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let usage = "usage: example-bench-server hello|query|post PORT";
    let mut args = std::env::args().skip(1);
    let (Some(mode), Some(port)) = (args.next(), args.next().and_then(|p| p.parse::<u16>().ok())) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Some(app) = example_bench_server::app(&mode) else {
        eprintln!("unknown mode {mode:?}; {usage}");
        return ExitCode::from(2);
    };
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match gateway_tower::serve(address, app).access_log(false).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("example-bench-server: {error}");
            ExitCode::FAILURE
        }
    }
}
