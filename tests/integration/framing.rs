//! Request framing: what hyper refuses, what `GatewayService` refuses, and that a request
//! whose framing is in doubt never leaves its connection open for a second request.

use bytes::Bytes;
use gateway_core::{Environ, Response, StartResponse};
use http::{HeaderName, HeaderValue, StatusCode};
use http_body_util::Full;
use test_support::in_process;

use crate::common::{Conn, PATIENCE, serve};

static X_DECLARED: HeaderName = HeaderName::from_static("x-declared");

/// Echoes the body and the `CONTENT_LENGTH` it saw.
async fn echo(mut environ: Environ, start: StartResponse) -> Response {
    let declared = environ.get("CONTENT_LENGTH").map_or_else(|| "absent".to_owned(), |v| v.into_owned());
    let declared = HeaderValue::from_str(&declared).unwrap_or(HeaderValue::from_static("unprintable"));
    match environ.input().read_to_end(1024).await {
        Ok(body) => start.start(StatusCode::OK, [(X_DECLARED.clone(), declared)]).body(body),
        Err(error) => start.reject(&error),
    }
}

/// Sends `request` followed by a pipelined `GET /follow-up` (which asks to close), and
/// returns the responses that came before the server closed the connection.
async fn answers_then_close(request: &[u8]) -> Vec<crate::common::RawResponse> {
    let server = serve(echo).await;
    let mut conn = Conn::open(server.addr).await;
    let mut bytes = request.to_vec();
    bytes.extend_from_slice(b"GET /follow-up HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    conn.send(&bytes).await;
    let mut responses = Vec::new();
    for _ in 0..3 {
        match conn.try_response().await {
            Some(response) => responses.push(response),
            None => return responses,
        }
    }
    panic!("more than two responses on one connection");
}

#[tokio::test]
async fn content_length_that_is_not_a_number_is_400_in_process() {
    let request =
        http::Request::post("/").header("content-length", "abc").body(Full::new(Bytes::new())).expect("request");
    let reply = in_process::send(echo, request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.text(), "Bad Request");
    assert_eq!(reply.header("connection"), "close");
}

#[tokio::test]
async fn differing_duplicate_content_length_is_400_in_process_too() {
    let request = http::Request::post("/")
        .header("content-length", "6")
        .header("content-length", "7")
        .body(Full::new(Bytes::from_static(b"age=10")))
        .expect("request");
    let reply = in_process::send(echo, request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.text(), "Bad Request");
}

#[tokio::test]
async fn identical_duplicate_content_length_is_one_length_in_process() {
    let request = http::Request::post("/")
        .header("content-length", "6")
        .header("content-length", "6")
        .body(Full::new(Bytes::from_static(b"age=10")))
        .expect("request");
    let reply = in_process::send(echo, request).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn content_length_that_is_not_a_number_is_400_over_a_socket() {
    let responses = answers_then_close(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n").await;
    assert_eq!(responses.iter().map(|r| r.status).collect::<Vec<_>>(), [400], "then closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn differing_duplicate_content_length_is_400_and_close() {
    for order in [("6", "7"), ("7", "6")] {
        let request = format!(
            "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\nContent-Length: {}\r\n\r\nage=10",
            order.0, order.1
        );
        let responses = answers_then_close(request.as_bytes()).await;
        assert_eq!(responses.iter().map(|r| r.status).collect::<Vec<_>>(), [400], "{order:?}, then closed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn identical_duplicate_content_length_is_one_length() {
    let request = b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nContent-Length: 6\r\n\r\nage=10";
    let responses = answers_then_close(&request[..]).await;
    assert_eq!(responses.len(), 2, "accepted and kept alive: {responses:?}");
    assert_eq!(responses[0].text(), "age=10");
    assert_eq!(responses[0].header("x-declared"), Some("6"), "CONTENT_LENGTH is one number");
}

#[tokio::test(flavor = "multi_thread")]
async fn content_length_with_chunked_uses_chunks_answers_once_and_closes() {
    let cl_first = b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nage=10\r\n0\r\n\r\n";
    let te_first = b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n6\r\nage=10\r\n0\r\n\r\n";
    for request in [&cl_first[..], &te_first[..]] {
        let responses = answers_then_close(request).await;
        assert_eq!(responses.len(), 1, "the pipelined follow-up is never answered: {responses:?}");
        assert_eq!((responses[0].status, responses[0].text().as_str()), (200, "age=10"), "the chunked body was used");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_chunk_size_mid_read_is_400_bad_request_and_close() {
    for size in ["zz", "-6", "0x6"] {
        let server = serve(echo).await;
        let mut conn = Conn::open(server.addr).await;
        let request =
            format!("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\nage=10\r\n0\r\n\r\n");
        conn.send(request.as_bytes()).await;
        let reply = conn.response().await;
        assert_eq!(reply.status, 400, "chunk size {size}");
        assert_eq!(reply.text(), "Bad Request");
        assert_eq!(reply.header("connection"), Some("close"));
        let (rest, _) = conn.closed_within(PATIENCE).await;
        assert!(rest.is_empty(), "nothing after the 400: {:?}", String::from_utf8_lossy(&rest));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_head_is_400_and_close() {
    let cases: [&[u8]; 3] = [
        b"GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
        b"GET / HTTP/1.2\r\nHost: t\r\n\r\n",
    ];
    for request in cases {
        let responses = answers_then_close(request).await;
        let statuses: Vec<_> = responses.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [400], "{:?}", String::from_utf8_lossy(request));
        assert!(responses[0].body.is_empty(), "hyper's own 400 has no body");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_shuts_its_write_side_after_the_request_still_gets_the_answer() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = serve(echo).await;
    for request in
        [&b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n"[..], b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"]
    {
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(request).await.unwrap();
        // `printf ... | nc -N`, or a client that has nothing more to send: a half-close.
        stream.shutdown().await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await.unwrap().unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:?}");
    }
}
