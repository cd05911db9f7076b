//! Third-party attack tools against the step-3 server (it reads form bodies), as attackers
//! run them: slowhttptest's slow heads and slow bodies with 300 connections, closed by the
//! server's bounds while a probe is still served, and boofuzz's mutations of a request with
//! no 5xx, no dropped response and a liveness probe every 25 cases. `scripts/test` installs
//! both (Debian's slowhttptest, boofuzz in a virtualenv); without them these tests fail.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use test_support::child::ExampleServer;
use test_support::{client, tools};

const BINARY: &str = env!("CARGO_BIN_EXE_example-post-form");

/// Runs `command` to its end, killed after `limit`.
fn run_bounded(mut command: Command, limit: Duration) -> Output {
    let child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the tool");
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            if !done.load(Ordering::SeqCst) {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        })
    };
    let output = child.wait_with_output().expect("the tool's output");
    done.store(true, Ordering::SeqCst);
    drop(watchdog);
    output
}

/// While `attack` runs on another thread: a `GET /` every 500 ms, each of which must be
/// answered 200 (within the client's 10 s read bound). Returns the attack's output and the
/// number of probes answered.
async fn probed(addr: SocketAddr, attack: impl FnOnce() -> Output + Send + 'static) -> (Output, usize) {
    let attack = tokio::task::spawn_blocking(attack);
    let answered = Arc::new(AtomicUsize::new(0));
    while !attack.is_finished() {
        let reply = client::get(addr, "/").await;
        assert_eq!(reply.status, 200, "a probe during the attack");
        answered.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    (attack.await.unwrap(), answered.load(Ordering::SeqCst))
}

/// slowhttptest's CSV report: (seconds, closed, pending, connected, service available).
fn report(csv: &Path) -> Vec<[u64; 5]> {
    let text = std::fs::read_to_string(csv).expect("slowhttptest wrote its CSV report");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<u64> = line.split(',').filter_map(|field| field.trim().parse().ok()).collect();
            fields.try_into().ok()
        })
        .collect()
}

/// `slowhttptest MODE` with 300 connections for at most 40 s; its report and output.
async fn slowhttptest(server: &ExampleServer, mode: &str, extra: &[&str]) -> (Vec<[u64; 5]>, String, usize) {
    let dir =
        std::env::temp_dir().join(format!("slowhttptest-{}-{}", std::process::id(), mode.trim_start_matches('-')));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = Command::new(tools::command("slowhttptest"));
    command.current_dir(&dir).args([mode, "-c", "300", "-r", "150", "-l", "40", "-p", "3", "-g", "-o", "report"]);
    command.args(extra).arg("-u").arg(format!("http://{}/", server.addr));
    let (output, probes) = probed(server.addr, move || run_bounded(command, Duration::from_secs(60))).await;
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    let rows = report(&dir.join("report.csv"));
    let _ = std::fs::remove_dir_all(&dir);
    (rows, text, probes)
}

/// The second of the report's last row, when the tool saw its last connection closed by
/// the server (`No open connections left`); `None` when connections were still open at its
/// time limit.
fn all_closed_at(rows: &[[u64; 5]], text: &str) -> Option<u64> {
    text.contains("No open connections left").then(|| rows.last().map_or(0, |row| row[0]))
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_heads_from_300_connections_are_closed_at_the_header_bound_while_a_probe_is_served() {
    let server = ExampleServer::start(BINARY, &[]);
    // A header line of up to 24 bytes every 5 s: the head is never complete.
    let (rows, text, probes) = slowhttptest(&server, "-H", &["-i", "5", "-x", "24"]).await;
    let most = rows.iter().map(|row| row[3]).max().unwrap_or(0);
    assert!(most >= 250, "the attack held {most} connections at its peak: {text}");
    let closed =
        all_closed_at(&rows, &text).unwrap_or_else(|| panic!("the slow heads were never closed: {rows:?}\n{text}"));
    eprintln!(
        "slowhttptest -H: {most} connections at the peak, all closed by second {closed}, {probes} probes answered"
    );
    assert!((9..=20).contains(&closed), "closed by second {closed}, the header bound is 10 s: {rows:?}");
    assert!(probes >= 10, "{probes} probes answered during the attack");
    assert_eq!(client::get(server.addr, "/").await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_bodies_from_300_connections_are_cut_by_the_minimum_rate_while_a_probe_is_served() {
    let server = ExampleServer::start(BINARY, &[]);
    // `Content-Length: 8192`, then up to 10 bytes every 5 s: about 2 bytes/s, far under the
    // 500 bytes/s the server asks for after its 10 s grace.
    let (rows, text, probes) = slowhttptest(&server, "-B", &["-i", "5", "-s", "8192", "-x", "10"]).await;
    let most = rows.iter().map(|row| row[3]).max().unwrap_or(0);
    assert!(most >= 250, "the attack held {most} connections at its peak: {text}");
    let closed =
        all_closed_at(&rows, &text).unwrap_or_else(|| panic!("the slow bodies were never cut: {rows:?}\n{text}"));
    eprintln!("slowhttptest -B: {most} connections at the peak, all cut by second {closed}, {probes} probes answered");
    assert!((9..=25).contains(&closed), "cut by second {closed}, the grace is 10 s: {rows:?}");
    assert!(probes >= 10, "{probes} probes answered during the attack");
    assert_eq!(client::get(server.addr, "/").await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn boofuzz_mutations_get_no_5xx_and_no_dropped_response_and_the_server_stays_up() {
    let server = ExampleServer::start(BINARY, &[]);
    let python = tools::python_with("boofuzz");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/attack/http_fuzz.py");
    let mut command = Command::new(python);
    command.arg(script).arg(server.addr.ip().to_string()).arg(server.addr.port().to_string()).arg("3000");
    let output = tokio::task::spawn_blocking(move || run_bounded(command, Duration::from_secs(120))).await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "boofuzz found failures:\n{text}");
    assert!(text.trim_end().ends_with("cases=3000 failures=0"), "{text}");
    assert_eq!(client::get(server.addr, "/").await.status, 200);
}
