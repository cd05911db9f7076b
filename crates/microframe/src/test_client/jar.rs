//! The client's cookie jar: RFC 6265 storage and retrieval for one in-process host (which
//! cookies a request sends is in [`TestClient`](crate::TestClient)'s docs). Time is passed
//! in as an [`Instant`] so expiry is testable without sleeping.

use std::cmp::Reverse;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use cookie::Cookie;
use cookie::time::OffsetDateTime;

/// One jar shared by a client and its clones, as a browser's tabs share theirs.
#[derive(Debug, Clone, Default)]
pub(super) struct SharedJar(Arc<Mutex<Jar>>);

impl SharedJar {
    /// The jar. It is locked briefly and never across an `.await`; a lock poisoned by a
    /// panic elsewhere still holds good cookies.
    pub(super) fn lock(&self) -> MutexGuard<'_, Jar> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The cookies a client has been given and that have not expired yet.
#[derive(Debug, Default)]
pub(super) struct Jar {
    cookies: Vec<Stored>,
    /// The creation order of the next new cookie (§5.4: older cookies first among equals).
    next_order: u64,
}

#[derive(Debug)]
struct Stored {
    cookie: Cookie<'static>,
    /// The `Path` attribute, or the request's default-path when it had none.
    path: String,
    /// `None`: a session cookie, kept as long as the client.
    expires: Option<Instant>,
    order: u64,
}

impl Jar {
    /// Stores one `Set-Cookie` value received for `request_path`; an unparsable one is
    /// ignored, as a browser would.
    pub(super) fn store(&mut self, set_cookie: &str, request_path: &str, now: Instant) {
        if let Ok(cookie) = Cookie::parse_encoded(set_cookie.to_owned()) {
            self.insert(cookie, request_path, now);
        }
    }

    /// Stores `cookie`, replacing the one of the same name and path (which keeps its
    /// creation order, §5.3 step 11); an already expired cookie only removes that one.
    pub(super) fn insert(&mut self, cookie: Cookie<'static>, request_path: &str, now: Instant) {
        let path = match cookie.path() {
            Some(path) if path.starts_with('/') => path.to_owned(),
            _ => default_path(request_path),
        };
        let replaced =
            self.cookies.iter().position(|stored| stored.cookie.name() == cookie.name() && stored.path == path);
        let order = replaced.map(|index| self.cookies.remove(index).order);
        let Some(expires) = lifetime(&cookie, now) else { return };
        let order = order.unwrap_or_else(|| {
            self.next_order += 1;
            self.next_order
        });
        self.cookies.push(Stored { cookie, path, expires, order });
    }

