//! PEP 3333's rules over a real socket (`tests/apps/pep3333_apps.py`): the environ's types
//! and keys, a chunked body, `wsgi.input` as a file, list and streamed bodies, memory, a
//! body shorter than its length, and `exc_info` on the first `start_response`.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use serde_json::{Value, json};
use test_support::child::ExampleServer;
use test_support::client;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::serve;

/// `pep3333_apps:NAME` on `microframe-wsgi`.
fn serve_app(name: &str) -> ExampleServer {
    serve(&format!("pep3333_apps:{name}"))
}

/// The JSON body of a raw `Connection: close` answer, which must be a 200.
fn json_of(answer: &str) -> Value {
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    let (_, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environ_is_a_dict_of_latin1_native_strings_with_repeated_headers_joined() {
    let server = serve_app("environ_report");
    let port = server.addr.port();
    let head = format!(
        "POST /p?a=%20b&c=caf%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\n\
         Content-Length: 5\r\nConnection: close\r\nAccept: text/html\r\nAccept: */*\r\nCookie: a=1\r\n\
         Cookie: b=2\r\n"
    );
    let request = [head.as_bytes(), b"X-Name: caf\xe9\r\n\r\nhello"].concat();
    let said = json_of(&client::raw(server.addr, &request).await);
    assert_eq!((&said["is_dict"], &said["not_str"]), (&json!(true), &json!([])));
    let keys = "CONTENT_LENGTH CONTENT_TYPE HTTP_ACCEPT HTTP_CONNECTION HTTP_COOKIE HTTP_HOST HTTP_X_NAME PATH_INFO \
        QUERY_STRING REMOTE_ADDR REMOTE_PORT REQUEST_METHOD SCRIPT_NAME SERVER_NAME SERVER_PORT SERVER_PROTOCOL";
    assert_eq!(said["keys"], keys, "no HTTP_CONTENT_TYPE nor HTTP_CONTENT_LENGTH");
    let cgi = &said["cgi"];
    assert_eq!(cgi["HTTP_X_NAME"], "caf\u{e9}", "the byte 0xE9 is the one character U+00E9");
    assert_eq!(cgi["QUERY_STRING"], "a=%20b&c=caf%C3%A9", "raw, still percent-encoded");
    assert_eq!((&cgi["HTTP_ACCEPT"], &cgi["HTTP_COOKIE"]), (&json!("text/html, */*"), &json!("a=1; b=2")));
    let named = ["REQUEST_METHOD", "PATH_INFO", "SCRIPT_NAME", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_PORT"];
    assert_eq!(
        named.map(|key| cgi[key].as_str().unwrap_or("?")),
        ["POST", "/p", "", "text/plain", "5", &port.to_string()]
    );
    assert_eq!((&said["body_length"], &said["body_head"]), (&json!(5), &json!("hello")));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wsgi_keys_have_their_pep_3333_values_and_errors_is_stderr() {
    let server = serve_app("wsgi_keys");
    let said: Value = serde_json::from_slice(&client::get(server.addr, "/").await.body).unwrap();
    let keys = "wsgi.errors wsgi.file_wrapper wsgi.input wsgi.input_terminated wsgi.multiprocess \
        wsgi.multithread wsgi.run_once wsgi.url_scheme wsgi.version";
    let expected = json!({
        "keys": keys, "version": "(1, 0)", "url_scheme": "http", "errors_is_stderr": true, "multithread": true,
        "multiprocess": false, "run_once": false, "input_terminated": true, "file_wrapper": true,
    });
    assert_eq!(said, expected);
    let line = "pep3333_apps.wsgi_keys: wsgi.errors is the server's stderr";
    let logged: Vec<String> = std::iter::from_fn(|| server.stderr_line(Duration::from_millis(300))).collect();
    assert!(logged.iter().any(|logged| logged == line), "{logged:?}");
}

/// Sends a chunked `POST /` of `length` bytes (64 KiB chunks) while reading the answer, and
/// returns the answer (the write side stays open: the server drops a half-closed request).
async fn post_chunked(addr: std::net::SocketAddr, length: usize) -> String {
    let mut request = b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for start in (0..length).step_by(65536) {
        let size = 65536.min(length - start);
        request.extend(format!("{size:x}\r\n").bytes().chain(std::iter::repeat_n(b'x', size)).chain(*b"\r\n"));
    }
    request.extend(b"0\r\n\r\n");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let (mut reading, mut writing) = stream.split();
    let mut answer = Vec::new();
    // A refused body's rest goes unread: the write, or the read after the answer, may fail.
    let exchange = async { tokio::join!(writing.write_all(&request), reading.read_to_end(&mut answer)) };
    let _ = tokio::time::timeout(client::READ_TIMEOUT, exchange).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chunked_body_arrives_decoded_with_its_content_length_and_over_16_mib_is_a_413() {
    let server = serve_app("environ_report");
    let request = b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
        6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n";
    let said = json_of(&client::raw(server.addr, request).await);
    assert_eq!(said["cgi"]["CONTENT_LENGTH"], "11");
    assert!(said["cgi"].get("HTTP_TRANSFER_ENCODING").is_none(), "{said}");
    assert_eq!((&said["body_length"], &said["body_head"]), (&json!(11), &json!("hello world")));

    let max = usize::try_from(gateway_python::MAX_BODY).unwrap();
    let said = json_of(&post_chunked(server.addr, max).await);
    assert_eq!((&said["cgi"]["CONTENT_LENGTH"], &said["body_length"]), (&json!(max.to_string()), &json!(max)));
    let answer = post_chunked(server.addr, max + 1).await;
    assert!(answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"), "{answer}");
}

/// `length` bytes of lines of varying length (up to 250 bytes), with `\r` and 0xE9 in them.
fn lines_body(length: usize) -> Vec<u8> {
    let byte = |line: usize| [b'a' + u8::try_from(line % 26).unwrap(), 0xE9, b'\r'][line % 3];
    (0..).flat_map(|line| std::iter::repeat_n(byte(line), (line * 37) % 250).chain([b'\n'])).take(length).collect()
}

/// A POST of `body` to `target` with a `Content-Length`.
fn post(target: &str, body: Vec<u8>) -> http::Request<Full<Bytes>> {
    http::Request::post(target).body(Full::new(Bytes::from(body))).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn wsgi_input_reads_as_a_python_file_does_streamed_or_whole() {
    let server = serve_app("input_like_a_file");
    let scratch = test_support::Scratch::new("wsgi-input");
    // Streamed (over 64 KiB), then read whole before the call.
    for length in [200_000, 60_000] {
        let body = lines_body(length);
        let file = scratch.join(format!("body-{length}"));
        std::fs::write(&file, &body).unwrap();
        for ending in ["read", "iterate", "readlines"] {
            let target = format!("/?file={}&ending={ending}", file.display());
            let reply = client::send(server.addr, post(&target, body.clone())).await;
            assert_eq!(reply.status, 200, "{length} {ending}: {}", reply.text());
            let said: Value = serde_json::from_slice(&reply.body).unwrap();
            assert_eq!(said["steps"].as_array().map(Vec::len), Some(17), "{said}");
            assert_eq!((&said["differ"], &said["total"]), (&json!([]), &json!(length)), "{length} bytes, {ending}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn readlines_with_a_hint_on_a_line_end_reads_one_more_line_as_a_file_does() {
    let server = serve_app("readlines_hint");
    let reply = client::send(server.addr, post("/?hint=4", b"one\ntwo\nthree\n".to_vec())).await;
    let said: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(said["file"], json!(["one\n", "two\n"]), "a Python file, to compare with");
    assert_eq!(said["input"], said["file"], "wsgi.input");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tuple_body_goes_out_whole_with_its_length_not_chunked() {
    let server = serve_app("tuple_body");
    let answer = client::raw(server.addr, b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("\r\ncontent-length: 13") && !head.contains("transfer-encoding"), "{head}");
    assert_eq!(body, "Hello, World!");
}

/// Reads whole chunks of a chunked body until at least `at_least` bytes, or its last chunk,
/// and returns how many bytes they held (counted, not kept).
async fn count_chunks(stream: &mut BufReader<TcpStream>, at_least: u64) -> u64 {
    let mut total = 0;
    while total < at_least {
        let mut size = String::new();
        stream.read_line(&mut size).await.unwrap();
        let size = u64::from_str_radix(size.trim_end(), 16).unwrap_or_else(|_| panic!("a chunk size: {size:?}"));
        if size == 0 {
            break;
        }
        assert_eq!(tokio::io::copy_buf(&mut (&mut *stream).take(size), &mut tokio::io::sink()).await.unwrap(), size);
        assert_eq!(stream.read_u16().await.unwrap(), u16::from_be_bytes(*b"\r\n"), "a CRLF after the chunk");
        total += size;
    }
    total
}

/// `GET /?chunks=N` of `pep3333_apps:big_stream` on a new connection with a small receive
/// buffer (the kernel then holds little of what the client has not read), its head read (a
/// chunked 200).
async fn get_stream(addr: std::net::SocketAddr, chunks: u64) -> BufReader<TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(64 * 1024).unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    stream.write_all(format!("GET /?chunks={chunks} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes()).await.unwrap();
    let (mut stream, mut head) = (BufReader::with_capacity(1 << 20, stream), String::new());
    while !head.ends_with("\r\n\r\n") {
        assert!(stream.read_line(&mut head).await.unwrap() > 0, "the head ended early: {head}");
    }
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n") && head.contains("transfer-encoding: chunked"), "{head}");
    stream
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

#[tokio::test(flavor = "multi_thread")]
async fn a_gigabyte_generator_streams_with_memory_flat_and_waits_for_a_client_that_stops_reading() {
    let server = serve_app("big_stream");
    // 64 MiB first warms the process up; 1 GiB after it must grow it by less than 64 MiB.
    let mut peaks = Vec::new();
    for chunks in [(64 * MIB) >> 16, GIB >> 16] {
        let mut stream = get_stream(server.addr, chunks).await;
        let read = tokio::time::timeout(Duration::from_secs(300), count_chunks(&mut stream, u64::MAX)).await;
        assert_eq!(read.expect("the whole stream"), chunks << 16);
        peaks.push(server.peak_rss_kib());
    }
    // VmHWM is the kernel's approximate count: it may read a little lower later.
    let grown = peaks[1].saturating_sub(peaks[0]);
    assert!(grown < 64 * 1024, "1 GiB after 64 MiB grew the server by {grown} KiB");

    let mut stream = get_stream(server.addr, GIB >> 16).await;
    let first = count_chunks(&mut stream, MIB).await;
    // The client reads no more: wait until the generator stops too.
    let (mut yielded, mut same) = (0, 0);
    while same < 4 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now: u64 = client::get(server.addr, "/progress").await.text().parse().unwrap();
        (yielded, same) = (now, if now == yielded { same + 1 } else { 0 });
    }
    assert!(yielded < (64 * MIB) >> 16, "{yielded} chunks of 64 KiB yielded to a client that read {first} bytes");
    let rest = tokio::time::timeout(Duration::from_secs(300), count_chunks(&mut stream, u64::MAX)).await.unwrap();
    assert_eq!((first + rest, client::get(server.addr, "/progress").await.text()), (GIB, (GIB >> 16).to_string()));
    let grown = server.peak_rss_kib().saturating_sub(peaks[0]);
    assert!(grown < 64 * 1024, "the stalled 1 GiB grew the server by {grown} KiB");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrapped_file_streams_byte_for_byte() {
    let server = serve_app("wrapped_file");
    let scratch = test_support::Scratch::new("wsgi-file-wrapper");
    let file = scratch.join("all-bytes");
    let bytes: Vec<u8> = (0..3 * MIB + 5).map(|i| u8::try_from(i % 251).unwrap()).collect();
    std::fs::write(&file, &bytes).unwrap();
    let reply = client::get(server.addr, &format!("/?file={}", file.display())).await;
    assert_eq!((reply.status.as_u16(), reply.header("transfer-encoding")), (200, "chunked"));
    assert!(reply.body == bytes, "{} bytes, not the file's {}", reply.body.len(), bytes.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generator_shorter_than_its_content_length_ends_with_the_connection() {
    let server = serve_app("generator_shorter_than_its_length");
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(client::READ_TIMEOUT, stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(read.is_ok(), "the connection is still open after {answer:?}");
    // The head and the 10 bytes the app made, then the cut: the client never waits for 90
    // more, nor takes the response for complete.
    let (head, body) = answer.split_once("\r\n\r\n").expect("the head went out");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n") && head.contains("\r\ncontent-length: 100"), "{head}");
    assert_eq!(body, "0123456789");
    // And the log says why.
    let said: String = std::iter::from_fn(|| server.stderr_line(std::time::Duration::from_millis(300))).collect();
    assert!(said.contains("the app declared Content-Length: 100 and sent 10 bytes"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn exc_info_on_the_first_start_response_is_accepted() {
    let server = serve_app("exc_info_first");
    let reply = client::get(server.addr, "/").await;
    assert_eq!((reply.status.as_u16(), reply.header("x-handled"), reply.text().as_str()), (503, "yes", "handled\n"));
}
