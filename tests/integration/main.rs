//! Integration tests of gateway-core, gateway-tower and microframe, one module per area
//! (microframe's live under `microframe_tests/`).

mod common;

mod abuse;
mod access_log;
mod axum_tests;
mod compile_errors;
mod contract;
mod environ;
mod framing;
mod fuzz_regressions;
mod input;
mod limits;
mod listen;
mod logging;
mod memory_static;
mod memory_upload;
mod microframe_tests;
mod panics;
mod proxy_headers;
mod response;
mod shutdown;
mod shutdown_load;
mod timeouts;
mod tower_app;
mod validate;
