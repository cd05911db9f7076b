//! A graceful restart on an inherited socket: the test holds the listening socket (as
//! systemd or `systemfd` would), starts a second guestbook on it, sends SIGTERM to the first,
//! and clients that open a new connection for every request the whole time, with no
//! retries, see no error.

use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use command_fds::{CommandFdExt, FdMapping};
use test_support::child::ExampleServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{KEY, Scratch};

const BINARY: &str = env!("CARGO_BIN_EXE_example-guestbook");
/// Clients sending at once, each one request at a time on a new connection.
const CLIENTS: usize = 4;

/// A guestbook on the socket `listener`, passed as fd 3 with `LISTEN_FDS=1`.
fn start_on(listener: &std::net::TcpListener, scratch: &Scratch) -> ExampleServer {
    let mut command = Command::new(BINARY);
    command
        .arg("127.0.0.1:1") // not bound: the inherited socket is used
        .env("GUESTBOOK_DB", scratch.db())
        .env("GUESTBOOK_SECRET_KEY", KEY)
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .env_remove("GUESTBOOK_STATIC");
    let fd = OwnedFd::from(listener.try_clone().expect("dup the listening socket"));
    command.fd_mappings(vec![FdMapping { parent_fd: fd, child_fd: 3 }]).expect("fd 3 for the child");
    ExampleServer::from_command(command)
}

/// One `GET /api/entries` on a new connection; `Err` with what went wrong.
async fn one_request(addr: SocketAddr) -> Result<(), String> {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.map_err(|error| format!("connect: {error}"))?;
        let head = format!("GET /api/entries HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await.map_err(|error| format!("write: {error}"))?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.map_err(|error| format!("read: {error}"))?;
        let answer = String::from_utf8_lossy(&answer);
        if answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.ends_with(']') {
            Ok(())
        } else {
            Err(format!("answer: {answer:?}"))
        }
    };
    tokio::time::timeout(Duration::from_secs(10), exchange).await.unwrap_or_else(|_| Err("timed out".to_owned()))
}

/// Access-log lines of `GET /api/entries` the server has written so far.
fn served(server: &ExampleServer) -> usize {
    std::iter::from_fn(|| server.stderr_line(Duration::from_millis(50)))
        .filter(|line| line.contains("\"GET /api/entries HTTP/1.1\" 200"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_on_the_inherited_socket_loses_no_request() {
    let scratch = Scratch::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the socket the servers inherit");
    let addr = listener.local_addr().unwrap();
    let mut old = start_on(&listener, &scratch);
    assert_eq!(old.addr, addr, "the server listens on the inherited socket");

    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                let (mut sent, mut errors) = (0_u64, Vec::new());
                while !stop.load(Ordering::Relaxed) {
                    sent += 1;
                    if let Err(error) = one_request(addr).await {
                        errors.push(error);
                    }
                }
                (sent, errors)
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(1)).await;
    let new = start_on(&listener, &scratch);
    tokio::time::sleep(Duration::from_millis(500)).await;
    old.terminate();
    let status = old.wait(Duration::from_secs(15)).expect("the old server exits after SIGTERM");
    assert_eq!(status.code(), Some(0), "a graceful stop");
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);

    let (mut sent, mut errors) = (0, Vec::new());
    for client in clients {
        let (client_sent, client_errors) = client.await.unwrap();
        sent += client_sent;
        errors.extend(client_errors);
    }
    let (by_old, by_new) = (served(&old), served(&new));
    println!(
        "restart under load: {sent} requests sent, {} errors; the old process served {by_old}, the new {by_new}",
        errors.len()
    );
    assert!(errors.is_empty(), "{} of {sent} requests failed, the first: {:?}", errors.len(), errors.first());
    assert!(by_old > 0 && by_new > 0, "both processes served: {by_old} and {by_new}");
    assert_eq!(by_old + by_new, usize::try_from(sent).unwrap(), "every request was answered by one of them");
    drop(new);
}
