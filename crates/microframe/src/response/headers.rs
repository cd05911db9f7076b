//! Headers a handler adds to its response: typed pairs, string pairs, or a `HeaderMap`.

use std::fmt::Display;

use gateway_core::{Response, StartResponse};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::IntoResponse;

/// Headers for a response tuple: `(headers, body)`, `(StatusCode, headers, body)`, or the
/// abort `(StatusCode, headers)`. A `HeaderMap`, or an array or `Vec` of pairs whose names
/// and values convert to `http`'s types: `(HeaderName, HeaderValue)`, `(&str, &str)`,
/// `(&str, String)`, ...
///
/// A name or value that is not valid in HTTP (a newline, say) is a bug in the app: the
/// response becomes a 500 whose cause is logged, never a malformed header.
///
/// # Examples
/// ```
/// use microframe::IntoResponseHeaders;
///
/// let headers = [("cache-control", "no-store"), ("x-step", "7")].into_response_headers().unwrap();
/// assert_eq!(headers["x-step"], "7");
/// assert!([("x-bad", "a\nb")].into_response_headers().is_err());
/// ```
pub trait IntoResponseHeaders {
    /// The headers, or why one cannot be sent.
    ///
    /// # Errors
    /// A name or a value that HTTP does not allow, described.
    fn into_response_headers(self) -> Result<HeaderMap, String>;
}

impl IntoResponseHeaders for HeaderMap {
    fn into_response_headers(self) -> Result<HeaderMap, String> {
        Ok(self)
    }
}

fn collect<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<HeaderMap, String>
where
    K: TryInto<HeaderName>,
    K::Error: Display,
    V: TryInto<HeaderValue>,
    V::Error: Display,
{
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = name.try_into().map_err(|error| format!("invalid header name: {error}"))?;
        let value = value.try_into().map_err(|error| format!("invalid value for header {name}: {error}"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// Pairs in a collection: an array or a `Vec`.
macro_rules! pairs_into_headers {
    ($([$($generics:tt)*] $ty:ty),*) => {$(
        impl<K, V, $($generics)*> IntoResponseHeaders for $ty
        where
            K: TryInto<HeaderName>,
            K::Error: Display,
            V: TryInto<HeaderValue>,
            V::Error: Display,
        {
            fn into_response_headers(self) -> Result<HeaderMap, String> {
                collect(self)
            }
        }
    )*};
}

pairs_into_headers!([const N: usize] [(K, V); N], [] Vec<(K, V)>);

/// Adds `headers` to `response`, each name replacing the response's own value of it, and
/// several values of one name all kept; an invalid header turns the response into a 500.
pub(crate) fn add_headers(response: Response, headers: impl IntoResponseHeaders) -> Response {
    let headers = match headers.into_response_headers() {
        Ok(headers) => headers,
        Err(error) => {
            tracing::error!(%error, "a response header cannot be sent; answering 500");
            return StartResponse::new().reject(&StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let mut response = response;
    let mut current = None;
    for (name, value) in headers {
        match name {
            Some(name) => {
                response.headers_mut().insert(&name, value);
                current = Some(name);
            }
            None => {
                if let Some(name) = &current {
                    response.headers_mut().append(name, value);
                }
            }
        }
    }
    response
}

/// Headers alone: a 200 with an empty body; with a status in front, `(StatusCode, headers)`,
/// an abort (see [`IntoResponse::into_response_with_status`]).
macro_rules! headers_response {
    ($([$($generics:tt)*] $ty:ty),*) => {$(
        impl<$($generics)*> IntoResponse for $ty
        where
            $ty: IntoResponseHeaders,
        {
            fn into_response(self, start_response: StartResponse) -> Response {
                add_headers(start_response.start(StatusCode::OK, ()).body(gateway_core::Body::empty()), self)
            }

            /// The status answered as a bare `StatusCode` is (an abort: its text, rendered
            /// by an error handler when one is registered), with these headers added.
            fn into_response_with_status(self, status: StatusCode, start_response: StartResponse) -> Response {
                add_headers(status.into_response(start_response), self)
            }
        }
    )*};
}

headers_response!([] HeaderMap, [K, V, const N: usize] [(K, V); N], [K, V] Vec<(K, V)>);
