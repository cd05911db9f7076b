//! Fuzzes `fuzz_checks::environ` (its invariants are in that crate's docs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::environ(data));
