//! The browser harness itself, against a tiny hand-written HTTP/1.0 responder.
#![cfg(feature = "browser")]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use test_support::browser::{Browser, BrowserError, screenshot_dir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const FORM: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>before scripts</title></head>
<body>
<h1>Harness <span hidden>hidden part</span></h1>
<form id="form" method="post" action="/echo" enctype="multipart/form-data">
  <input id="name" name="name">
  <textarea id="message" name="message"></textarea>
  <input id="upload" name="upload" type="file">
  <button id="send" name="send" value="yes" type="submit">Send</button>
</form>
<ul><li>one</li><li>two</li><li>three</li></ul>
<script>document.title = 'scripts ran';</script>
</body></html>"#;

/// One request per connection: `GET /` is the form, `POST /echo` shows the request body,
/// HTML-escaped in `<pre id=body>`; anything else is a 404.
async fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(respond(stream));
        }
    });
    addr
}

async fn respond(mut stream: TcpStream) {
    let mut request = Vec::new();
    let mut chunk = [0; 8192];
    let head_end = loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&request[head_end..head_end + length]);
    let (status, page) = match head.split_whitespace().take(2).collect::<Vec<_>>()[..] {
        ["GET", "/"] => ("200 OK", FORM.to_owned()),
        ["POST", "/echo"] => {
            ("200 OK", format!("<!doctype html><title>echo</title><pre id=body>{}</pre>", escape(&body)))
        }
        _ => ("404 Not Found", "<title>not found</title>".to_owned()),
    };
    let response = format!(
        "HTTP/1.0 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

async fn start() -> Browser {
    Browser::start().await.expect("start headless Chromium")
}

#[tokio::test]
async fn scripts_run_and_the_page_can_be_read() {
    let addr = serve().await;
    let browser = start().await;
    browser.goto(&format!("http://{addr}/")).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "scripts ran", "the page's script set the title");
    assert_eq!(browser.current_url().await.unwrap(), format!("http://{addr}/"));
    assert_eq!(browser.text("h1").await.unwrap(), "Harness", "visible text only");
    assert_eq!(browser.count("li").await.unwrap(), 3);
    assert_eq!(browser.count("table").await.unwrap(), 0);
    assert_eq!(browser.attribute("form", "method").await.unwrap().as_deref(), Some("post"));
    assert_eq!(browser.attribute("form", "data-nothing").await.unwrap(), None);
    assert!(browser.html().await.unwrap().contains(r#"<textarea id="message" name="message">"#));
    browser.wait_for("#send", Duration::from_secs(5)).await.unwrap();
    browser.close().await.unwrap();
}

#[tokio::test]
async fn filled_text_reads_back_and_a_file_is_posted() {
    let addr = serve().await;
    let browser = start().await;
    browser.goto(&format!("http://{addr}/")).await.unwrap();

    browser.fill("#name", "first").await.unwrap();
    browser.fill("#name", "<script>alert('x')</script> & ü").await.unwrap();
    assert_eq!(browser.value("#name").await.unwrap(), "<script>alert('x')</script> & ü", "fill clears first");
    browser.fill("#message", "line one\r\nline <two>\nline three").await.unwrap();
    assert_eq!(browser.value("#message").await.unwrap(), "line one\nline <two>\nline three");

    let upload = std::env::temp_dir().join(format!("harness-upload-{}.txt", std::process::id()));
    std::fs::write(&upload, "file contents 42\n").unwrap();
    browser.attach_file("#upload", &upload).await.unwrap();
    let name = upload.file_name().unwrap().to_str().unwrap();
    assert!(browser.value("#upload").await.unwrap().ends_with(name));

    browser.submit("#send").await.unwrap();
    std::fs::remove_file(&upload).unwrap();
    assert_eq!(browser.title().await.unwrap(), "echo");
    assert_eq!(browser.current_url().await.unwrap(), format!("http://{addr}/echo"));
    let posted = browser.text("#body").await.unwrap();
    assert!(posted.contains("name=\"name\"\n\n<script>alert('x')</script> & ü\n"), "{posted}");
    // The browser posts CRLF line breaks; WebDriver's visible text shows them as `\n`.
    assert!(posted.contains("name=\"message\"\n\nline one\nline <two>\nline three\n"), "{posted}");
    assert!(posted.contains(&format!("filename=\"{name}\"")), "the file's name is posted: {posted}");
    assert!(posted.contains("file contents 42"), "{posted}");
    assert!(posted.contains("name=\"send\"\n\nyes"), "the submit button's value is posted: {posted}");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_screenshot_is_a_png_under_target() {
    let addr = serve().await;
    let browser = start().await;
    browser.goto(&format!("http://{addr}/")).await.unwrap();
    browser.fill("#message", "shown in the screenshot").await.unwrap();
    let path = screenshot_dir().join("test-support").join("harness.png");
    let _ = std::fs::remove_file(&path);
    browser.screenshot(&path).await.unwrap();
    let png = std::fs::read(&path).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    let (width, height) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert_eq!((width, height), (1280, 900), "the fixed window size");
    assert!(path.starts_with(screenshot_dir()) && screenshot_dir().ends_with("screenshots"));
    browser.close().await.unwrap();
}

#[tokio::test]
async fn failures_are_errors_and_bounded() {
    let addr = serve().await;
    let browser = start().await;
    browser.goto(&format!("http://{addr}/")).await.unwrap();
    let error = browser.click("#missing").await.unwrap_err();
    assert!(matches!(error, BrowserError::Failed { .. }), "{error}");
    assert!(error.to_string().contains("#missing"), "{error}");
    let started = Instant::now();
    let error = browser.wait_for("#missing", Duration::from_millis(500)).await.unwrap_err();
    assert!(matches!(error, BrowserError::Timeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(browser.attach_file("#upload", "/no/such/file").await.is_err());
    assert!(browser.submit("h1").await.unwrap_err().to_string().contains("no form"));
    // Dropped without close: chromedriver and Chromium are killed, the profile removed.
    drop(browser);
}
