//! Links the binary to the interpreter gateway-python was built against (its `rpath.rs`).

include!("../../crates/gateway-python/rpath.rs");

fn main() {
    link_libpython_rpath();
}
