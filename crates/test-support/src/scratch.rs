//! A directory of a test's own, removed when dropped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A new, empty directory under the system's temporary directory, unique to the process
/// and the call, removed (with what is in it) when dropped.
///
/// # Examples
/// ```
/// let scratch = test_support::Scratch::new("doc");
/// std::fs::write(scratch.join("a.txt"), "a").unwrap();
/// assert!(scratch.path().join("a.txt").is_file());
/// ```
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new directory whose name starts with `label`.
    ///
    /// # Panics
    /// When it cannot be made.
    ///
    /// # Examples
    /// See [`Scratch`].
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("make the scratch directory");
        Self(dir)
    }

    /// The directory.
    ///
    /// # Examples
    /// See [`Scratch`].
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    ///
    /// # Examples
    /// See [`Scratch`].
    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
