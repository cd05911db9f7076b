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
async fn behind_a_trusted_proxy_the_line_shows_the_client() {
    let server = ExampleServer::start(PROBE, &["--trust-proxy", "127.0.0.1"]);
    let mut request = test_support::in_process::get("/via-proxy");
    request.headers_mut().insert("x-forwarded-for", "10.9.8.7, 203.0.113.9".parse().unwrap());
    assert_eq!(client::send(server.addr, request).await.status, 200);
    let line = server.stderr_line(LINE_WAIT).expect("an access-log line");
    let rest = line.strip_prefix("203.0.113.9 - - [").unwrap_or_else(|| panic!("the client's address: {line}"));
    assert!(rest.ends_with("] \"GET /via-proxy HTTP/1.1\" 200 14"), "{line}");
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

/// With a descriptor limit of 32 the connection cap is 16 (the limit less a reserve of 16,
/// so accepting never runs out of descriptors): of 64 connections held open, each with a
/// request, every one is answered; to make room, idle ones are closed, oldest first and
/// cleanly (EOF after their response, never a hang), and the server keeps serving. Before
/// the cap, the accept loop ran out of descriptors and some held connections waited
/// unanswered in the backlog.
#[tokio::test(flavor = "multi_thread")]
async fn with_few_descriptors_every_held_connection_is_answered_and_the_oldest_idle_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const HELD: usize = 64;
    const CAP: usize = 32 - 16;

    let mut server = ExampleServer::start(PROBE, &["--no-access-log", "--max-fds", "32"]);
    let mut held = Vec::new();
    for _ in 0..HELD {
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect: the backlog holds 1024");
        stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await.expect("write");
        held.push(stream);
    }
    let mut reads = tokio::task::JoinSet::new();
    for (index, mut stream) in held.into_iter().enumerate() {
        reads.spawn(async move {
            let mut received = Vec::new();
            let mut buffer = [0; 1024];
            let answered = tokio::time::timeout(Duration::from_secs(10), async {
                while !received.ends_with(b"run_once=false") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return false,
                        Ok(n) => received.extend_from_slice(&buffer[..n]),
                    }
                }
                received.starts_with(b"HTTP/1.1 200")
            });
            let answered = answered.await.unwrap_or(false);
            // Then either closed to make room (EOF, soon) or still open and idle.
            let closed =
                matches!(tokio::time::timeout(Duration::from_secs(3), stream.read(&mut buffer)).await, Ok(Ok(0)));
            (index, answered, closed, stream)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(outcome) = reads.join_next().await {
        outcomes.push(outcome.expect("a read task"));
    }
    outcomes.sort_by_key(|(index, ..)| *index);
    let unanswered: Vec<usize> = outcomes.iter().filter(|(_, answered, ..)| !answered).map(|(i, ..)| *i).collect();
    assert!(unanswered.is_empty(), "every held connection is answered; not these: {unanswered:?}");
    let closed: Vec<usize> = outcomes.iter().filter(|(_, _, closed, _)| *closed).map(|(i, ..)| *i).collect();
    assert_eq!(closed.len(), HELD - CAP, "the cap is 16: all but 16 closed to make room ({closed:?})");
    assert!(closed.contains(&0) && !closed.contains(&(HELD - 1)), "the oldest go first: {closed:?}");
    assert!(server.wait(Duration::from_millis(10)).is_none(), "the server is still running");
    let reply = tokio::time::timeout(Duration::from_secs(10), client::get(server.addr, "/after"))
        .await
        .expect("a new request is served while the survivors stay open");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "run_once=false");
    drop(outcomes);
}

#[tokio::test(flavor = "multi_thread")]
async fn quotes_and_backslashes_in_the_target_are_escaped_in_the_log() {
    let server = ExampleServer::start(PROBE, &[]);
    let reply = client::raw(server.addr, b"GET /a\"b\"-\"x\\y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let line = server.access_log_line();
    assert!(clf_after_time(&line).starts_with("\"GET /a\\x22b\\x22-\\x22x\\x5Cy HTTP/1.1\" 200 "), "{line}");
}
