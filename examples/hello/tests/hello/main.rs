//! Step 7 behaves as docs/example-behaviour.md says: in process under `Validate` (at the root and
//! mounted under a prefix), and over a real socket through the example binary.

mod escaping;
mod mounted;
mod pages;
mod server;

use std::ops::Deref;

use gateway_core::App;
use microframe::{TestClient, TestResponse};

/// A [`TestClient::validated`] client (every response is checked against the gateway
/// contract), with the assertions these tests repeat.
struct Checked {
    client: TestClient,
}

impl Checked {
    /// `example_hello::app()` at the root.
    fn new() -> Self {
        Self::around(example_hello::app())
    }

    fn around(app: impl App) -> Self {
        Self { client: TestClient::validated(app) }
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

const HTML: &str = "text/html; charset=utf-8";

/// The `action` of the page's form, as written in the HTML (still escaped).
fn form_action(page: &str) -> &str {
    let start = page.find("<form method=\"get\" action=\"").expect("a GET form") + 27;
    let length = page[start..].find('"').expect("the end of the action");
    &page[start..start + length]
}
