//! Fuzzes `fuzz_checks::multipart` (its invariants are in that crate's docs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::multipart(data));
