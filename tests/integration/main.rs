//! Integration tests of gateway-core and gateway-tower, one module per area.

mod common;

mod access_log;
mod contract;
mod environ;
mod framing;
mod input;
mod limits;
mod panics;
mod response;
mod shutdown;
mod timeouts;
mod tower_app;
mod validate;
