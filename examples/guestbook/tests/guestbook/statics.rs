//! The static folder: the stylesheet and its gzip sibling, with the static-file rules.

use std::io::Read;

use crate::{HTML, config, guestbook};

const CSS: &[u8] = include_bytes!("../../static/style.css");

#[test]
fn the_committed_gzip_sibling_is_the_stylesheet() {
    let gz = std::fs::read(config().static_dir.join("style.css.gz")).unwrap();
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut unpacked).unwrap();
    assert!(unpacked == CSS, "static/style.css.gz is stale: run `gzip -9 -k -n -f static/style.css`");
}

#[tokio::test]
async fn the_stylesheet_is_served_with_validators_ranges_and_its_gzip_sibling() {
    let (client, _scratch) = guestbook().await;
    let css = client
        .get("/static/style.css")
        .send()
        .await
        .assert_status(200)
        .assert_header("content-type", "text/css; charset=utf-8");
    assert_eq!(&css.bytes()[..], CSS);
    let etag = css.header("etag").expect("an ETag").to_owned();
    assert!(css.header("last-modified").is_some());
    client
        .get("/static/style.css")
        .header("if-none-match", &etag)
        .send()
        .await
        .assert_status(304)
        .assert_header("etag", &etag);
    let part = client.get("/static/style.css").header("range", "bytes=0-9").send().await.assert_status(206);
    assert_eq!(&part.bytes()[..], &CSS[..10]);
    let gz = client.get("/static/style.css").header("accept-encoding", "gzip").send().await;
    let gz = gz.assert_status(200).assert_header("content-encoding", "gzip").assert_header("vary", "accept-encoding");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes()[..]).read_to_end(&mut unpacked).unwrap();
    assert!(unpacked == CSS);
    for escape in ["/static/../Cargo.toml", "/static/%2e%2e/Cargo.toml", "/static//etc/passwd", "/static/"] {
        client.get(escape).send().await.assert_status(404).assert_header("content-type", HTML);
    }
}

#[tokio::test]
async fn the_static_folder_comes_from_the_settings() {
    let scratch = crate::Scratch::new();
    let files = scratch.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("style.css"), "body { color: red }").unwrap();
    let db = example_guestbook::Db::open(scratch.db()).await.unwrap();
    let config = example_guestbook::Config { static_dir: files, ..config() };
    let client = microframe::TestClient::new(example_guestbook::app(db, &config));
    client.get("/static/style.css").send().await.assert_status(200).assert_body("body { color: red }");
}
