//! The JSON API handlers; the table of what they answer is in the crate docs.

use http::StatusCode;
use microframe::{Either, Json, MultiDict, Path, State, UrlFor};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::db::{Db, Entry};
use crate::entry::Signing;
use crate::error::ServerError;

/// The largest and the default `limit` of `GET /api/entries`.
pub(crate) const MAX_LIMIT: u32 = 100;
const DEFAULT_LIMIT: u32 = 20;
const BAD_LIMIT: &str = "limit must be an integer from 1 to 100";

/// An entry as the API shows it.
#[derive(Debug, Serialize)]
pub(crate) struct ApiEntry {
    id: i64,
    name: String,
    message: String,
    created: String,
    photo: Option<String>,
}

impl ApiEntry {
    fn new(entry: Entry, urls: &UrlFor) -> Result<Self, ServerError> {
        let photo = match entry.has_photo {
            true => Some(urls.url_for("photo", &[("id", &entry.id.to_string())])?),
            false => None,
        };
        Ok(Self { id: entry.id, name: entry.name, message: entry.message, created: entry.created, photo })
    }
}

/// An answer the handler built: a status and a JSON value.
type JsonError = (StatusCode, Json<Value>);

/// `limit`: absent → the default; otherwise ASCII digits only (a sign, a space or an empty
/// value is refused), 1 to [`MAX_LIMIT`]. The first `limit` counts.
fn limit(query: &MultiDict) -> Option<u32> {
    match query.get("limit") {
        None => Some(DEFAULT_LIMIT),
        Some(text) if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) => {
            text.parse().ok().filter(|limit| (1..=MAX_LIMIT).contains(limit))
        }
        Some(_) => None,
    }
}

/// `GET /api/entries`.
pub(crate) async fn list(
    State(db): State<Db>,
    urls: UrlFor,
    query: MultiDict,
) -> Result<Either<Json<Vec<ApiEntry>>, JsonError>, ServerError> {
    let Some(limit) = limit(&query) else {
        return Ok(Either::Right((StatusCode::BAD_REQUEST, Json(json!({ "error": BAD_LIMIT })))));
    };
    let entries =
        db.recent(limit).await?.into_iter().map(|entry| ApiEntry::new(entry, &urls)).collect::<Result<_, _>>()?;
    Ok(Either::Left(Json(entries)))
}

// ANCHOR: create
/// `POST /api/entries`: a missing, `null` or non-string field is that field's
/// `… is required`; other keys are ignored.
pub(crate) async fn create(
    State(db): State<Db>,
    urls: UrlFor,
    Json(body): Json<Map<String, Value>>,
) -> Result<Either<(StatusCode, [(&'static str, String); 1], Json<ApiEntry>), JsonError>, ServerError> {
    let text = |key| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let signing = Signing { name: text("name"), message: text("message"), ..Signing::default() };
    match signing.validate() {
        Ok(entry) => {
            let stored = db.insert(entry).await?;
            let location = urls.url_for("api_entry", &[("id", &stored.id.to_string())])?;
            Ok(Either::Left((StatusCode::CREATED, [("location", location)], Json(ApiEntry::new(stored, &urls)?))))
        }
        Err(errors) => {
            let errors: Map<String, Value> =
                errors.into_iter().map(|(field, message)| (field.to_owned(), message.into())).collect();
            Ok(Either::Right((StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "errors": errors })))))
        }
    }
}
// ANCHOR_END: create

/// `GET /api/entries/<id:int>`: the 404 is the handler's own JSON, so the HTML 404 page
/// does not replace it.
pub(crate) async fn get(
    State(db): State<Db>,
    urls: UrlFor,
    Path(id): Path<i64>,
) -> Result<Either<Json<ApiEntry>, JsonError>, ServerError> {
    match db.get(id).await? {
        Some(entry) => Ok(Either::Left(Json(ApiEntry::new(entry, &urls)?))),
        None => Ok(Either::Right((StatusCode::NOT_FOUND, Json(json!({ "error": "no such entry" }))))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_of(query: &str) -> Option<u32> {
        limit(&MultiDict::parse(query.as_bytes()))
    }

    #[test]
    fn limit_is_ascii_digits_from_1_to_100() {
        assert_eq!(limit_of(""), Some(20));
        assert_eq!(limit_of("limit=1"), Some(1));
        assert_eq!(limit_of("limit=100"), Some(100));
        assert_eq!(limit_of("limit=007"), Some(7));
        assert_eq!(limit_of("limit=0000000000000000000000050"), Some(50));
        assert_eq!(limit_of("limit=5&limit=x"), Some(5));
        for bad in [
            "limit=",
            "limit=0",
            "limit=101",
            "limit=+5",
            "limit=-1",
            "limit=%205",
            "limit=5x",
            "limit=１",
            "limit=99999999999999999999",
        ] {
            assert_eq!(limit_of(bad), None, "{bad}");
        }
    }
}
