# The one command surface. `just` lists the recipes; `just ci` is exactly what CI runs.

# List the recipes.
default:
    @just --list

# Format every crate.
fmt:
    cargo fmt --all

# Lint every target; warnings are errors.
clippy:
    cargo clippy --workspace --all-targets --locked -- -D warnings

# Install what the tests need, then run every test, doc tests included (the README's test command).
test:
    scripts/test

# Build the docs; warnings are errors.
doc:
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

# Build the guide (docs/guide, mdBook) into target/guide; installs mdBook when missing.
guide:
    scripts/guide build

# Preview the guide on http://127.0.0.1:3000/, rebuilt on every change.
guide-serve:
    scripts/guide serve

# Load-test microframe against bare hyper, axum and actix-web (bench/run.sh; env vars in bench/README.md).
bench:
    bash bench/run.sh

# Micro-benchmarks of the hot pieces (divan): environ, router, MultiDict, Query, template.
bench-micro:
    cargo bench -p microframe --bench hot_paths

# Soak: 5 minutes at c256 against the bench server and the guestbook, RSS sampled (bench/soak.sh).
soak:
    bash bench/soak.sh

# Fuzz every parser (fuzz/run.sh; RUNS=10000000 each by default; needs `cargo install cargo-fuzz --locked`).
fuzz:
    bash fuzz/run.sh

# Run exactly what CI runs.
ci:
    bash .ci/run
