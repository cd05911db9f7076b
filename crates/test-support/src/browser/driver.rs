//! Finding the binaries, the throw-away profile directory, and the chromedriver child.

use std::ffi::OsStr;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::BrowserError;

/// How long chromedriver may take to listen on its port.
const DRIVER_START: Duration = Duration::from_secs(20);

/// The directories searched for a binary: those of `path` (a `PATH`-style list), then `/usr/bin`.
pub(super) fn search_dirs(path: Option<&OsStr>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = path.map(|path| std::env::split_paths(path).collect()).unwrap_or_default();
    dirs.push(PathBuf::from("/usr/bin"));
    dirs
}

/// The first executable file named `tool` in `dirs`, or [`BrowserError::NotFound`].
pub(super) fn locate(tool: &'static str, dirs: &[PathBuf]) -> Result<PathBuf, BrowserError> {
    dirs.iter()
        .map(|dir| dir.join(tool))
        .find(|candidate| {
            candidate.metadata().is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
        .ok_or(BrowserError::NotFound { tool })
}

/// A fresh, empty directory under the system temp dir, removed (with its contents) on drop.
#[derive(Debug)]
pub(super) struct TempDir {
    pub(super) path: PathBuf,
}

impl TempDir {
    pub(super) fn new() -> Result<Self, BrowserError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!("microframe-browser-{}-{n}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Self { path }),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(BrowserError::Start(format!("create {}: {error}", path.display()))),
            }
        }
        Err(BrowserError::Start("no free temp directory name".into()))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Chromium's last processes may still be writing for a moment after the kill.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.path).is_ok() || !self.path.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// chromedriver on a loopback port, in a process group of its own so that dropping it kills
/// chromedriver and the Chromium it started, also when a test panics.
#[derive(Debug)]
pub(super) struct Driver {
    child: Child,
    pub(super) addr: SocketAddr,
}

impl Driver {
    /// Starts `chromedriver --port=N` on a free port (trying a few, in case another test takes
    /// the one picked) and waits until it accepts connections.
    pub(super) async fn start(chromedriver: &Path, log: &Path) -> Result<Self, BrowserError> {
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .map_err(|error| BrowserError::Start(format!("spawn {}: {error}", chromedriver.display())))?;
            let mut driver = Self { child, addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)) };
            match driver.wait_until_listening().await {
                Ok(()) => return Ok(driver),
                Err(error) => last_error = error,
            }
        }
        let log = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        Err(BrowserError::Start(format!("chromedriver: {last_error}; its log ends: {:?}", tail)))
    }

    async fn wait_until_listening(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + DRIVER_START;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("exited with {status} before listening on {}", self.addr));
            }
            if tokio::net::TcpStream::connect(self.addr).await.is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("not listening on {} after {DRIVER_START:?}", self.addr));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The child has not been reaped yet, so its pid (= its group id) cannot have been reused.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, BrowserError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|error| BrowserError::Start(format!("find a free port: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_binary_names_the_script_that_installs_it() {
        let empty = TempDir::new().unwrap();
        let error = locate("chromium", std::slice::from_ref(&empty.path)).unwrap_err();
        assert_eq!(error, BrowserError::NotFound { tool: "chromium" });
        assert_eq!(
            error.to_string(),
            "chromium not found: run scripts/test, which installs it (apt-get install chromium chromium-driver)"
        );
        let error = locate("chromedriver", &[]).unwrap_err();
        assert!(error.to_string().starts_with("chromedriver not found: run scripts/test"), "{error}");
    }

    #[test]
    fn only_an_executable_file_counts() {
        let dir = TempDir::new().unwrap();
        let tool = dir.path.join("chromium");
        std::fs::write(&tool, "#!/bin/sh\n").unwrap();
        assert!(locate("chromium", std::slice::from_ref(&dir.path)).is_err(), "not executable yet");
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(locate("chromium", std::slice::from_ref(&dir.path)).unwrap(), tool);
        std::fs::create_dir(dir.path.join("chromedriver")).unwrap();
        assert!(locate("chromedriver", std::slice::from_ref(&dir.path)).is_err(), "a directory is no binary");
    }

    #[test]
    fn path_comes_first_then_usr_bin() {
        let dirs = search_dirs(Some(OsStr::new("/opt/a:/opt/b")));
        assert_eq!(dirs, [PathBuf::from("/opt/a"), PathBuf::from("/opt/b"), PathBuf::from("/usr/bin")]);
        assert_eq!(search_dirs(None), [PathBuf::from("/usr/bin")]);
    }

    #[test]
    fn a_temp_dir_is_removed_on_drop() {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path.join("file"), "x").unwrap();
        let path = dir.path.clone();
        drop(dir);
        assert!(!path.exists());
    }
}
