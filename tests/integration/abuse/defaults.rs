//! The defaults are what the limits table of gateway-tower's `server` docs says, for
//! `serve` and for `serve_service` alike: the constants, and what a builder left alone
//! holds. (The cases in the other files set short limits, so that they run in seconds; the
//! listen backlog's default is also tested over sockets, in `cap`.)

use std::time::Duration;

use gateway_core::{Environ, Response, StartResponse};
use gateway_tower::server::{
    DEFAULT_BODY_RATE_GRACE, DEFAULT_LISTEN_BACKLOG, DEFAULT_MAX_BUFFER_SIZE, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MIN_BODY_RATE, DEFAULT_WRITE_TIMEOUT, SHED_HEADS_AFTER,
};

async fn ok(_: Environ, start: StartResponse) -> Response {
    start.start(http::StatusCode::OK, ()).body("ok")
}

/// Checks `field: value` in the configuration of a default `serve` and `serve_service`.
fn assert_default(field: &str, value: &str) {
    let served = format!("{:?}", gateway_tower::serve("127.0.0.1:0", ok));
    let service = format!("{:?}", gateway_tower::serve_service("127.0.0.1:0", gateway_tower::GatewayService::new(ok)));
    for (which, config) in [("serve", served), ("serve_service", service)] {
        assert!(config.contains(&format!(" {field}: {value},")), "{which}: {field} should be {value}: {config}");
    }
}

#[test]
fn the_minimum_body_rate_is_500_bytes_a_second_after_a_10_s_grace() {
    assert_eq!((DEFAULT_MIN_BODY_RATE, DEFAULT_BODY_RATE_GRACE), (500, Duration::from_secs(10)));
    assert_default("min_body_rate", "Some(500)");
    assert_default("body_rate_grace", "10s");
}

#[test]
fn the_body_no_progress_timeout_is_30_s() {
    assert_eq!(gateway_tower::DEFAULT_BODY_READ_TIMEOUT, Duration::from_secs(30));
    assert_default("body_read_timeout", "Some(30s)");
}

#[test]
fn the_write_timeout_is_30_s() {
    assert_eq!(DEFAULT_WRITE_TIMEOUT, Duration::from_secs(30));
    assert_default("write_timeout", "Some(30s)");
}

#[test]
fn the_buffer_bound_is_256_kib() {
    assert_eq!(DEFAULT_MAX_BUFFER_SIZE, 256 * 1024);
    assert_default("max_buffer_size", "262144");
}

#[test]
fn the_connection_cap_is_10_000_with_a_backlog_of_1024_and_heads_shed_after_1_s() {
    assert_eq!((DEFAULT_MAX_CONNECTIONS, DEFAULT_LISTEN_BACKLOG), (10_000, 1024));
    assert_eq!(SHED_HEADS_AFTER, Duration::from_secs(1));
    assert_default("max_connections", "10000");
    assert_default("listen_backlog", "1024");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cap_in_force_is_10_000_or_what_the_descriptor_limit_leaves_after_a_reserve() {
    let (soft, _hard) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).expect("the limit");
    let soft = usize::try_from(soft).unwrap_or(usize::MAX);
    let expected = DEFAULT_MAX_CONNECTIONS.min(soft - (soft / 8).max(16));
    let server = gateway_tower::serve("127.0.0.1:0", ok).with_graceful_shutdown(async {}).bind().await.expect("bind");
    assert_eq!(server.max_connections(), expected, "RLIMIT_NOFILE {soft}");
    let lowered = gateway_tower::serve("127.0.0.1:0", ok).max_connections(7).with_graceful_shutdown(async {});
    assert_eq!(lowered.bind().await.expect("bind").max_connections(), 7, "a lower setting is kept");
}
