//! `Submission`: the body of `POST /sign`, urlencoded or multipart, read into a [`Signing`].
//!
//! - `application/x-www-form-urlencoded`: the fields `name` and `message` (a `photo` field
//!   there is ignored: a photo needs a file part).
//! - `multipart/form-data`: the parts `name` and `message` (text parts) and `photo` (a file
//!   part; a text part named `photo` is ignored, an empty file part means no photo). A
//!   photo over 1 MiB is not kept: its bytes are skipped and the signing says so.
//! - No body at all (whatever the `Content-Type`) is an empty form, which the rules refuse
//!   with a 422; a body of any other type is 415 with the text of
//!   [`UNSUPPORTED_TYPE`]; a `multipart/form-data` type without a boundary is the
//!   `Multipart` extractor's 415.
//! - A field sent twice: the first one counts (as `MultiDict::get`).
//!
//! It implements `FromEnvironLast` (it reads the input stream), so it is the handler's last
//! argument.

use http::StatusCode;
use microframe::rejection::{FormRejection, MultipartRejection};
use microframe::{Environ, FromEnvironLast, IntoResponse, MultiDict, Multipart, Response, StartResponse};

use crate::entry::{MAX_PHOTO, Photo, Signing};

/// The 415 text for a body that is neither urlencoded nor multipart.
pub const UNSUPPORTED_TYPE: &str = "Expected Content-Type: application/x-www-form-urlencoded or multipart/form-data";

/// The signing `POST /sign` carried, as sent (the rules run later).
#[derive(Debug)]
pub struct Submission(pub Signing);

/// Why the body of `POST /sign` could not be read: each answers with its own status and text.
#[derive(Debug)]
pub enum SubmissionRejection {
    /// The urlencoded body's refusal (413 over the limit, 408/400 for a broken body).
    Form(FormRejection),
    /// The multipart body's refusal (415 without a boundary, 400 malformed, 413 over a cap).
    Multipart(MultipartRejection),
    /// A body of another type: 415 [`UNSUPPORTED_TYPE`].
    UnsupportedType,
}

impl IntoResponse for SubmissionRejection {
    fn into_response(self, start_response: StartResponse) -> Response {
        match self {
            Self::Form(rejection) => rejection.into_response(start_response),
            Self::Multipart(rejection) => rejection.into_response(start_response),
            Self::UnsupportedType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_TYPE).into_response(start_response)
            }
        }
    }
}

impl From<MultipartRejection> for SubmissionRejection {
    fn from(rejection: MultipartRejection) -> Self {
        Self::Multipart(rejection)
    }
}

impl FromEnvironLast for Submission {
    type Rejection = SubmissionRejection;

    async fn from_environ_last(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        // An empty or absent body is an empty form whatever its type; a body of another
        // type is refused without being read, so it can still be read as multipart.
        let multipart = is_multipart(environ);
        let form = match MultiDict::form(environ).await {
            Ok(form) => form,
            Err(FormRejection::InvalidContentType(_)) if multipart => {
                return Ok(Submission(read_multipart(Multipart::from_environ_last(environ).await?).await?));
            }
            Err(FormRejection::InvalidContentType(_)) => return Err(SubmissionRejection::UnsupportedType),
            Err(other) => return Err(SubmissionRejection::Form(other)),
        };
        Ok(Submission(Signing {
            name: Some(form.get("name").unwrap_or_default().to_owned()),
            message: Some(form.get("message").unwrap_or_default().to_owned()),
            ..Signing::default()
        }))
    }
}

/// The media type is `multipart/form-data` (case-insensitive, parameters ignored).
fn is_multipart(environ: &Environ) -> bool {
    let content_type = environ.header("content-type").unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("multipart/form-data")
}

// ANCHOR: multipart
async fn read_multipart(mut form: Multipart) -> Result<Signing, MultipartRejection> {
    let mut signing = Signing { name: Some(String::new()), message: Some(String::new()), ..Signing::default() };
    let (mut seen_name, mut seen_message, mut seen_photo) = (false, false, false);
    while let Some(mut field) = form.next_field().await? {
        let is_file = field.file_name().is_some();
        match field.name() {
            "name" if !is_file && !seen_name => {
                seen_name = true;
                signing.name = Some(field.text().await?);
            }
            "message" if !is_file && !seen_message => {
                seen_message = true;
                signing.message = Some(field.text().await?);
            }
            "photo" if is_file && !seen_photo => {
                seen_photo = true;
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await? {
                    if bytes.len() + chunk.len() > MAX_PHOTO {
                        signing.photo_too_large = true;
                        break; // the rest of the part is skipped at the next field
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !signing.photo_too_large && !bytes.is_empty() {
                    signing.photo = Some(Photo { bytes });
                }
            }
            _ => {} // not read: skipped at the next field
        }
    }
    Ok(signing)
}
// ANCHOR_END: multipart
