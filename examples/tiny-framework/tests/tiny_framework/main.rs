//! Step 6 behaves as docs/example-behaviour.md says: in process under `Validate`, and over a real
//! socket through the example binary.

mod escaping;
mod routes;
mod server;

use std::ops::Deref;

use microframe::TestClient;

/// A [`TestClient::validated`] client for `example_tiny_framework::app()`: every response
/// is checked against the gateway contract.
struct Checked {
    client: TestClient,
}

impl Checked {
    fn new() -> Self {
        Self { client: TestClient::validated(example_tiny_framework::app()) }
    }
}

impl Deref for Checked {
    type Target = TestClient;

    fn deref(&self) -> &TestClient {
        &self.client
    }
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
