//! The contract's run-time rules: what the types cannot rule out (each is a [`Violation`];
//! who applies them is in [`check_response`]'s docs).

use std::fmt;

use http::header::{self, CONTENT_LENGTH};
use http::{HeaderName, StatusCode};

use crate::environ::Environ;
use crate::response::Response;

/// A broken rule of the gateway contract, named by [`Violation::rule`].
///
/// # Examples
/// ```
/// use gateway_core::Violation;
///
/// let violation = Violation::ContentLengthMismatch { declared: 5, produced: 7 };
/// assert_eq!(violation.rule(), "content-length-matches-body");
/// assert!(violation.to_string().contains("5"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A final status outside 200..=599 (1xx are interim responses the server sends).
    StatusRange(StatusCode),
    /// A hop-by-hop header (`Connection`, `Transfer-Encoding`, ...): the server's business.
    HopByHopHeader(HeaderName),
    /// `Content-Length` that is not one decimal number.
    ContentLengthInvalid,
    /// `Content-Length` different from the bytes the body produced (HEAD included).
    ContentLengthMismatch {
        /// What the header said.
        declared: u64,
        /// What the body had.
        produced: u64,
    },
    /// Body bytes on a 204 or 304 response.
    BodyOnBodilessStatus(StatusCode),
    /// `SCRIPT_NAME` that is neither empty nor starts with `/`, or ends with `/`.
    ScriptNameForm(String),
    /// `PATH_INFO` that is neither empty nor starts with `/`.
    PathInfoForm(String),
}

impl Violation {
    /// The rule's stable name.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(gateway_core::Violation::ContentLengthInvalid.rule(), "content-length-valid");
    /// ```
    pub fn rule(&self) -> &'static str {
        match self {
            Self::StatusRange(_) => "status-range",
            Self::HopByHopHeader(_) => "no-hop-by-hop-headers",
            Self::ContentLengthInvalid => "content-length-valid",
            Self::ContentLengthMismatch { .. } => "content-length-matches-body",
            Self::BodyOnBodilessStatus(_) => "no-body-on-204-304",
            Self::ScriptNameForm(_) => "script-name-form",
            Self::PathInfoForm(_) => "path-info-form",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gateway contract rule `{}` broken: ", self.rule())?;
        match self {
            Self::StatusRange(status) => write!(f, "final status {} is outside 200..=599", status.as_u16()),
            Self::HopByHopHeader(name) => write!(f, "the app set the hop-by-hop header `{name}`"),
            Self::ContentLengthInvalid => f.write_str("Content-Length is not one decimal number"),
            Self::ContentLengthMismatch { declared, produced } => {
                write!(f, "Content-Length is {declared} but the body has {produced} bytes")
            }
            Self::BodyOnBodilessStatus(status) => write!(f, "status {} must not have a body", status.as_u16()),
            Self::ScriptNameForm(value) => {
                write!(f, "SCRIPT_NAME {value:?} must be empty or start with `/`, not end with it")
            }
            Self::PathInfoForm(value) => write!(f, "PATH_INFO {value:?} must be empty or start with `/`"),
        }
    }
}

impl std::error::Error for Violation {}

/// Checks the environ an app is given (what `wsgiref.validate` checks of a server).
///
/// # Errors
/// The first broken rule.
///
/// # Examples
/// ```
/// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
/// assert!(gateway_core::check_environ(&environ).is_ok());
/// ```
pub fn check_environ(environ: &Environ) -> Result<(), Violation> {
    let script = environ.raw_script_name();
    if !script.is_empty() && (!script.starts_with('/') || script.ends_with('/')) {
        return Err(Violation::ScriptNameForm(script.to_owned()));
    }
    let path = environ.raw_path_info();
    if !path.is_empty() && !path.starts_with('/') && path != "*" {
        return Err(Violation::PathInfoForm(path.to_owned()));
    }
    Ok(())
}

/// Checks a response's head, and its body where the length is known before sending.
///
/// Servers apply it to every response (a violation becomes a 500);
/// [`Validate`](crate::Validate) applies it too, and also follows streaming bodies byte by
/// byte. One definition of each rule, used by both.
///
/// # Errors
/// The first broken rule.
///
/// # Examples
/// ```
/// use gateway_core::{check_response, StartResponse};
/// use http::{header::CONTENT_LENGTH, HeaderValue, StatusCode};
///
/// let ok = StartResponse::new().start(StatusCode::OK, ()).body("abc");
/// assert!(check_response(&ok).is_ok());
/// let wrong = StartResponse::new().start(StatusCode::OK, [(CONTENT_LENGTH, HeaderValue::from(2_u64))]).body("abc");
/// assert_eq!(check_response(&wrong).unwrap_err().rule(), "content-length-matches-body");
/// ```
pub fn check_response(response: &Response) -> Result<(), Violation> {
    let status = response.status();
    if !(200..=599).contains(&status.as_u16()) {
        return Err(Violation::StatusRange(status));
    }
    // One pass over the names: hop-by-hop headers, and whether a length is declared at all
    // (most responses declare none, so the map is not searched for one).
    let mut declares_length = false;
    for name in response.headers().keys() {
        if is_hop_by_hop(name) {
            return Err(Violation::HopByHopHeader(name.clone()));
        }
        declares_length |= name == CONTENT_LENGTH;
    }
    let declared = if declares_length { declared_length(response)? } else { None };
    let known = response.body().exact_length();
    if let (Some(declared), Some(produced)) = (declared, known)
        && declared != produced
    {
        return Err(Violation::ContentLengthMismatch { declared, produced });
    }
    if forbids_body(status) && known.is_some_and(|length| length > 0) {
        return Err(Violation::BodyOnBodilessStatus(status));
    }
    Ok(())
}

/// The `Content-Length` a response declares.
///
/// # Errors
/// [`Violation::ContentLengthInvalid`] for a value that is not one decimal number.
///
/// # Examples
/// ```
/// use gateway_core::{declared_length, StartResponse};
/// use http::{header::CONTENT_LENGTH, HeaderValue, StatusCode};
///
/// let response = StartResponse::new().start(StatusCode::OK, [(CONTENT_LENGTH, HeaderValue::from_static("+3"))]).body("abc");
/// assert!(declared_length(&response).is_err());
/// ```
pub fn declared_length(response: &Response) -> Result<Option<u64>, Violation> {
    let mut values = response.headers().get_all(CONTENT_LENGTH).into_iter();
    let Some(value) = values.next() else { return Ok(None) };
    let digits = value.as_bytes();
    if values.next().is_some() || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Violation::ContentLengthInvalid);
    }
    std::str::from_utf8(digits).ok().and_then(|d| d.parse().ok()).map(Some).ok_or(Violation::ContentLengthInvalid)
}

/// Whether a status never carries a body (204, 304).
pub(crate) fn forbids_body(status: StatusCode) -> bool {
    status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED
}

/// The hop-by-hop headers (RFC 9110 §7.6.1, and PEP 3333's list), built at compile time.
const HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

fn is_hop_by_hop(name: &HeaderName) -> bool {
    HOP_BY_HOP.contains(name)
}
