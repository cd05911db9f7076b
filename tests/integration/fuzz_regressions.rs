//! Every input the fuzzers kept (`fuzz/regressions/<check>/`, the crashes found and fixed,
//! and `fuzz/seeds/<check>/`, the hand-written starting points) replayed through its check
//! on every `cargo test`, and one fuzz target per check.

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files under `fuzz/<kind>/<check>/`, sorted (none when the folder does not exist).
fn inputs(kind: &str, check: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(check)) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|path| path.is_file()).collect();
    files.sort();
    files
}

#[test]
fn every_kept_input_passes_its_check() {
    let mut replayed = 0;
    for (name, check) in fuzz_checks::CHECKS {
        for file in inputs("regressions", name).into_iter().chain(inputs("seeds", name)) {
            let data = std::fs::read(&file).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
                panic!("{}: {}", file.display(), gateway_core::panic_message(&*panic));
            }
            replayed += 1;
        }
    }
    assert!(replayed >= fuzz_checks::CHECKS.len(), "every check has at least one seed; replayed {replayed}");
}

#[test]
fn every_check_has_its_fuzz_target_and_seeds() {
    for (name, _) in fuzz_checks::CHECKS {
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let source = std::fs::read_to_string(&target).unwrap_or_else(|_| panic!("no fuzz target {}", target.display()));
        assert!(source.contains(&format!("fuzz_checks::{name}(data)")), "{} fuzzes another check", target.display());
        assert!(!inputs("seeds", name).is_empty(), "no seed in fuzz/seeds/{name}/");
    }
}
