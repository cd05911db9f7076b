//! The access log, serve-once and SIGTERM, on a child process (`probe_server`), since the
//! log is the process's stderr and the other two end the process.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use test_support::child::ExampleServer;
use test_support::client;

const PROBE: &str = env!("CARGO_BIN_EXE_probe_server");

/// How long a test waits for a line that must come.
const LINE_WAIT: Duration = Duration::from_secs(5);

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Checks `127.0.0.1 - - [dd/Mon/yyyy:HH:MM:SS +0000] "<request>" <rest>` and that the
/// time is now, in UTC; returns the part after the time (`"<request>" <status> <bytes>`).
fn clf_after_time(line: &str) -> &str {
    let rest = line.strip_prefix("127.0.0.1 - - [").unwrap_or_else(|| panic!("host and identity: {line}"));
    let (time, rest) = rest.split_at_checked(26).unwrap_or_else(|| panic!("a time: {line}"));
    let rest = rest.strip_prefix("] ").unwrap_or_else(|| panic!("a closing bracket after the time: {line}"));
    let b = time.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> u64 {
        let text = &time[range];
        assert!(text.bytes().all(|c| c.is_ascii_digit()), "digits in {time:?}");
        text.parse().unwrap_or_default()
    };
    assert_eq!((b[2], b[6], b[11], b[14], b[17]), (b'/', b'/', b':', b':', b':'), "{time}");
    assert_eq!(&time[20..], " +0000", "UTC: {time}");
    let month = MONTHS.iter().position(|m| *m == &time[3..6]).unwrap_or_else(|| panic!("a month name: {time}")) as u64;
    let (day, year) = (digits(0..2), digits(7..11));
    let seconds =
        days_from_civil(year, month + 1, day) * 86_400 + digits(12..14) * 3600 + digits(15..17) * 60 + digits(18..20);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    assert!(now.abs_diff(seconds) < 120, "the logged time {time} is now, in UTC");
    rest
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let yoe = year - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[test]
fn days_from_civil_knows_the_epoch_and_a_leap_day() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2024, 2, 29) * 86_400, 1_709_164_800);
}

#[tokio::test(flavor = "multi_thread")]
async fn log_line_is_common_log_format() {
    let server = ExampleServer::start(PROBE, &[]);
    let reply = client::get(server.addr, "/x?y=1").await;
    assert_eq!(reply.text(), "run_once=false");
    let line = server.stderr_line(LINE_WAIT).expect("an access-log line");
    assert_eq!(clf_after_time(&line), "\"GET /x?y=1 HTTP/1.1\" 200 14");
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_byte_bodies_are_logged_as_a_dash() {
    let server = ExampleServer::start(PROBE, &[]);
    assert_eq!(client::get(server.addr, "/empty").await.body.len(), 0);
    let line = server.stderr_line(LINE_WAIT).expect("a line for /empty");
    assert_eq!(clf_after_time(&line), "\"GET /empty HTTP/1.1\" 200 -");
    let head = client::raw(server.addr, b"HEAD /h HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let line = server.stderr_line(LINE_WAIT).expect("a line for HEAD");
    assert_eq!(clf_after_time(&line), "\"HEAD /h HTTP/1.1\" 200 -", "HEAD sends no body bytes");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_access_log_writes_no_line() {
    let server = ExampleServer::start(PROBE, &["--no-access-log"]);
    assert_eq!(client::get(server.addr, "/quiet").await.status, 200);
    assert_eq!(server.stderr_line(Duration::from_secs(1)), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn host_rule_400_is_logged_but_hyper_own_refusals_are_not() {
    let server = ExampleServer::start(PROBE, &[]);
    let malformed = client::raw(server.addr, b"GET /bad HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n").await;
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");
    let long_target = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "t".repeat(70_000));
    assert!(client::raw(server.addr, long_target.as_bytes()).await.starts_with("HTTP/1.1 414"));
    let no_host = client::raw(server.addr, b"GET /nohost HTTP/1.1\r\n\r\n").await;
    assert!(no_host.starts_with("HTTP/1.1 400"), "{no_host}");
    assert!(no_host.ends_with("\r\n\r\nBad Request"), "{no_host}");
    let line = server.stderr_line(LINE_WAIT).expect("a line for the Host-rule 400");
    assert_eq!(clf_after_time(&line), "\"GET /nohost HTTP/1.1\" 400 11", "the first line is the Host-rule 400");
}

#[tokio::test(flavor = "multi_thread")]
async fn once_mode_serves_one_response_then_exits_0() {
    let mut server = ExampleServer::start(PROBE, &["--once"]);
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.text(), "run_once=true");
    let status = server.wait(LINE_WAIT).expect("exits after one response");
    assert!(status.success(), "{status}");
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err(), "nothing listens any more");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_exits_0_even_with_an_idle_connection_open() {
    let mut server = ExampleServer::start(PROBE, &["--no-access-log"]);
    let mut idle = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    tokio::io::AsyncWriteExt::write_all(&mut idle, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("write");
    let mut first = [0_u8; 12];
    tokio::io::AsyncReadExt::read_exact(&mut idle, &mut first).await.expect("a response");
    assert_eq!(&first, b"HTTP/1.1 200");
    server.terminate();
    let status = server.wait(LINE_WAIT).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

/// With its descriptors used up, the server keeps running (accept errors are retried after
/// a pause, not fatal) and serves again once connections close.
#[tokio::test(flavor = "multi_thread")]
async fn the_accept_loop_survives_running_out_of_descriptors() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut server = ExampleServer::start(PROBE, &["--no-access-log", "--max-fds", "32"]);
    let mut held = Vec::new();
    for _ in 0..64 {
        let Ok(mut stream) = tokio::net::TcpStream::connect(server.addr).await else { break };
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await;
        held.push(stream);
    }
    // Connections the server could accept are answered; the rest wait in the backlog.
    let mut reads = tokio::task::JoinSet::new();
    for mut stream in held {
        reads.spawn(async move {
            let mut buffer = [0; 16];
            let read = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer)).await;
            let answered = matches!(read, Ok(Ok(n)) if buffer[..n].starts_with(b"HTTP/1.1 200"));
            (stream, answered)
        });
    }
    let mut held = Vec::new();
    let mut answered = 0;
    while let Some(Ok((stream, was_answered))) = reads.join_next().await {
        answered += usize::from(was_answered);
        held.push(stream);
    }
    assert!(answered > 0 && answered < held.len(), "the limit was reached: {answered} of {}", held.len());
    assert!(server.wait(Duration::from_millis(10)).is_none(), "the server is still running");
    drop(held);
    let reply = tokio::time::timeout(Duration::from_secs(10), client::get(server.addr, "/after"))
        .await
        .expect("served again within 10 s");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "run_once=false");
}

#[tokio::test(flavor = "multi_thread")]
async fn quotes_and_backslashes_in_the_target_are_escaped_in_the_log() {
    let server = ExampleServer::start(PROBE, &[]);
    let reply = client::raw(server.addr, b"GET /a\"b\"-\"x\\y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let line = server.access_log_line();
    assert!(clf_after_time(&line).starts_with("\"GET /a\\x22b\\x22-\\x22x\\x5Cy HTTP/1.1\" 200 "), "{line}");
}
