//! The start_response contract at run time.
//!
//! "start_response exactly once" and "start_response before the body" are type errors, so
//! they are proved by `compile_fail` doctests in `crates/gateway-core/src/response.rs`
//! (calling it twice: E0382; building a body without it: E0277; replacing a head that
//! already became a response: E0382). What remains for run time is PEP 3333's `exc_info`
//! case, an error after start_response while nothing was sent: `ResponseHead::replace`.

use gateway_core::{App, Environ, Input, Layer, Rejection, Response, StartResponse, TEXT_PLAIN_UTF_8, status};
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, StatusCode};
use test_support::in_process;

static X_PARTIAL: HeaderName = HeaderName::from_static("x-partial");
static X_LAYER: HeaderName = HeaderName::from_static("x-layer");

/// Starts a 200 with headers, then "fails to render" and replaces the head.
async fn fails_after_start(_environ: Environ, start_response: StartResponse) -> Response {
    let head = start_response.start(StatusCode::OK, [(X_PARTIAL.clone(), HeaderValue::from_static("yes"))]);
    let rendered: Result<&str, &str> = Err("template failed");
    match rendered {
        Ok(page) => head.body(page),
        Err(_) => head
            .replace(StatusCode::INTERNAL_SERVER_ERROR, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)])
            .body(status::INTERNAL_SERVER_ERROR),
    }
}

#[tokio::test]
async fn exc_info_replace_sends_only_the_replacement_head() {
    let reply = in_process::send(fails_after_start, in_process::get("/")).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert!(reply.headers.get(&X_PARTIAL).is_none(), "headers of the first start survived: {:?}", reply.headers);
    assert_eq!(reply.header("content-length"), "21");
    assert_eq!(reply.text(), "Internal Server Error");
}

#[test]
fn replace_keeps_nothing_of_the_replaced_head() {
    let mut head = StartResponse::new().start(StatusCode::OK, [(X_PARTIAL.clone(), HeaderValue::from_static("1"))]);
    head.headers_mut().append(X_PARTIAL.clone(), HeaderValue::from_static("2"));
    let head = head.replace(StatusCode::SERVICE_UNAVAILABLE, ());
    assert_eq!(head.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(head.headers().is_empty());
}

#[tokio::test]
async fn reject_answers_with_the_status_contract_text() {
    let cases = [
        (StatusCode::BAD_REQUEST, "Bad Request"),
        (StatusCode::NOT_FOUND, "Not Found"),
        (StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"),
        (StatusCode::REQUEST_TIMEOUT, "Request Timeout"),
        (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large"),
        (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
    ];
    for (code, text) in cases {
        assert_eq!(code.body_text(), text);
        let response = StartResponse::new().reject(&code);
        assert_eq!(response.status(), code);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/plain; charset=utf-8");
        let (_, body) = response.into_parts();
        assert_eq!(body.collect().await.expect("buffered body"), text, "no trailing newline, exact text");
    }
}

/// A layer that tags the response on its way out, so the order of layers is visible.
struct Tag(&'static str);
struct Tagged<A>(A, &'static str);

impl<A: App> Layer<A> for Tag {
    type App = Tagged<A>;
    fn layer(&self, app: A) -> Tagged<A> {
        Tagged(app, self.0)
    }
}

impl<A: App> App for Tagged<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        let mut response = self.0.call(environ, start_response).await;
        response.headers_mut().append(X_LAYER.clone(), HeaderValue::from_static(self.1));
        response
    }
}

async fn plain(_environ: Environ, start_response: StartResponse) -> Response {
    start_response.start(StatusCode::OK, ()).body("ok")
}

#[tokio::test]
async fn a_later_with_wraps_the_earlier_one() {
    let app = plain.with(Tag("inner")).with(Tag("outer"));
    let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
    let response = app.call(environ, StartResponse::new()).await;
    let order: Vec<_> = response.headers().get_all(&X_LAYER).iter().map(|v| v.to_str().unwrap_or("?")).collect();
    assert_eq!(order, ["inner", "outer"], "the outer layer sees the response last");
}
