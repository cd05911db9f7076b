//! Holds no code: the integration tests of gateway-core and gateway-tower live in
//! `integration/`, one test binary with a module per area.
