//! The HTML pages: the list with the form, signing, one entry, its photo, and the 404 and
//! 500 pages. Templates are in `templates/` (askama: every value is HTML-escaped).

use askama::Template;
use http::StatusCode;
use microframe::{Either, Flash, Path, Redirect, Render, Session, State, UrlFor};

use crate::db::{Db, Entry};
use crate::entry::FieldErrors;
use crate::error::ServerError;
use crate::submission::Submission;

/// How many entries the list shows.
pub(crate) const LIST_LENGTH: u32 = 20;

/// The session key holding the name this browser last signed with.
pub(crate) const SESSION_NAME: &str = "name";

/// Links every page has, built with `url_for` (so they carry the mount prefix).
#[derive(Debug, Clone)]
pub(crate) struct Links {
    home: String,
    stylesheet: String,
}

impl Links {
    fn new(urls: &UrlFor) -> Result<Self, ServerError> {
        Ok(Self {
            home: urls.url_for("index", &[])?,
            stylesheet: urls.url_for("static", &[("filename", "style.css")])?,
        })
    }
}

/// An entry as a page shows it.
#[derive(Debug)]
pub(crate) struct EntryView {
    name: String,
    message: String,
    created: String,
    link: String,
    photo: Option<String>,
}

impl EntryView {
    fn new(entry: Entry, urls: &UrlFor) -> Result<Self, ServerError> {
        let id = entry.id.to_string();
        let photo = match entry.has_photo {
            true => Some(urls.url_for("photo", &[("id", &id)])?),
            false => None,
        };
        let link = urls.url_for("entry", &[("id", &id)])?;
        Ok(Self { name: entry.name, message: entry.message, created: entry.created, link, photo })
    }
}

/// `templates/index.html`: the flash, the form (with its values and errors), the list.
#[derive(Debug, Template)]
#[template(path = "index.html")]
pub(crate) struct IndexPage {
    links: Links,
    flashes: Vec<String>,
    action: String,
    name: String,
    message: String,
    name_error: Option<&'static str>,
    message_error: Option<&'static str>,
    photo_error: Option<&'static str>,
    entries: Vec<EntryView>,
}

impl IndexPage {
    /// The page with the form holding `name` and `message`, and the messages in `errors`.
    async fn new(
        db: &Db,
        urls: &UrlFor,
        name: String,
        message: String,
        errors: &FieldErrors,
    ) -> Result<Self, ServerError> {
        let entries = db
            .recent(LIST_LENGTH)
            .await?
            .into_iter()
            .map(|entry| EntryView::new(entry, urls))
            .collect::<Result<_, _>>()?;
        let error = |field| errors.iter().find(|(bad, _)| *bad == field).map(|(_, message)| *message);
        Ok(Self {
            links: Links::new(urls)?,
            flashes: Vec::new(),
            action: urls.url_for("sign", &[])?,
            name,
            message,
            name_error: error("name"),
            message_error: error("message"),
            photo_error: error("photo"),
            entries,
        })
    }
}

/// `templates/entry.html`: one entry.
#[derive(Debug, Template)]
#[template(path = "entry.html")]
pub(crate) struct EntryPage {
    links: Links,
    entry: EntryView,
}

/// `templates/error.html`: the 404 and 500 pages.
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    links: Links,
    title: &'static str,
    detail: &'static str,
}

impl ErrorPage {
    /// The page; its links fall back to the root should `url_for` fail, so that an error
    /// page never fails itself.
    fn new(urls: &UrlFor, title: &'static str, detail: &'static str) -> Self {
        let links = Links::new(urls)
            .unwrap_or_else(|_| Links { home: "/".to_owned(), stylesheet: "/static/style.css".to_owned() });
        Self { links, title, detail }
    }
}

// ANCHOR: index
/// `GET /`: shows the flash once (reading it consumes it) and pre-fills the name.
pub(crate) async fn index(
    State(db): State<Db>,
    session: Session,
    flash: Flash,
    urls: UrlFor,
) -> Result<Render<IndexPage>, ServerError> {
    let name = session.get::<String>(SESSION_NAME).unwrap_or_default();
    let mut page = IndexPage::new(&db, &urls, name, String::new(), &FieldErrors::new()).await?;
    page.flashes = flash.take().into_iter().map(|flash| flash.message).collect();
    Ok(Render(page))
}
// ANCHOR_END: index

// ANCHOR: sign
/// `POST /sign`: stores a valid signing and redirects (303) to the list with a flash, or
/// re-renders the form (422) with what was sent and a message per bad field.
pub(crate) async fn sign(
    State(db): State<Db>,
    session: Session,
    flash: Flash,
    urls: UrlFor,
    Submission(signing): Submission,
) -> Result<Either<Redirect, (StatusCode, Render<IndexPage>)>, ServerError> {
    match signing.validate() {
        Ok(entry) => {
            let stored = db.insert(entry).await?;
            session.insert(SESSION_NAME, &stored.name)?;
            flash.take(); // a new signing replaces an unread flash
            flash.push("success", format!("Thanks for signing, {}!", stored.name));
            Ok(Either::Left(Redirect::to(urls.url_for("index", &[])?)))
        }
        Err(errors) => {
            let (name, message) = (signing.name.unwrap_or_default(), signing.message.unwrap_or_default());
            let page = IndexPage::new(&db, &urls, name, message, &errors).await?;
            Ok(Either::Right((StatusCode::UNPROCESSABLE_ENTITY, Render(page))))
        }
    }
}
// ANCHOR_END: sign

// ANCHOR: entry
/// `GET /entry/<id:int>`: the entry, or the 404 page saying `No such entry`.
pub(crate) async fn entry(
    State(db): State<Db>,
    urls: UrlFor,
    Path(id): Path<i64>,
) -> Result<Either<Render<EntryPage>, (StatusCode, Render<ErrorPage>)>, ServerError> {
    match db.get(id).await? {
        Some(entry) => {
            Ok(Either::Left(Render(EntryPage { links: Links::new(&urls)?, entry: EntryView::new(entry, &urls)? })))
        }
        None => {
            Ok(Either::Right((StatusCode::NOT_FOUND, Render(ErrorPage::new(&urls, "Not Found", "No such entry.")))))
        }
    }
}
// ANCHOR_END: entry

// ANCHOR: photo
/// `GET /entry/<id:int>/photo`: the image, cached for a year (its URL never changes
/// content), or a 404 (the app's page).
pub(crate) async fn photo(
    State(db): State<Db>,
    Path(id): Path<i64>,
) -> Result<Either<([(&'static str, String); 3], Vec<u8>), StatusCode>, ServerError> {
    Ok(match db.photo(id).await? {
        Some((bytes, kind)) => Either::Left((
            [
                ("content-type", kind),
                ("cache-control", "max-age=31536000, immutable".to_owned()),
                ("x-content-type-options", "nosniff".to_owned()),
            ],
            bytes,
        )),
        None => Either::Right(StatusCode::NOT_FOUND),
    })
}
// ANCHOR_END: photo

// ANCHOR: error_pages
/// The app's 404 page, for every refusal with that status (no route, no photo).
pub(crate) async fn not_found(urls: UrlFor) -> Render<ErrorPage> {
    Render(ErrorPage::new(&urls, "Not Found", "There is no page at this address."))
}

/// The app's 500 page; the cause is in the server's log.
pub(crate) async fn server_error(urls: UrlFor) -> Render<ErrorPage> {
    Render(ErrorPage::new(&urls, "Internal Server Error", "Something went wrong on our side. Please try again later."))
}
// ANCHOR_END: error_pages
