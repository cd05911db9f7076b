//! The third-party tools some tests run (slowhttptest, a Python virtualenv with boofuzz),
//! found where `scripts/test` installs them. A missing tool fails the test with a message
//! naming `scripts/test`; it never skips.

use std::path::{Path, PathBuf};

/// The workspace's `target` directory (`CARGO_TARGET_DIR` when set).
fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The path of `command` on `PATH` (or in `/usr/bin`, `/usr/sbin`).
///
/// # Panics
/// When it is not installed: the message says to run `scripts/test`.
///
/// # Examples
/// ```
/// assert!(test_support::tools::command("sh").is_file());
/// ```
pub fn command(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{name} not found: run scripts/test, which installs it"))
}

/// The virtualenv `scripts/test` makes (`target/test-venv`, or `MICROFRAME_TEST_VENV`).
///
/// # Examples
/// ```
/// assert!(test_support::tools::venv().ends_with("test-venv"));
/// ```
pub fn venv() -> PathBuf {
    std::env::var_os("MICROFRAME_TEST_VENV").map_or_else(|| target_dir().join("test-venv"), PathBuf::from)
}

/// The virtualenv's `python`, once it can import `module`.
///
/// # Panics
/// When the virtualenv or the module is missing: the message says to run `scripts/test`.
///
/// # Examples
/// ```no_run
/// let python = test_support::tools::python_with("boofuzz");
/// ```
pub fn python_with(module: &str) -> PathBuf {
    let python = venv().join("bin/python");
    let imports = std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(imports, "{} cannot import {module}: run scripts/test, which makes the virtualenv", python.display());
    python
}
