//! The builder's failure pages: the error handlers that render refusals, and the
//! loopback-only debug pages.

use http::StatusCode;

use super::Microframe;
use crate::debug_page;
use crate::handler::{Handler, HandlerApp};

impl Microframe {
    /// Renders the refusals of `status` (the framework's, and the handlers' aborts) with
    /// `handler`, keeping the status unless the handler sets another. What is a refusal and
    /// what is sent as it is, which of the refusal's headers are kept, and what an error
    /// handler sees: [`ErrorPages`](crate::ErrorPages), the layer this registers into.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use http::StatusCode;
    /// use microframe::{Html, Json, Microframe, TestClient};
    ///
    /// async fn sorry() -> Html<&'static str> { Html("<h1>Not here</h1>") }
    /// async fn save() -> &'static str { "saved" }
    /// async fn user() -> (StatusCode, Json<Vec<&'static str>>) {
    ///     (StatusCode::NOT_FOUND, Json(vec!["no such user"]))
    /// }
    /// let app = Microframe::new()
    ///     .post("/save", save)
    ///     .get("/api/user", user)
    ///     .error_handler(StatusCode::NOT_FOUND, sorry)
    ///     .error_handler(StatusCode::METHOD_NOT_ALLOWED, sorry);
    /// let client = TestClient::new(app);
    /// client.get("/nope").send().await // the framework's refusal: rendered, status kept
    ///     .assert_status(404)
    ///     .assert_header("content-type", "text/html; charset=utf-8")
    ///     .assert_body("<h1>Not here</h1>");
    /// client.get("/save").send().await // the refusal's `Allow` is kept
    ///     .assert_status(405)
    ///     .assert_header("allow", "OPTIONS, POST")
    ///     .assert_body("<h1>Not here</h1>");
    /// client.get("/api/user").send().await // a 404 the handler built: sent as it is
    ///     .assert_status(404)
    ///     .assert_body(r#"["no such user"]"#);
    /// # });
    /// ```
    pub fn error_handler<H: Handler<Args>, Args: 'static>(mut self, status: StatusCode, handler: H) -> Self {
        self.app.handlers_mut().insert(status, gateway_core::BoxApp::new(HandlerApp::new(handler)));
        self
    }

    /// Switches the debug pages on or off (off by default). While they are on, a client on
    /// this machine sees why a request failed:
    /// - a panic in a handler is a 500 HTML page with the method, the path and the panic
    ///   message;
    /// - a 404 refusal (no route matched, or an abort with 404) is a 404 HTML page listing
    ///   the route table: each route's methods, pattern and name, and the mounts;
    ///
    /// all of it HTML-escaped, sent `text/html; charset=utf-8` with `Cache-Control: no-store`,
    /// in place of the error handler registered for that status. A client is on this machine
    /// when its peer address is loopback (`127.0.0.0/8`, `::1`, `::ffff:127.0.0.0/104`) **and**
    /// its request has no `Forwarded` header and no header starting with `X-Forwarded-`
    /// (behind a local proxy every client is loopback). Every other client, and every
    /// request with no known peer (an in-process request; see
    /// [`TestRequest::remote_addr`](crate::TestRequest::remote_addr)), gets exactly what it
    /// gets with the pages off: the error handler's page or the plain refusal, never a
    /// panic message. The panic is logged as always.
    ///
    /// `debug(true)` prints one line on stderr at once (`tracing` may have no subscriber yet
    /// while an app is built):
    ///
    /// ```text
    /// WARNING: microframe debug pages are on: panic messages and the route table are shown to loopback clients; never turn this on in production
    /// ```
    ///
    /// *Why so strict:* Werkzeug's debugger became remote code execution wherever it was
    /// reachable (werkzeug#746). With the pages off the layer costs nothing: the request
    /// takes the same path as before.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient};
    ///
    /// async fn broken() -> &'static str { panic!("the <cache> is gone") }
    /// let client = TestClient::new(Microframe::new().debug(true).get("/broken", broken));
    /// client.get("/broken").remote_addr("127.0.0.1:50000".parse().unwrap()).send().await
    ///     .assert_status(500)
    ///     .assert_header("content-type", "text/html; charset=utf-8")
    ///     .assert_body_contains("<code>GET /broken</code>")
    ///     .assert_body_contains("the &lt;cache&gt; is gone");
    /// client.get("/nope").remote_addr("[::1]:50000".parse().unwrap()).send().await
    ///     .assert_status(404)
    ///     .assert_body_contains("<td>GET</td><td>/broken</td>");
    /// client.get("/broken").remote_addr("192.0.2.1:50000".parse().unwrap()).send().await
    ///     .assert_status(500)
    ///     .assert_body("Internal Server Error");
    /// client.get("/broken").remote_addr("127.0.0.1:50000".parse().unwrap()).header("x-forwarded-for", "192.0.2.1")
    ///     .send().await
    ///     .assert_body("Internal Server Error");
    /// # });
    /// ```
    pub fn debug(mut self, on: bool) -> Self {
        if on {
            debug_page::warn();
            let routes = self.app.get_ref().get_ref().get_ref().listing();
            self.app.get_mut().set_routes(routes);
        }
        self.app.get_mut().set_on(on);
        self
    }
}
