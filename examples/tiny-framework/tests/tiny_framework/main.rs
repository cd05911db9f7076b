//! Step 6 behaves as `examples.md` says: in process under `Validate`, and over a real
//! socket through the example binary.

mod escaping;
mod routes;
mod server;

use std::ops::Deref;

use gateway_core::{Report, Validate};
use microframe::TestClient;

/// A [`TestClient`] for `example_tiny_framework::app()` wrapped in [`Validate`]. Dropping
/// it (at the end of a test that did not fail already) asserts that no gateway contract
/// rule was broken by any of the requests it sent.
struct Checked {
    client: TestClient,
    report: Report,
}

impl Checked {
    fn new() -> Self {
        let app = Validate::new(example_tiny_framework::app());
        let report = app.report();
        Self { client: TestClient::new(app), report }
    }
}

impl Deref for Checked {
    type Target = TestClient;

    fn deref(&self) -> &TestClient {
        &self.client
    }
}

impl Drop for Checked {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            assert!(self.report.is_empty(), "the app broke the gateway contract: {:?}", self.report.violations());
        }
    }
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
