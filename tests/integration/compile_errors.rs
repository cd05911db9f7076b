//! Compile errors that point at the mistake: each of `tests/ui/*.rs` is a handler with one
//! mistake, and its `.stderr` file the compiler's message, pinned (trybuild). With
//! `#[microframe::debug_handler]` each message names the argument, return type or `.await`
//! at fault and says what to use instead; without it, the message says to add it.
//! `TRYBUILD=overwrite cargo test -p integration-tests --test integration -- compile_errors`
//! rewrites the `.stderr` files after a deliberate change (read the diff).

#[test]
fn each_mistake_names_the_argument_at_fault() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
