//! Integration tests of gateway-core and gateway-tower, one module per area.