    /// The `Cookie` header for a request to `request_path`: the live cookies whose path
    /// matches, longer paths first, then older first (§5.4); `None` when there are none.
    pub(super) fn header(&mut self, request_path: &str, now: Instant) -> Option<String> {
        let pairs: Vec<String> = self
            .live(now)
            .filter(|stored| path_matches(request_path, &stored.path))
            .map(|stored| {
                // Percent-encoded, as the server's `split_parse_encoded` expects.
                stored.cookie.encoded().stripped().to_string()
            })
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// The value of the live cookie named `name`, whatever its path (the most specific
    /// path's when there are several).
    pub(super) fn value(&mut self, name: &str, now: Instant) -> Option<String> {
        self.live(now).find(|stored| stored.cookie.name() == name).map(|stored| stored.cookie.value().to_owned())
    }

    /// Drops the expired cookies, then yields the others in §5.4 order.
    fn live(&mut self, now: Instant) -> impl Iterator<Item = &Stored> {
        self.cookies.retain(|stored| stored.expires.is_none_or(|expires| expires > now));
        let mut live: Vec<&Stored> = self.cookies.iter().collect();
        live.sort_by_key(|stored| (Reverse(stored.path.len()), stored.order));
        live.into_iter()
    }
}

/// When `cookie` expires: `None` when it already has (`Max-Age` of zero or less, an
/// `Expires` in the past), `Some(None)` for a session cookie. A date too far to be an
/// `Instant` is treated as never.
fn lifetime(cookie: &Cookie<'_>, now: Instant) -> Option<Option<Instant>> {
    let remaining = match (cookie.max_age(), cookie.expires_datetime()) {
        (Some(max_age), _) => max_age,
        (None, Some(expires)) => expires - OffsetDateTime::now_utc(),
        (None, None) => return Some(None),
    };
    let remaining = Duration::try_from(remaining).ok().filter(|remaining| !remaining.is_zero())?;
    Some(now.checked_add(remaining))
}

/// §5.1.4 default-path: the request path up to, not including, its last `/`; `/` when
/// that leaves nothing.
fn default_path(request_path: &str) -> String {
    match request_path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(last) => request_path[..last].to_owned(),
    }
}

/// §5.1.4 path-match: the same path, or `cookie_path` is a prefix of `request_path` ending
/// at a `/` boundary (`/docs` matches `/docs/a`, not `/docsx`).
fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    request_path
        .strip_prefix(cookie_path)
        .is_some_and(|rest| rest.is_empty() || cookie_path.ends_with('/') || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jar_with(set_cookies: &[&str], request_path: &str, now: Instant) -> Jar {
        let mut jar = Jar::default();
        for set_cookie in set_cookies {
            jar.store(set_cookie, request_path, now);
        }
        jar
    }

    #[test]
    fn default_path_is_the_directory_of_the_request() {
        for (request, expected) in [("", "/"), ("/", "/"), ("/a", "/"), ("/a/b", "/a"), ("/a/b/", "/a/b")] {
            assert_eq!(default_path(request), expected, "{request:?}");
        }
    }

    #[test]
    fn path_match_stops_at_slash_boundaries() {
        let cases = [
            ("/docs", "/docs", true),
            ("/docs/a", "/docs", true),
            ("/docs/a", "/docs/", true),
            ("/anything", "/", true),
            ("/docsx", "/docs", false),
            ("/doc", "/docs", false),
            ("/docs", "/docs/", false),
        ];
        for (request, cookie, expected) in cases {
            assert_eq!(path_matches(request, cookie), expected, "{request:?} against {cookie:?}");
        }
    }

    #[test]
    fn a_cookie_without_path_gets_the_default_path() {
        let now = Instant::now();
        let mut jar = jar_with(&["sid=1"], "/account/login", now);
        assert_eq!(jar.header("/account/settings", now).as_deref(), Some("sid=1"));
        assert_eq!(jar.header("/other", now), None);
    }

    #[test]
    fn max_age_zero_negative_or_a_past_expires_removes() {
        let now = Instant::now();
        for removal in ["a=; Max-Age=0", "a=; Max-Age=-1", "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"] {
            let mut jar = jar_with(&["a=1; Path=/", removal], "/", now);
            assert_eq!(jar.header("/", now), None, "{removal:?}");
        }
    }

    #[test]
    fn removal_only_touches_the_same_path() {
        let now = Instant::now();
        let mut jar = jar_with(&["a=1; Path=/", "a=2; Path=/x", "a=; Path=/x; Max-Age=0"], "/", now);
        assert_eq!(jar.header("/x/y", now).as_deref(), Some("a=1"));
    }

    #[test]
    fn a_positive_max_age_expires_after_that_many_seconds() {
        let now = Instant::now();
        let mut jar = jar_with(&["a=1; Path=/; Max-Age=60"], "/", now);
        assert_eq!(jar.header("/", now + Duration::from_secs(59)).as_deref(), Some("a=1"));
        assert_eq!(jar.header("/", now + Duration::from_secs(60)), None);
        assert_eq!(jar.value("a", now), None, "an expired cookie is dropped for good");
    }

    #[test]
    fn max_age_wins_over_expires_and_a_future_expires_keeps() {
        let now = Instant::now();
        let past = "Expires=Thu, 01 Jan 1970 00:00:00 GMT";
        let mut jar = jar_with(
            &[&format!("a=1; Path=/; Max-Age=60; {past}"), "b=2; Path=/; Expires=Fri, 01 Jan 9999 00:00:00 GMT"],
            "/",
            now,
        );
        assert_eq!(jar.header("/", now).as_deref(), Some("a=1; b=2"));
    }

    #[test]
    fn the_same_name_and_path_replaces_and_keeps_its_place() {
        let now = Instant::now();
        let mut jar = jar_with(&["a=1; Path=/", "b=2; Path=/", "a=3; Path=/", "a=4; Path=/x"], "/", now);
        assert_eq!(jar.header("/", now).as_deref(), Some("a=3; b=2"));
        assert_eq!(jar.header("/x", now).as_deref(), Some("a=4; a=3; b=2"));
    }

    #[test]
    fn longer_paths_come_first_then_older_cookies() {
        let now = Instant::now();
        let mut jar = jar_with(&["root=1; Path=/", "deep=2; Path=/a/b", "mid=3; Path=/a", "root2=4; Path=/"], "/", now);
        assert_eq!(jar.header("/a/b/c", now).as_deref(), Some("deep=2; mid=3; root=1; root2=4"));
        assert_eq!(jar.value("root", now).as_deref(), Some("1"));
    }

    #[test]
    fn values_are_decoded_on_receipt_and_encoded_on_sending() {
        let now = Instant::now();
        let mut jar = jar_with(&["msg=a%20b%3Bc; Path=/"], "/", now);
        assert_eq!(jar.value("msg", now).as_deref(), Some("a b;c"));
        assert_eq!(jar.header("/", now).as_deref(), Some("msg=a%20b%3Bc"));
    }

    #[test]
    fn unparsable_cookies_are_skipped_and_domain_and_secure_ignored() {
        let now = Instant::now();
        let mut jar = jar_with(&["garbage", "=nameless", "s=1; Domain=example.com; Secure; HttpOnly"], "/", now);
        assert_eq!(jar.header("/", now).as_deref(), Some("s=1"));
    }
}
