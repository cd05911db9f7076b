//! Confinement: which request paths may name a file, decided on the raw path before any
//! decoding, then on the file system (the rules are in
//! [`StaticFiles`](crate::StaticFiles)'s docs).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// The relative file path a raw path names, if it passes the raw-path rules.
pub(super) fn relative_path(raw: &str) -> Option<PathBuf> {
    let rest = raw.strip_prefix('/')?;
    let mut path = PathBuf::new();
    for segment in rest.split('/') {
        let decoded = percent_decode_str(segment).decode_utf8().ok()?;
        let refused = decoded.is_empty()
            || decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '\0'])
            || segment.contains('\\');
        if refused {
            return None;
        }
        path.push(decoded.as_ref());
    }
    Some(path)
}

/// The size of the file `relative` names inside `root` (already canonical), resolved
/// through symlinks: `None` when it does not exist, leaves the directory, or is not a
/// regular file.
pub(super) async fn resolve(root: &Path, relative: &Path) -> Option<u64> {
    let real = tokio::fs::canonicalize(root.join(relative)).await.ok()?;
    if !real.starts_with(root) {
        return None;
    }
    let metadata = tokio::fs::metadata(&real).await.ok()?;
    metadata.is_file().then_some(metadata.len())
}

/// Whether every precompressed sibling of `relative` that exists (`.br`, `.gz`) passes the
/// same rules: `ServeDir` opens `x.css.gz` on its own, so a sibling that is a symlink out of
/// the directory must keep it from trying.
pub(super) async fn siblings_confined(root: &Path, relative: &Path) -> bool {
    for extension in ["br", "gz"] {
        let mut name = relative.as_os_str().to_owned();
        name.push(".");
        name.push(extension);
        let sibling = Path::new(&name);
        if tokio::fs::symlink_metadata(root.join(sibling)).await.is_ok() && resolve(root, sibling).await.is_none() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::relative_path;

    #[test]
    fn only_plain_segments_name_a_file() {
        assert_eq!(relative_path("/css/site.css").as_deref(), Some(std::path::Path::new("css/site.css")));
        assert_eq!(relative_path("/caf%C3%A9.txt").as_deref(), Some(std::path::Path::new("café.txt")));
        let refused = [
            "",
            "/",
            "css/site.css",
            "//etc/passwd",
            "/css//site.css",
            "/css/",
            "/..",
            "/../secret",
            "/a/../b",
            "/%2e%2e/secret",
            "/%2E%2e",
            "/.",
            "/%2e",
            "/a%2fb",
            "/a%2Fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/a\0b",
            "/%ff",
        ];
        for raw in refused {
            assert_eq!(relative_path(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn ten_thousand_segments_are_just_a_long_path() {
        let raw = "/a".repeat(10_000);
        assert_eq!(relative_path(&raw).map(|path| path.components().count()), Some(10_000));
    }
}
