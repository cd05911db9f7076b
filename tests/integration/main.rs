//! Integration tests of gateway-core and gateway-tower, one module per area.

mod common;

mod contract;
mod tower_app;
mod validate;
