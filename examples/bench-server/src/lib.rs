//! The benchmark target: the three scenarios of `bench/README.md` on the full stack, hyper →
//! `GatewayService` → environ → microframe router → `Query`/`Form` → askama template, as an
//! ordinary user app would write them (no shortcut a user could not take).
//!
//! Run with `cargo run --release -p example-bench-server hello 18080`, then try
//! `curl 'http://127.0.0.1:18080/?age=10&hobbies=a'` in `query` mode.

use askama::Template;
use microframe::{Form, Microframe, Query, Render};
use serde::Deserialize;

/// `age=10&hobbies=a&hobbies=b`: repeated keys fill the `Vec`.
#[derive(Debug, Deserialize)]
pub struct Profile {
    /// The age; missing or not a `u32` is a 400 (query) or 422 (form).
    pub age: u32,
    /// Every `hobbies` value, in order.
    #[serde(default)]
    pub hobbies: Vec<String>,
}

/// The page the peers render: `templates/profile.html`, escaped.
#[derive(Debug, Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    /// The age.
    pub age: u32,
    /// The hobbies.
    pub hobbies: Vec<String>,
}

/// The body of the `hello` scenario.
pub const HELLO: &str = "Hello, World!";

async fn hello() -> &'static str {
    HELLO
}

async fn query(Query(profile): Query<Profile>) -> Render<ProfilePage> {
    Render(ProfilePage { age: profile.age, hobbies: profile.hobbies })
}

async fn post(Form(profile): Form<Profile>) -> Render<ProfilePage> {
    Render(ProfilePage { age: profile.age, hobbies: profile.hobbies })
}

/// The app of one scenario: `hello`, `query` or `post`; `None` for another name.
///
/// # Examples
/// ```
/// assert!(example_bench_server::app("hello").is_some());
/// assert!(example_bench_server::app("nope").is_none());
/// ```
pub fn app(mode: &str) -> Option<Microframe> {
    Some(match mode {
        "hello" => Microframe::new().get("/", hello),
        "query" => Microframe::new().get("/", query),
        "post" => Microframe::new().post("/", post),
        _ => return None,
    })
}
