//! The guestbook: a small web app on SQLite, the way users build them with microframe.
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | the newest 20 entries, the form (the name pre-filled from the session), the flash once after signing |
//! | `POST /sign` | urlencoded or multipart (with a photo): valid → stored, 303 to `/` with a flash; invalid → 422, the form again with a message per bad field |
//! | `GET /entry/<id:int>` | one entry with its photo; unknown → the 404 page, `No such entry` |
//! | `GET /entry/<id:int>/photo` | the image, cached for a year, `nosniff` |
//! | `GET`/`POST /api/entries`, `GET /api/entries/<id:int>` | the JSON API, below |
//! | `GET /static/<path:filename>` | the stylesheet and its `.gz` sibling, with ETags, 304s and ranges |
//!
//! What it uses, each from the framework: app [`State`](microframe::State) (the database),
//! a custom extractor that reads a urlencoded or a multipart body ([`Submission`]),
//! [`Session`](microframe::Session) and [`Flash`](microframe::Flash) in an encrypted
//! cookie, cross-site protection (on by default: a form posted from another site is 403),
//! [`Json`](microframe::Json), static files, askama templates, and error handlers for 404
//! and 500 only (every other refusal keeps its plain text, so the API's 400 and 415 stay
//! readable by programs).
//!
//! The rules for a signing are in [`Signing::validate`]; the database in [`Db`]; the
//! settings in [`Config`]. Every URL the app writes (links, the form's action, the
//! stylesheet, photos, `Location`) comes from `url_for`, so the app works unchanged when
//! mounted under a prefix: `examples/with-axum` mounts it at `/guestbook`.
//!
//! Run with `cargo run -p example-guestbook` (with `GUESTBOOK_SECRET_KEY` set to 32 bytes
//! or more, sessions survive restarts), then open <http://127.0.0.1:8051/>, or try
//! `curl -i -F name=ann -F message=hi -F photo=@cat.png http://127.0.0.1:8051/sign` and
//! `curl 'http://127.0.0.1:8051/api/entries?limit=5'`. The exact behaviour is in
//! `docs/example-behaviour.md`.
//!
//! # The JSON API
//! | request | answer |
//! |---|---|
//! | `GET /api/entries[?limit=N]` | 200, an array newest first; `N` ASCII digits, 1–100, default 20; any other `limit` → 400 `{"error": "limit must be an integer from 1 to 100"}` |
//! | `POST /api/entries` | `{"name": .., "message": ..}` → 201 with the entry and `Location: /api/entries/<id>`; a bad field → 422 `{"errors": {"<field>": "<message>"}}` |
//! | `GET /api/entries/<id:int>` | 200 the entry; unknown → 404 `{"error": "no such entry"}` |
//!
//! An entry is `{"id", "name", "message", "created", "photo"}`, `photo` its URL or `null`.
//! Bodies that are not JSON (400), not `application/json` (415) or not a JSON object (422)
//! get the `Json` extractor's plain-text refusals.

mod api;
mod config;
mod db;
mod entry;
mod error;
mod pages;
mod submission;

use http::StatusCode;
use microframe::Microframe;

pub use config::{Config, ConfigError};
pub use db::{BUSY_TIMEOUT, Db, Entry, MAX_CONNECTIONS};
pub use entry::{FieldErrors, MAX_MESSAGE, MAX_NAME, MAX_PHOTO, NewEntry, Photo, Signing, sniff};
pub use error::ServerError;
pub use submission::{Submission, SubmissionRejection, UNSUPPORTED_TYPE};

/// The largest body `POST /sign` takes (2 MiB): a photo of 1 MiB with room for the form.
pub const SIGN_BODY_LIMIT: u64 = 2 << 20;

/// The app on an open database, with the settings' key and static folder.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use example_guestbook::{Config, Db};
///
/// let dir = std::env::temp_dir().join(format!("guestbook-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let db = Db::open(dir.join("doc.db")).await.unwrap();
/// let config = Config::from_vars(|_| None).unwrap();
/// let client = microframe::TestClient::new(example_guestbook::app(db, &config));
/// client.post("/api/entries").json(&serde_json::json!({"name": "ann", "message": "hi"})).send().await
///     .assert_status(201)
///     .assert_header("location", "/api/entries/1");
/// client.get("/").send().await.assert_status(200).assert_body_contains("<a href=\"/entry/1\">ann</a>");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # });
/// ```
// ANCHOR: app
pub fn app(db: Db, config: &Config) -> Microframe {
    let app = Microframe::new();
    let app = match &config.secret_key {
        Some(key) => app.secret_key(key),
        None => app,
    };
    app.state(db)
        .get("/", pages::index)
        .name("index")
        .post("/sign", pages::sign)
        .name("sign")
        .limit(SIGN_BODY_LIMIT)
        .get("/entry/<id:int>", pages::entry)
        .name("entry")
        .get("/entry/<id:int>/photo", pages::photo)
        .name("photo")
        .get("/api/entries", api::list)
        .name("api_entries")
        .post("/api/entries", api::create)
        .get("/api/entries/<id:int>", api::get)
        .name("api_entry")
        .static_files("/static", &config.static_dir)
        // ANCHOR: error_handlers
        .error_handler(StatusCode::NOT_FOUND, pages::not_found)
        .error_handler(StatusCode::INTERNAL_SERVER_ERROR, pages::server_error)
    // ANCHOR_END: error_handlers
}
// ANCHOR_END: app

/// Opens the settings' database and builds the [`app`] on it.
///
/// # Errors
/// When the database cannot be opened.
///
/// # Examples
/// ```no_run
/// # async fn run() -> Result<(), example_guestbook::ServerError> {
/// let config = example_guestbook::Config::from_vars(|_| None).unwrap();
/// let app = example_guestbook::open(&config).await?;
/// # let _ = app; Ok(()) }
/// ```
pub async fn open(config: &Config) -> Result<Microframe, ServerError> {
    Ok(app(Db::open(&config.database).await?, config))
}
