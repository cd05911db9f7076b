//! Integration tests of gateway-core and gateway-tower, one module per area.

mod common;

mod contract;
mod environ;
mod framing;
mod input;
mod panics;
mod response;
mod tower_app;
mod validate;
