//! Step 7 behaves as `examples.md` says: in process under `Validate` (at the root and
//! mounted under a prefix), and over a real socket through the example binary.

mod escaping;
mod mounted;
mod pages;
mod server;

use std::ops::Deref;

use gateway_core::{App, Report, Validate};
use microframe::{TestClient, TestResponse};

/// A [`TestClient`] for an app wrapped in [`Validate`]. Dropping it (at the end of a test
/// that did not fail already) asserts that no gateway contract rule was broken by any of
/// the requests it sent.
struct Checked {
    client: TestClient,
    report: Report,
}

impl Checked {
    /// `example_hello::app()` at the root.
    fn new() -> Self {
        Self::around(example_hello::app())
    }

    fn around(app: impl App) -> Self {
        let app = Validate::new(app);
        let report = app.report();
        Self { client: TestClient::new(app), report }
    }

    /// Sends `GET target`, asserts a 303 with an empty body, and returns its `Location`.
    async fn redirect(&self, target: &str) -> String {
        let response = self.get(target).send().await.assert_status(303).assert_body("");
        response.header("location").expect("a Location").to_owned()
    }

    /// Sends `GET target` and asserts a 200 HTML page.
    async fn page(&self, target: &str) -> TestResponse {
        self.get(target).send().await.assert_status(200).assert_header("content-type", HTML)
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

/// The `action` of the page's form, as written in the HTML (still escaped).
fn form_action(page: &str) -> &str {
    let start = page.find("<form method=\"get\" action=\"").expect("a GET form") + 27;
    let length = page[start..].find('"').expect("the end of the action");
    &page[start..start + length]
}
