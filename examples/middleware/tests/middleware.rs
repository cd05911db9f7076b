//! Step 5 behaves as docs/example-behaviour.md says, in process and over a real socket.

use std::time::Duration;

use bytes::Bytes;
use example_middleware::{SwapCase, SwapCaseLayer, Timing, TimingLayer, app, hello};
use gateway_core::{App, Body, BodyError, Environ, Response, StartResponse, TEXT_PLAIN_UTF_8};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use test_support::child::ExampleServer;
use test_support::{Reply, client, in_process};

/// The `X-Elapsed` value in milliseconds, after checking its form: digits, a dot, three
/// digits, `ms`.
fn elapsed_ms(reply: &Reply) -> f64 {
    let value = reply.header("x-elapsed");
    let number = value.strip_suffix("ms").unwrap_or_else(|| panic!("X-Elapsed {value:?} does not end in ms"));
    let (whole, decimals) = number.split_once('.').unwrap_or_else(|| panic!("X-Elapsed {value:?} has no decimals"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    assert!(digits(whole) && digits(decimals) && decimals.len() == 3, "X-Elapsed {value:?}");
    number.parse().unwrap_or_else(|_| panic!("X-Elapsed {value:?} is not a number"))
}

#[tokio::test]
async fn timing_around_swap_case_around_hello() {
    let reply = in_process::send(app(), in_process::get("/")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), "hELLO wORLD");
    assert_eq!(reply.header("content-length"), "11");
    assert!(elapsed_ms(&reply) >= 0.0);
}

/// Answers `body` with a `Content-Length` it declares itself.
async fn declared(body: &'static str, start_response: StartResponse) -> Response {
    let length = HeaderValue::from(body.len());
    start_response.start(StatusCode::OK, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8), (CONTENT_LENGTH, length)]).body(body)
}

#[tokio::test]
async fn a_declared_content_length_is_recounted_after_the_swap() {
    // `ﬁ` (3 bytes) becomes `FI` (2 bytes): the inner app's Content-Length would be wrong.
    let inner = |_environ: Environ, start_response: StartResponse| declared("Hello ﬁle", start_response);
    let reply = in_process::send(SwapCase::new(inner), in_process::get("/")).await;
    assert_eq!(reply.text(), "hELLO FILE");
    assert_eq!(reply.header("content-length"), "10");
}

#[tokio::test]
async fn streamed_and_chunked_bodies_are_swapped_whole() {
    let streamed = |_environ: Environ, start_response: StartResponse| async move {
        let chunks = ["Hel", "lo ", "Wörld"].map(|chunk| Ok::<_, BodyError>(Bytes::from(chunk)));
        let head = start_response.start(StatusCode::OK, ());
        head.body(Body::from_stream(futures_util::stream::iter(chunks)))
    };
    let reply = in_process::send(SwapCase::new(streamed), in_process::get("/")).await;
    assert_eq!(reply.text(), "hELLO wÖRLD");
    assert_eq!(reply.header("content-length"), "12");
}

#[tokio::test]
async fn status_and_headers_of_the_inner_app_are_kept() {
    let teapot = |_environ: Environ, start_response: StartResponse| async move {
        let headers = [(http::HeaderName::from_static("x-step"), HeaderValue::from_static("Five"))];
        start_response.start(StatusCode::IM_A_TEAPOT, headers).body("Short And Stout")
    };
    let reply = in_process::send(Timing::new(SwapCase::new(teapot)), in_process::get("/")).await;
    assert_eq!(reply.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(reply.header("x-step"), "Five");
    assert_eq!(reply.text(), "sHORT aND sTOUT");
    elapsed_ms(&reply);
}

#[tokio::test]
async fn a_body_that_fails_before_sending_becomes_500() {
    let broken = |_environ: Environ, start_response: StartResponse| async move {
        let failure = futures_util::stream::iter([Err::<Bytes, BodyError>("disk on fire".into())]);
        start_response.start(StatusCode::OK, ()).body(Body::from_stream(failure))
    };
    let reply = in_process::send(SwapCase::new(broken), in_process::get("/")).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.text(), "Internal Server Error");
}

/// The time the inner app's body takes to produce: SwapCase waits for it.
const SLOW: Duration = Duration::from_millis(30);

#[tokio::test]
async fn timing_is_outermost_so_its_clock_covers_swap_case() {
    let slow = |_environ: Environ, start_response: StartResponse| async move {
        let body = futures_util::stream::once(async {
            tokio::time::sleep(SLOW).await;
            Ok::<_, BodyError>(Bytes::from("Hello World"))
        });
        start_response.start(StatusCode::OK, ()).body(Body::from_stream(body))
    };
    // The last `with` is the outermost layer, which the type spells out.
    let stack: Timing<SwapCase<_>> = slow.with(SwapCaseLayer::new()).with(TimingLayer::new());
    let reply = in_process::send(stack, in_process::get("/")).await;
    assert_eq!(reply.text(), "hELLO wORLD");
    // Timing started before SwapCase ran and stopped after it had collected the body.
    assert!(elapsed_ms(&reply) >= SLOW.as_secs_f64() * 1000.0, "{}", reply.header("x-elapsed"));
}

#[tokio::test]
async fn hello_alone_is_not_swapped() {
    let reply = in_process::send(hello, in_process::get("/")).await;
    assert_eq!(reply.text(), "Hello World");
    assert_eq!(reply.header("x-elapsed"), "");
}

#[tokio::test]
async fn binary_serves_the_stack_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(env!("CARGO_BIN_EXE_example-middleware"), &[]);
    let reply = client::get(server.addr, "/").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "hELLO wORLD");
    assert_eq!(reply.header("content-length"), "11");
    elapsed_ms(&reply);
    let line = server.access_log_line();
    assert!(line.ends_with("] \"GET / HTTP/1.1\" 200 11"), "{line}");
    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    let ran =
        test_support::guide::check("middleware.md", "example-middleware", env!("CARGO_BIN_EXE_example-middleware"));
    assert_eq!(ran, 2, "every command of the chapter ran");
}
