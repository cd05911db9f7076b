//! tower-http's `TraceLayer` around gateway apps: a `request` span is recorded per request,
//! with the whole original target, in axum and on the plain server. The subscriber is
//! installed for the test's scope only (`tracing::subscriber::set_default`); the tests run on
//! tokio's current-thread runtime, so every task of the test (the spawned server included)
//! runs on the thread the subscriber is the default of.

use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get as axum_get;
use gateway_tower::{AxumRouterExt, GatewayService};
use test_support::client;
use tower::ServiceBuilder;
use tower_http::trace::TraceLayer;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use super::{call, get, serve_service, where_am_i};

/// Records the `uri` field of every span tower-http's `TraceLayer` opens.
#[derive(Clone, Default)]
struct RequestSpans(Arc<Mutex<Vec<String>>>);

impl RequestSpans {
    /// Installs a subscriber with this layer for the current scope; dropping the guard
    /// removes it.
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        tracing::subscriber::set_default(tracing_subscriber::registry().with(self.clone()))
    }

    fn uris(&self) -> Vec<String> {
        self.0.lock().expect("not poisoned").clone()
    }
}

struct UriField(Option<String>);

impl Visit for UriField {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "uri" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for RequestSpans {
    fn on_new_span(&self, attributes: &Attributes<'_>, _id: &Id, _context: Context<'_, S>) {
        let metadata = attributes.metadata();
        if metadata.name() == "request" && metadata.target().starts_with("tower_http::trace") {
            let mut uri = UriField(None);
            attributes.record(&mut uri);
            self.0.lock().expect("not poisoned").push(uri.0.unwrap_or_default());
        }
    }
}

// Without the layer no `request` span would be opened (neither gateway-tower nor
// microframe opens spans), so `uris()` would stay empty.
#[tokio::test]
async fn in_axum_a_span_is_recorded_per_request_with_the_original_target() {
    let spans = RequestSpans::default();
    let _guard = spans.install();
    let router = Router::new()
        .route("/health", axum_get(|| async { "ok" }))
        .mount_app("/users/{id}/files", where_am_i)
        .layer(TraceLayer::new_for_http());
    let reply = call(router.clone(), get("/users/42/files/a?b=1")).await;
    assert!(reply.text().starts_with("SCRIPT_NAME=/users/42/files PATH_INFO=/a "), "{}", reply.text());
    assert_eq!(call(router, get("/health")).await.text(), "ok");
    assert_eq!(spans.uris(), ["/users/42/files/a?b=1", "/health"]);
}

#[tokio::test]
async fn on_the_plain_server_a_span_is_recorded_around_the_gateway_service() {
    let spans = RequestSpans::default();
    let _guard = spans.install();
    let service = ServiceBuilder::new().layer(TraceLayer::new_for_http()).service(GatewayService::new(where_am_i));
    let server = serve_service(service).await;
    let reply = client::get(server.addr, "/legacy/x?y=1").await;
    assert!(reply.text().ends_with(" raw_uri=/legacy/x?y=1"), "{}", reply.text());
    assert_eq!(spans.uris(), ["/legacy/x?y=1"]);
}
