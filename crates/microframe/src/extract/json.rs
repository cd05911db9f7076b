//! `Json<T>`: a JSON request body in, a JSON response out.

use gateway_core::{Environ, Response, StartResponse};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::{FromEnviron, OptionalFromEnviron, body};
use crate::rejection::{InvalidJsonContentType, JsonDataError, JsonRejection, JsonSyntaxError};
use crate::response::IntoResponse;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// JSON, both ways.
///
/// As an **extractor**: the body deserialized into `T` with `serde_json`, bounded by the
/// body limit. The `Content-Type` must be `application/json` or `application/<x>+json`
/// (case-insensitive, parameters ignored), checked before anything is read.
///
/// | situation | status | body |
/// |---|---|---|
/// | `Content-Type` missing or another type | 415 | `Expected Content-Type: application/json` |
/// | not JSON (syntax, cut short, not UTF-8, nested deeper than 128) | 400 | `Failed to parse the request body as JSON: <serde_json message>` |
/// | JSON that does not fit `T` | 422 | `Failed to deserialize the JSON body: <field path>: <reason>` |
/// | over the body limit | 413 | `Payload Too Large` |
///
/// As a **response**: 200, `application/json`, the `serde_json` bytes with their
/// `Content-Length`; a value that fails to serialize (a map with non-string keys, say) is a
/// 500 whose cause is logged.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Json, Microframe, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct NewEntry { name: String }
/// #[derive(serde::Serialize)]
/// struct Entry { id: u32, name: String }
///
/// async fn create(Json(new): Json<NewEntry>) -> (http::StatusCode, Json<Entry>) {
///     (http::StatusCode::CREATED, Json(Entry { id: 1, name: new.name }))
/// }
/// let client = TestClient::new(Microframe::new().post("/entries", create));
/// client.post("/entries").header("content-type", "application/json").body(r#"{"name":"ann"}"#).send().await
///     .assert_status(201)
///     .assert_header("content-type", "application/json")
///     .assert_body(r#"{"id":1,"name":"ann"}"#);
/// client.post("/entries").body(r#"{"name":"ann"}"#).send().await
///     .assert_status(415)
///     .assert_body("Expected Content-Type: application/json");
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// `application/json` or `application/<anything>+json`, case-insensitive, parameters ignored.
fn is_json(environ: &Environ) -> bool {
    let Some(essence) = body::media_type(environ) else { return false };
    let Some((kind, subtype)) = essence.split_once('/') else { return false };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json")
            || subtype.len() > 5 && subtype.get(subtype.len() - 5..).is_some_and(|s| s.eq_ignore_ascii_case("+json")))
}

/// Deserializes `body`; only a data error is deserialized again, under
/// `serde_path_to_error`, to name the field (the success path tracks no path).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonRejection> {
    let error = match serde_json::from_slice(body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    if error.classify() != Category::Data {
        return Err(JsonRejection::Syntax(JsonSyntaxError::new(&error)));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) if error.inner().classify() == Category::Data => {
            Err(JsonRejection::Data(JsonDataError::from_path_error(error)))
        }
        // Not reached with the same bytes; answer what the first pass found.
        _ => Err(JsonRejection::Syntax(JsonSyntaxError::new(&error))),
    }
}

impl<T: DeserializeOwned + Send> FromEnviron for Json<T> {
    type Rejection = JsonRejection;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        if !is_json(environ) {
            return Err(JsonRejection::InvalidContentType(InvalidJsonContentType));
        }
        let body = body::buffered(environ).await?;
        parse(&body).map(Json)
    }
}

impl<T: DeserializeOwned + Send> OptionalFromEnviron for Json<T> {
    type Rejection = JsonRejection;

    /// `None` when the request has no body bytes, whatever its `Content-Type`; a body
    /// without a JSON `Content-Type` is refused (415), not taken for absent.
    async fn from_environ_optional(environ: &mut Environ) -> Result<Option<Self>, Self::Rejection> {
        if body::is_empty(environ).await? {
            return Ok(None);
        }
        Self::from_environ(environ).await.map(Some)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self, start_response: StartResponse) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => start_response.start(StatusCode::OK, [(CONTENT_TYPE, APPLICATION_JSON)]).body(bytes),
            Err(error) => {
                tracing::error!(%error, value = std::any::type_name::<T>(), "JSON response failed to serialize; answering 500");
                start_response.reject(&StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_type(value: &str) -> Environ {
        let (parts, ()) = http::Request::post("/").header("content-type", value).body(()).unwrap().into_parts();
        Environ::new(parts, gateway_core::Input::empty())
    }

    #[test]
    fn json_media_types() {
        for yes in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
            "application/vnd.api+JSON",
        ] {
            assert!(is_json(&with_type(yes)), "{yes}");
        }
        for no in ["text/json", "application/jsonx", "application/+json", "application/x-json-stream", "json", ""] {
            assert!(!is_json(&with_type(no)), "{no}");
        }
    }
}
