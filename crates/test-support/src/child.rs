//! Example binaries as child processes, on `127.0.0.1:0`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// A running example server.
#[derive(Debug)]
pub struct ExampleServer {
    child: Child,
    /// The address it printed in `Listening on http://ADDR/`.
    pub addr: SocketAddr,
    stderr: Receiver<String>,
}

impl ExampleServer {
    /// Starts `binary 127.0.0.1:0 ARGS...` and waits for its `Listening on` line.
    ///
    /// # Panics
    /// When it does not start or print that line within 30 s.
    ///
    /// # Examples
    /// ```no_run
    /// let server = test_support::child::ExampleServer::start("path/to/binary", &[]);
    /// assert!(server.addr.ip().is_loopback());
    /// ```
    pub fn start(binary: &str, args: &[&str]) -> Self {
        let mut command = Command::new(binary);
        command.arg("127.0.0.1:0").args(args);
        Self::from_command(command)
    }

    /// Starts a prepared command (its arguments, environment and working directory set by
    /// the caller; the address `127.0.0.1:0` among its arguments) and waits for its
    /// `Listening on` line.
    ///
    /// # Panics
    /// As [`start`](Self::start).
    ///
    /// # Examples
    /// ```no_run
    /// let mut command = std::process::Command::new("path/to/binary");
    /// command.arg("127.0.0.1:0").env("GUESTBOOK_DB", "guestbook.db").current_dir(std::env::temp_dir());
    /// let server = test_support::child::ExampleServer::from_command(command);
    /// # let _ = server;
    /// ```
    pub fn from_command(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the example");
        let stderr = child.stderr.take().expect("piped stderr");
        let (lines, receiver) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let first = receiver.recv_timeout(Duration::from_secs(30)).expect("a first line on stderr");
        let addr = first
            .strip_prefix("Listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("expected `Listening on http://ADDR/`, got {first:?}"));
        Self { child, addr, stderr: receiver }
    }

    /// The child's process id (for reading `/proc/<pid>/status`, say).
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    /// ```
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The child's peak resident set size (`VmHWM` of `/proc/<pid>/status`), in KiB.
    ///
    /// # Panics
    /// When the status cannot be read (not Linux, or the child is gone).
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// assert!(server.peak_rss_kib() > 0);
    /// ```
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("the child's /proc status");
        let line = status.lines().find(|line| line.starts_with("VmHWM:")).expect("a VmHWM line");
        line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).expect("VmHWM in kB")
    }

    /// The next line the server writes on stderr, within `timeout`.
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// let line = server.stderr_line(std::time::Duration::from_secs(5));
    /// ```
    pub fn stderr_line(&self, timeout: Duration) -> Option<String> {
        self.stderr.recv_timeout(timeout).ok()
    }

    /// The next access-log line, which must come within 5 s.
    ///
    /// # Panics
    /// When no line comes.
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// let line = server.access_log_line();
    /// assert!(line.starts_with("127.0.0.1 - - ["));
    /// ```
    pub fn access_log_line(&self) -> String {
        self.stderr_line(Duration::from_secs(5)).expect("an access-log line")
    }

    /// Reads the next access-log line and checks its host, request, status and size fields
    /// (`127.0.0.1 - - [time] "REQUEST" STATUS SIZE`).
    ///
    /// # Panics
    /// When no line comes or it does not match.
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// server.assert_logged("GET / HTTP/1.1", "200 12");
    /// ```
    #[track_caller]
    pub fn assert_logged(&self, request: &str, status_and_size: &str) {
        let line = self.access_log_line();
        assert!(line.starts_with("127.0.0.1 - - ["), "{line}");
        assert!(line.ends_with(&format!("] \"{request}\" {status_and_size}")), "{line}");
    }

    /// Sends SIGTERM.
    ///
    /// # Panics
    /// When the signal cannot be sent.
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// server.terminate();
    /// ```
    pub fn terminate(&self) {
        self.signal(Signal::SIGTERM);
    }

    /// Sends `signal`.
    ///
    /// # Panics
    /// When the signal cannot be sent.
    ///
    /// # Examples
    /// ```no_run
    /// # let server = test_support::child::ExampleServer::start("bin", &[]);
    /// server.signal(nix::sys::signal::Signal::SIGINT);
    /// ```
    pub fn signal(&self, signal: Signal) {
        let pid = Pid::from_raw(i32::try_from(self.child.id()).expect("a pid fits in i32"));
        kill(pid, signal).expect("send the signal");
    }

    /// Waits up to `timeout` for the process to exit; `None` if it is still running.
    ///
    /// # Examples
    /// ```no_run
    /// # let mut server = test_support::child::ExampleServer::start("bin", &[]);
    /// server.terminate();
    /// assert!(server.wait(std::time::Duration::from_secs(2)).is_some_and(|status| status.success()));
    /// ```
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for ExampleServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
