//! Following redirects: which request comes after a 3xx (RFC 9110 §15.4).

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use http::{HeaderMap, Method, StatusCode};

/// How many redirects one [`send`](super::TestRequest::send) follows before it returns the
/// redirect itself, so a loop fails a test instead of hanging it.
pub(super) const MAX_REDIRECTS: usize = 10;

/// One request of an exchange: the first, or one made by following a redirect.
#[derive(Debug, Clone)]
pub(super) struct Hop {
    pub(super) method: Method,
    pub(super) target: String,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl Hop {
    /// The request that follows a `status` response to this one, or `None` when the
    /// response is not a redirect with a `Location`.
    ///
    /// 301, 302 and 303 become a GET without a body, as browsers do (a HEAD stays a HEAD:
    /// it must not grow a body); 307 and 308 repeat the method and body. The request's own
    /// headers go along, but those describing a dropped body.
    pub(super) fn next(&self, status: StatusCode, location: Option<&str>) -> Option<Self> {
        let target = resolve(&self.target, location?);
        match status {
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER => {
                let method = if self.method == Method::HEAD { Method::HEAD } else { Method::GET };
                let mut headers = self.headers.clone();
                for name in [CONTENT_TYPE, CONTENT_LENGTH, TRANSFER_ENCODING] {
                    headers.remove(name);
                }
                Some(Self { method, target, headers, body: Bytes::new() })
            }
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => Some(Self { target, ..self.clone() }),
            _ => None,
        }
    }
}

/// The target a `Location` points to, seen from `current`: an absolute path as it is, only
/// the path and query of an absolute URL (everything is one in-process host), and a
/// relative reference joined to the current directory (dot segments are left alone). The
/// fragment is never sent.
fn resolve(current: &str, location: &str) -> String {
    let location = location.split_once('#').map_or(location, |(before, _)| before);
    if let Some(authority_and_rest) = location.strip_prefix("//").or_else(|| after_scheme(location)) {
        return path_and_query(authority_and_rest);
    }
    if location.starts_with('/') {
        return location.to_owned();
    }
    let current = after_scheme(current).map_or_else(|| current.to_owned(), path_and_query);
    let path = current.split_once('?').map_or(current.as_str(), |(path, _)| path);
    if location.is_empty() || location.starts_with('?') {
        return format!("{path}{location}");
    }
    let directory = path.rfind('/').map_or("/", |last| &path[..=last]);
    format!("{directory}{location}")
}

/// What follows `scheme://` in an absolute URL.
fn after_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some(rest)
}

/// What follows the authority in `authority_and_rest` (`host:port/path?query`), as a target.
fn path_and_query(authority_and_rest: &str) -> String {
    match authority_and_rest.find(['/', '?']) {
        Some(start) if authority_and_rest[start..].starts_with('/') => authority_and_rest[start..].to_owned(),
        Some(start) => format!("/{}", &authority_and_rest[start..]),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn locations_resolve_to_a_path_and_query() {
        let cases = [
            ("/a/b?x=1", "/c?d=2", "/c?d=2"),
            ("/a/b", "http://example.com:8080/c?d=2#frag", "/c?d=2"),
            ("/a/b", "https://example.com", "/"),
            ("/a/b", "https://example.com?q", "/?q"),
            ("/a/b", "//example.com/c", "/c"),
            ("/a/b", "/x://y", "/x://y"),
            ("/a/b?x=1", "c", "/a/c"),
            ("/a/b/?x=1", "c", "/a/b/c"),
            ("/a/b?x=1", "?y=2", "/a/b?y=2"),
            ("http://example.com/a/b", "c", "/a/c"),
        ];
        for (current, location, expected) in cases {
            assert_eq!(resolve(current, location), expected, "{location:?} from {current:?}");
        }
    }

    fn post() -> Hop {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("x-kept", HeaderValue::from_static("yes"));
        Hop { method: Method::POST, target: "/form".to_owned(), headers, body: Bytes::from_static(b"{}") }
    }

    #[test]
    fn see_other_and_friends_become_a_get_without_a_body() {
        for status in [301, 302, 303] {
            let next = post().next(StatusCode::from_u16(status).unwrap(), Some("/done")).unwrap();
            assert_eq!((next.method, next.target.as_str(), next.body.len()), (Method::GET, "/done", 0), "{status}");
            assert!(!next.headers.contains_key(CONTENT_TYPE));
            assert_eq!(next.headers["x-kept"], "yes");
        }
        let head = Hop { method: Method::HEAD, ..post() };
        assert_eq!(head.next(StatusCode::SEE_OTHER, Some("/done")).unwrap().method, Method::HEAD);
    }

    #[test]
    fn temporary_and_permanent_repeat_the_request() {
        for status in [StatusCode::TEMPORARY_REDIRECT, StatusCode::PERMANENT_REDIRECT] {
            let next = post().next(status, Some("/again")).unwrap();
            assert_eq!((next.method, next.target.as_str(), &next.body[..]), (Method::POST, "/again", &b"{}"[..]));
            assert_eq!(next.headers[CONTENT_TYPE], "application/json");
        }
    }

    #[test]
    fn other_statuses_and_a_missing_location_are_not_followed() {
        assert!(post().next(StatusCode::OK, Some("/x")).is_none());
        assert!(post().next(StatusCode::NOT_MODIFIED, Some("/x")).is_none());
        assert!(post().next(StatusCode::SEE_OTHER, None).is_none());
    }
}
