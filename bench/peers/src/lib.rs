//! What the three peers share: the argv, the request shape, the page and the bodies.
//!
//! Every peer answers exactly like `example-bench-server`: `hello` → 200
//! `text/plain; charset=utf-8` `Hello, World!`; `query` (GET) and `post` (urlencoded form)
//! → 200 `text/html; charset=utf-8`, `templates/profile.html` rendered by askama with its
//! default (HTML) escaper.

use askama::Template;
use serde::Deserialize;

/// The `hello` body.
pub const HELLO: &str = "Hello, World!";
/// Content-Type of `hello`.
pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
/// Content-Type of the page.
pub const TEXT_HTML: &str = "text/html; charset=utf-8";
/// The form body of the `post` scenario.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// `age=10&hobbies=a&hobbies=b`: repeated keys fill the `Vec` (serde_html_form).
#[derive(Debug, Deserialize)]
pub struct Profile {
    /// Missing or not a `u32`: 400 (query) or 422 (form).
    pub age: u32,
    /// Every `hobbies` value, in order.
    #[serde(default)]
    pub hobbies: Vec<String>,
}

/// `templates/profile.html`, a copy of the microframe workspace's template.
#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage<'a> {
    /// The age.
    pub age: u32,
    /// The hobbies.
    pub hobbies: &'a [String],
}

/// The page of a parsed profile.
pub fn render(profile: &Profile) -> Result<String, askama::Error> {
    ProfilePage { age: profile.age, hobbies: &profile.hobbies }.render()
}

/// One of the three scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `GET /` → `Hello, World!`.
    Hello,
    /// `GET /?age=..&hobbies=..` → the page.
    Query,
    /// `POST /` urlencoded form → the page.
    Post,
}

/// argv: `BIN hello|query|post PORT`; prints the usage and exits 2 otherwise.
pub fn args() -> (Mode, u16) {
    let mut argv = std::env::args();
    let bin = argv.next().unwrap_or_default();
    let mode = match argv.next().as_deref() {
        Some("hello") => Some(Mode::Hello),
        Some("query") => Some(Mode::Query),
        Some("post") => Some(Mode::Post),
        _ => None,
    };
    match (mode, argv.next().and_then(|p| p.parse().ok())) {
        (Some(mode), Some(port)) => (mode, port),
        _ => {
            eprintln!("usage: {bin} hello|query|post PORT");
            std::process::exit(2);
        }
    }
}

/// A tokio multi-thread runtime with the default worker count (follows the CPU mask).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime")
}
