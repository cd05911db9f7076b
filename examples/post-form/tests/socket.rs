//! Step 3 over a real socket: the binary, chunked bodies, 413 and 400 on the wire, SIGTERM.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use test_support::child::ExampleServer;
use test_support::client;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const BINARY: &str = env!("CARGO_BIN_EXE_example-post-form");
const FILLED: &str = "age=10&hobbies=software&hobbies=tunning";
const LIMIT: usize = microframe::DEFAULT_BODY_LIMIT as usize;

/// A raw response split into its status line, its head (lower-cased) and its body; the
/// requests here ask for `Connection: close`, so the body is the rest of the bytes.
fn split(answer: &str) -> (&str, String, &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no complete head: {answer:?}"));
    let status = head.lines().next().unwrap_or_default();
    (status, head.to_ascii_lowercase(), body)
}

/// The text of the results paragraph (the page's last `<p>`), whitespace collapsed.
fn results(page: &str) -> String {
    let start = page.rfind("<p>").expect("a results paragraph") + "<p>".len();
    let end = start + page[start..].find("</p>").expect("the paragraph ends");
    page[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn binary_posts_the_form_logs_and_stops_on_sigterm() {
    let mut server = ExampleServer::start(BINARY, &[]);
    let empty = client::get(server.addr, "/").await;
    assert_eq!(empty.status, 200);
    assert_eq!(results(&empty.text()), "Age: Empty<br> Hobbies: No Hobbies");
    let get_line = server.access_log_line();
    assert!(get_line.ends_with(&format!("] \"GET / HTTP/1.1\" 200 {}", empty.body.len())), "{get_line}");

    // hyper's client sends a full body with its Content-Length.
    let request = http::Request::post("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from_static(FILLED.as_bytes())))
        .expect("a request");
    let filled = client::send(server.addr, request).await;
    assert_eq!(filled.status, 200);
    assert_eq!(filled.header("content-type"), "text/html; charset=utf-8");
    let page = filled.text();
    assert!(page.contains(r#"<form method="post" action="">"#), "{page}");
    assert_eq!(results(&page), "Age: 10<br> Hobbies: software, tunning");
    let post_line = server.access_log_line();
    assert!(post_line.starts_with("127.0.0.1 - - ["), "{post_line}");
    assert!(post_line.ends_with(&format!("] \"POST / HTTP/1.1\" 200 {}", filled.body.len())), "{post_line}");

    server.terminate();
    let status = server.wait(Duration::from_secs(5)).expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn chunked_body_is_read_whole() {
    let server = ExampleServer::start(BINARY, &[]);
    // The fields cut across chunk boundaries; a chunk extension for good measure.
    let request = b"POST /any/path HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\
        Content-Type: Application/X-WWW-Form-Urlencoded; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n\
        5\r\nage=1\r\ne;x=y\r\n0&hobbies=soft\r\n14\r\nware&hobbies=tunning\r\n0\r\n\r\n";
    let answer = client::raw(server.addr, request).await;
    let (status, head, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 200 OK", "{answer}");
    assert!(head.contains("\r\ncontent-type: text/html; charset=utf-8"), "{head}");
    assert_eq!(results(body), "Age: 10<br> Hobbies: software, tunning");
}

#[tokio::test]
async fn declared_length_over_the_limit_is_413_before_the_body() {
    let server = ExampleServer::start(BINARY, &[]);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n",
        LIMIT + 1
    );
    // Only the head is sent: the answer comes without a byte of the body.
    let answer = client::raw(server.addr, request.as_bytes()).await;
    let (status, head, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{answer}");
    assert!(head.contains("\r\ncontent-type: text/plain; charset=utf-8"), "{head}");
    assert_eq!(body, "Payload Too Large");
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_413() {
    let server = ExampleServer::start(BINARY, &[]);
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    let (mut reader, mut writer) = stream.split();
    let write = async {
        writer
            .write_all(
                b"POST / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
            )
            .await?;
        // 2 MiB in 32 chunks of 64 KiB, then one byte more: the limit is passed by the last
        // chunk, so the server has read everything that was sent when it answers.
        writer.write_all(b"10000\r\nage=").await?;
        writer.write_all(&[b'a'; 0x10000 - 4]).await?;
        writer.write_all(b"\r\n").await?;
        let chunk = [b"10000\r\n".as_slice(), &[b'a'; 0x10000], b"\r\n"].concat();
        for _ in 1..LIMIT / 0x10000 {
            writer.write_all(&chunk).await?;
        }
        writer.write_all(b"1\r\na\r\n").await
    };
    let mut answer = Vec::new();
    let read = tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut answer);
    let (written, read) = tokio::time::timeout(client::READ_TIMEOUT, async { tokio::join!(write, read) })
        .await
        .expect("an answer within the read timeout");
    written.expect("the server read the whole body");
    read.expect("read the answer");
    let answer = String::from_utf8_lossy(&answer);
    let (status, _, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{answer}");
    assert_eq!(body, "Payload Too Large");
}

#[tokio::test]
async fn bad_content_length_is_400_and_other_types_are_415() {
    let server = ExampleServer::start(BINARY, &[]);
    let answer = client::raw(server.addr, b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{answer}");

    let request = b"POST / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: text/plain\r\n\
        Content-Length: 6\r\n\r\nage=10";
    let answer = client::raw(server.addr, request).await;
    let (status, _, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 415 Unsupported Media Type", "{answer}");
    assert_eq!(body, "Expected Content-Type: application/x-www-form-urlencoded");

    let request = b"POST / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: text/plain\r\n\
        Content-Length: 0\r\n\r\n";
    let answer = client::raw(server.addr, request).await;
    let (status, _, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 200 OK", "{answer}");
    assert_eq!(results(body), "Age: Empty<br> Hobbies: No Hobbies", "an empty body is an empty form");
}

/// POSTs `body` as a form on a new connection; returns the status line and the body.
async fn post_form(addr: std::net::SocketAddr, body: &[u8]) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write the head");
    stream.write_all(body).await.expect("write the body");
    let answer = client::read_until_close(&mut stream).await;
    let (status, _, text) = split(&answer);
    (status.to_owned(), text.to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn more_than_1000_fields_are_413_and_a_form_never_costs_more_than_4x_its_body() {
    let server = ExampleServer::start(BINARY, &[]);
    let just_under = LIMIT - 1;
    let tiny: Vec<u8> = b"a&".iter().copied().cycle().take(just_under).collect(); // ~1M fields
    let wide: String = {
        let field = (LIMIT - 4096) / 1000;
        let mut body = String::from("age=10");
        for n in 1..1000 {
            body.push_str(&format!("&f{n}="));
            body.push_str(&"x".repeat(field - 6));
        }
        body
    };
    assert!(wide.len() < LIMIT && wide.split('&').count() == 1000);
    // Warm up the paths, then measure the peak resident size.
    assert_eq!(post_form(server.addr, FILLED.as_bytes()).await.0, "HTTP/1.1 200 OK");
    assert_eq!(post_form(server.addr, wide.as_bytes()).await.0, "HTTP/1.1 200 OK");
    let idle = server.peak_rss_kib();
    let (status, body) = post_form(server.addr, &tiny).await;
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 413 Payload Too Large", "Payload Too Large"));
    let (status, page) = post_form(server.addr, wide.as_bytes()).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(results(&page).starts_with("Age: 10<br>"), "{}", results(&page));
    let one = server.peak_rss_kib();
    let body_kib = (LIMIT / 1024) as u64;
    println!("peak RSS idle {idle} KiB, after a 2 MiB form of tiny fields and one of 1000 wide fields {one} KiB");
    assert!(one <= idle + 4 * body_kib, "VmHWM grew from {idle} to {one} KiB: more than 4x a {body_kib} KiB body");
    let tiny = std::sync::Arc::new(tiny);
    let at_once: Vec<_> = (0..8)
        .map(|_| {
            let (addr, tiny) = (server.addr, tiny.clone());
            tokio::spawn(async move { post_form(addr, &tiny).await.0 })
        })
        .collect();
    for request in at_once {
        assert_eq!(request.await.unwrap(), "HTTP/1.1 413 Payload Too Large");
    }
    let eight = server.peak_rss_kib();
    println!("peak RSS after 8 such forms at once {eight} KiB");
    assert!(eight <= one + 8 * 4 * body_kib, "VmHWM grew from {one} to {eight} KiB for 8 forms at once");
    assert_eq!(post_form(server.addr, FILLED.as_bytes()).await.0, "HTTP/1.1 200 OK", "still serving");
}
