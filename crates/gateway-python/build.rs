//! Links the binary and the tests to the interpreter they were built against (`rpath.rs`).

include!("rpath.rs");

fn main() {
    link_libpython_rpath();
}
