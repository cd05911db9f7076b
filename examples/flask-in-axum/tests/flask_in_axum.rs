//! The example's binary on a real socket, with the test virtualenv's Flask: the Rust route,
//! Flask as the fallback, Flask at `/legacy` with its links carrying the prefix.

use std::process::Command;

use test_support::child::ExampleServer;
use test_support::client;

fn start() -> ExampleServer {
    test_support::tools::python_with("flask");
    let mut command = Command::new(env!("CARGO_BIN_EXE_example-flask-in-axum"));
    command.arg("127.0.0.1:0").env("VIRTUAL_ENV", test_support::tools::venv());
    ExampleServer::from_command(command)
}

#[tokio::test(flavor = "multi_thread")]
async fn rust_routes_first_then_flask() {
    let server = start();
    assert_eq!(client::get(server.addr, "/rust/hello").await.text(), "Hello from Rust!");
    assert_eq!(client::get(server.addr, "/hello/bob").await.text(), "Hello bob, from Flask!");
    assert_eq!(client::get(server.addr, "/").await.text(), r#"<a href="/hello/World">Say hello</a>"#);
    let moved = client::get(server.addr, "/old").await;
    assert_eq!((moved.status.as_u16(), moved.header("location")), (302, "/rust/hello"));
    server.assert_logged("GET /rust/hello HTTP/1.1", "200 16");
}

#[tokio::test(flavor = "multi_thread")]
async fn mounted_at_legacy_flask_links_carry_the_prefix() {
    let server = start();
    assert_eq!(client::get(server.addr, "/legacy/").await.text(), r#"<a href="/legacy/hello/World">Say hello</a>"#);
    assert_eq!(client::get(server.addr, "/legacy/hello/ann").await.text(), "Hello ann, from Flask!");
}

#[test]
fn the_guide_chapter_shows_what_the_example_prints() {
    test_support::tools::python_with("flask");
    let ran = test_support::guide::check(
        "python-wsgi.md",
        "example-flask-in-axum",
        env!("CARGO_BIN_EXE_example-flask-in-axum"),
    );
    assert_eq!(ran, 4, "every command of the chapter ran");
}
