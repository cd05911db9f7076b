//! Where a server listens: `SO_REUSEPORT` lets two servers share a port, and only when both
//! ask (the inherited socket is tested with the guestbook's restart, on real processes).

use gateway_core::{Environ, Response, StartResponse};
use http::StatusCode;

async fn hello(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, ()).body("hello")
}

#[tokio::test]
async fn two_servers_share_a_port_with_reuse_port_and_only_then() {
    let first = gateway_tower::serve("127.0.0.1:0", hello).reuse_port(true).access_log(false).bind().await.unwrap();
    let address = first.local_addr().to_string();
    let refused = gateway_tower::serve(address.clone(), hello).access_log(false).bind().await;
    assert_eq!(refused.unwrap_err().kind(), std::io::ErrorKind::AddrInUse, "without reuse_port the port is taken");
    let second = gateway_tower::serve(address.clone(), hello).reuse_port(true).access_log(false).bind().await;
    let second = second.expect("with reuse_port on both, the port is shared");
    assert_eq!(second.local_addr(), first.local_addr());
    let (stop, stopped) = tokio::sync::watch::channel(());
    for server in [first, second] {
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = server.run() => {}
                _ = stopped.changed() => {}
            }
        });
    }
    for _ in 0..20 {
        let reply = test_support::client::get(address.parse().unwrap(), "/").await;
        assert_eq!(reply.text(), "hello");
    }
    drop(stop);
}
