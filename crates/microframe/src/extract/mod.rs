//! Extractors: typed values a handler takes as arguments, read from the environ.
//!
//! Each handler argument implements [`FromEnviron`]. Extractors run left to right; the
//! first that fails answers with its rejection (a type with the status and the exact body
//! text of design §3) and the handler is not called.

mod form;
mod path;
mod query;

use std::future::Future;

use gateway_core::Environ;
use http::Method;

use crate::response::IntoResponse;

pub(crate) use form::read_form_body;
pub use form::{Form, ParseForm, ParseFormLayer};
pub use path::{FromParam, FromParams, Params, Path};
pub use query::{ParseQuery, ParseQueryLayer, Query};

/// Deserializes urlencoded `input` into `T` with `serde_html_form`. A success costs no
/// path tracking; only a failure is deserialized again under `serde_path_to_error`, to
/// name the field in the rejection (the error path is cold, the success path is every
/// request).
pub(crate) fn deserialize_urlencoded<T: serde::de::DeserializeOwned>(
    input: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_html_form::de::Error>> {
    match serde_html_form::from_bytes(input) {
        Ok(value) => Ok(value),
        Err(_) => serde_path_to_error::deserialize(serde_html_form::Deserializer::from_bytes(input)),
    }
}

/// A value a handler can take as an argument.
///
/// # Examples
/// ```
/// use gateway_core::Environ;
/// use microframe::FromEnviron;
///
/// /// The `User-Agent` header, or `""`.
/// struct UserAgent(String);
///
/// impl FromEnviron for UserAgent {
///     type Rejection = std::convert::Infallible;
///     async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
///         Ok(UserAgent(environ.header("user-agent").unwrap_or_default().into_owned()))
///     }
/// }
/// # let mut environ = Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
/// # let agent = futures_executor::block_on(UserAgent::from_environ(&mut environ)).unwrap();
/// # assert_eq!(agent.0, "");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken as a handler argument",
    label = "not an extractor",
    note = "handler arguments are extractors: `Query<T>`, `Form<T>`, `Path<T>`, `Params`, `MultiDict`, `UrlFor`, `Method`, or `Environ` (as the last argument)"
)]
pub trait FromEnviron: Sized + Send {
    /// The response when extraction fails.
    type Rejection: IntoResponse;

    /// Extracts the value.
    fn from_environ(environ: &mut Environ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send;
}

impl FromEnviron for Method {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(environ.method().clone())
    }
}

impl FromEnviron for Environ {
    type Rejection = std::convert::Infallible;

    /// The whole environ. Take it as the **last** argument: it is moved out, and extractors
    /// after it would see an empty request.
    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let blank = Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
        Ok(std::mem::replace(environ, blank))
    }
}
