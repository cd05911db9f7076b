//! In headless Chromium, as a person uses it: sign with a photo, see the flash and the entry
//! with its photo; a `<script>` typed into each field shows as text and runs nothing. Each
//! test saves screenshots under `target/screenshots/guestbook/`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use test_support::browser::{Browser, screenshot_dir};
use test_support::child::ExampleServer;

use crate::{KEY, Scratch};

const BINARY: &str = env!("CARGO_BIN_EXE_example-guestbook");
const WAIT: Duration = Duration::from_secs(10);

/// The binary on a fresh database, and a browser.
async fn visit() -> (ExampleServer, Browser, Scratch) {
    let scratch = Scratch::new();
    let mut command = Command::new(BINARY);
    command
        .arg("127.0.0.1:0")
        .env("GUESTBOOK_DB", scratch.db())
        .env("GUESTBOOK_SECRET_KEY", KEY)
        .env_remove("GUESTBOOK_STATIC");
    let server = ExampleServer::from_command(command);
    let browser = Browser::start().await.expect("headless Chromium (scripts/test installs it)");
    (server, browser, scratch)
}

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("guestbook").join(format!("{name}.png"))
}

fn photo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sunflower.png")
}

async fn script(browser: &Browser, code: &str) -> serde_json::Value {
    browser.client().execute(code, Vec::new()).await.expect("run a script in the page")
}

#[tokio::test]
async fn a_visitor_signs_with_a_photo_and_sees_the_flash_once_and_the_entry_with_its_photo() {
    let (server, browser, _scratch) = visit().await;
    let home = format!("http://{}/", server.addr);
    browser.goto(&home).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "Guestbook");
    assert_eq!(
        script(&browser, "return getComputedStyle(document.querySelector('.masthead')).backgroundColor").await,
        "rgb(47, 111, 223)",
        "the stylesheet applies"
    );
    browser.screenshot(shot("1-empty")).await.unwrap();

    browser.fill("#name", "Ann").await.unwrap();
    browser.fill("#message", "Hello from Chromium!\nSecond line.").await.unwrap();
    browser.attach_file("#photo", photo()).await.unwrap();
    browser.submit("form").await.unwrap();
    browser.wait_for(".flash", WAIT).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap(), home, "redirected back to the list");
    assert_eq!(browser.text(".flash").await.unwrap(), "Thanks for signing, Ann!");
    assert_eq!(browser.value("#name").await.unwrap(), "Ann", "the name is remembered");
    assert_eq!(browser.count(".entry").await.unwrap(), 1);
    assert_eq!(browser.text(".entry .message").await.unwrap(), "Hello from Chromium!\nSecond line.");
    assert_eq!(
        script(&browser, "return document.querySelector('.entry img').naturalWidth").await,
        96,
        "the thumbnail loaded"
    );
    browser.screenshot(shot("2-signed")).await.unwrap();

    browser.click(".entry .who a").await.unwrap();
    browser.wait_for("article img", WAIT).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap(), format!("{home}entry/1"));
    assert_eq!(browser.text("article h1").await.unwrap(), "Ann");
    assert_eq!(
        script(&browser, "return document.querySelector('article img').naturalWidth").await,
        96,
        "the photo loaded"
    );
    browser.screenshot(shot("3-entry")).await.unwrap();

    browser.goto(&home).await.unwrap();
    assert_eq!(browser.count(".flash").await.unwrap(), 0, "the flash is shown once");
    assert_eq!(browser.value("#name").await.unwrap(), "Ann");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_script_typed_into_each_field_shows_as_text_and_runs_nothing() {
    let (server, browser, _scratch) = visit().await;
    let home = format!("http://{}/", server.addr);
    let name = "<script>document.title='pwned'</script>";
    let message = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
    browser.goto(&home).await.unwrap();
    browser.fill("#name", name).await.unwrap();
    browser.fill("#message", message).await.unwrap();
    browser.submit("form").await.unwrap();
    browser.wait_for(".flash", WAIT).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "Guestbook", "no script ran");
    assert_eq!(browser.text(".flash").await.unwrap(), format!("Thanks for signing, {name}!"));
    assert_eq!(browser.text(".entry .who a").await.unwrap(), name);
    assert_eq!(browser.text(".entry .message").await.unwrap(), message);
    assert_eq!(browser.value("#name").await.unwrap(), name);
    assert_eq!(
        script(&browser, "return document.scripts.length + document.querySelectorAll('main img').length").await,
        0,
        "no element was injected"
    );
    browser.screenshot(shot("4-escaped")).await.unwrap();

    browser.click(".entry .who a").await.unwrap();
    browser.wait_for("article", WAIT).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), format!("{name} · Guestbook"), "the title shows the name as text");
    assert_eq!(browser.text("article .message").await.unwrap(), message);
    assert_eq!(
        script(&browser, "return document.scripts.length + document.querySelectorAll('main img').length").await,
        0
    );
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_bad_form_comes_back_with_its_messages_and_what_was_typed() {
    let (server, browser, _scratch) = visit().await;
    browser.goto(&format!("http://{}/", server.addr)).await.unwrap();
    browser.fill("#name", "<b>Bob</b>").await.unwrap();
    browser.attach_file("#photo", PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).await.unwrap();
    browser.submit("form").await.unwrap();
    browser.wait_for(".error", WAIT).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "Guestbook");
    let errors = script(&browser, "return [...document.querySelectorAll('.error')].map(e => e.textContent)").await;
    assert_eq!(errors, serde_json::json!(["Message is required", "Photo must be a PNG, JPEG or GIF image"]));
    assert_eq!(browser.value("#name").await.unwrap(), "<b>Bob</b>");
    assert_eq!(browser.count(".entry").await.unwrap(), 0);
    browser.screenshot(shot("5-errors")).await.unwrap();
    browser.close().await.unwrap();
}
