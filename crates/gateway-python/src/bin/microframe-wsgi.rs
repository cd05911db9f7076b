//! `microframe-wsgi [--threads N] [--no-access-log] MODULE:CALLABLE [ADDR]`: serves a Python
//! WSGI app on `gateway_tower::serve` (default address `127.0.0.1:8051`), with the
//! examples' common rules: `Listening on http://ADDR/` and the access log on stderr, SIGINT
//! and SIGTERM stop it with exit code 0. A module or callable that cannot be loaded: one
//! line on stderr, exit code 2.
//!
//! The runtime: where the process may run on one CPU only (its affinity mask, as `taskset`
//! or a container's CPU limit sets it) and `TOKIO_WORKER_THREADS` is not set, a
//! current-thread runtime, since a work-stealing scheduler with one worker only costs (about
//! 5 % of the CPU a request, measured in BENCHMARKS.md); otherwise tokio's multi-thread
//! runtime, one worker per CPU.

use std::process::ExitCode;

/// See the `mimalloc` feature in this crate's `Cargo.toml`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: microframe-wsgi [--threads N] [--no-access-log] MODULE:CALLABLE [ADDR]";

fn main() -> ExitCode {
    let one_cpu = std::thread::available_parallelism().is_ok_and(|cpus| cpus.get() == 1)
        && std::env::var_os("TOKIO_WORKER_THREADS").is_none();
    let mut runtime = if one_cpu {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    match runtime.enable_all().build() {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("microframe-wsgi: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut threads, mut access_log, mut positional) = (default_threads(), true, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => match args.next().and_then(|n| n.parse().ok()).filter(|&n: &usize| n > 0) {
                Some(n) => threads = n,
                None => return usage("--threads takes a positive number"),
            },
            "--no-access-log" => access_log = false,
            flag if flag.starts_with("--") => return usage(&format!("unknown option {flag}")),
            _ => positional.push(arg),
        }
    }
    let (spec, address) = match positional.as_slice() {
        [spec] => (spec.clone(), "127.0.0.1:8051".to_owned()),
        [spec, address] => (spec.clone(), address.clone()),
        _ => return usage("one MODULE:CALLABLE, then an optional address"),
    };
    let app = match gateway_python::PythonApp::load(&spec, threads) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("microframe-wsgi: {error}");
            return ExitCode::from(2);
        }
    };
    match gateway_tower::serve(address, app).access_log(access_log).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("microframe-wsgi: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Two Python threads per core (gunicorn's gthread advice), as the runtime counts cores.
fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| 2 * cores.get())
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("microframe-wsgi: {problem}\n{USAGE}");
    ExitCode::from(2)
}
