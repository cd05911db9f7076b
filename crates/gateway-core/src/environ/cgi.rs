//! String access by CGI key (`get("HTTP_X_CUSTOM_THING")`) and iteration over every key (the
//! key rules are in `Environ::get`'s docs).

use std::borrow::Cow;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName};

use super::Environ;
use crate::percent::latin1;

/// Every key that is not a header, in the order they are looked up.
const FIXED_KEYS: [&str; 20] = [
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "PATH_INFO",
    "QUERY_STRING",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "gateway.input",
    "gateway.multiprocess",
    "gateway.multithread",
    "gateway.raw_path_info",
    "gateway.raw_script_name",
    "gateway.raw_uri",
    "gateway.run_once",
    "gateway.url_scheme",
    "gateway.version",
];

impl Environ {
    /// A value by its CGI or `gateway.*` key; `None` when the request has no such key.
    /// Non-string entries read as text: booleans as `true`/`false`, the input as `<input>`.
    ///
    /// Header keys are computed on lookup: `HTTP_` + the name upper-cased with `-` as `_`.
    /// A header whose name already contains `_` gets no `HTTP_` key, because it would be
    /// indistinguishable from its dashed twin (`X_User` vs `X-User`, a classic spoofing
    /// trick behind proxies that drop one but not the other); it stays readable with
    /// [`Environ::header`]. [`Environ::iter`] lists the same keys.
    ///
    /// | key | value |
    /// |---|---|
    /// | `REQUEST_METHOD`, `SCRIPT_NAME`, `PATH_INFO`, `QUERY_STRING` | always present |
    /// | `CONTENT_TYPE`, `CONTENT_LENGTH` | present when the request has them |
    /// | `SERVER_NAME`, `SERVER_PORT`, `SERVER_PROTOCOL` | always present |
    /// | `REMOTE_ADDR`, `REMOTE_PORT` | present when the server knows the peer |
    /// | `HTTP_<NAME>` | every other header, repeated ones joined |
    /// | `gateway.version` | `1.0` |
    /// | `gateway.url_scheme` | `http` or `https` |
    /// | `gateway.input` | `<input>` (the stream is [`Environ::input`]) |
    /// | `gateway.raw_uri`, `gateway.raw_path_info`, `gateway.raw_script_name` | raw, percent-encoded |
    /// | `gateway.multithread`, `gateway.multiprocess`, `gateway.run_once` | `true`, `false`, per server |
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/").header("x-custom-thing", "yes").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.get("HTTP_X_CUSTOM_THING").as_deref(), Some("yes"));
    /// assert_eq!(environ.get("CONTENT_LENGTH"), None);
    /// assert_eq!(environ.get("gateway.multithread").as_deref(), Some("true"));
    ///
    /// # let (parts, ()) = http::Request::get("/").header("x_user", "admin").body(()).unwrap().into_parts();
    /// let spoofed = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(spoofed.get("HTTP_X_USER"), None); // `x_user` is not `x-user`
    /// assert_eq!(spoofed.header("x_user").as_deref(), Some("admin"));
    /// ```
    pub fn get(&self, key: &str) -> Option<Cow<'_, str>> {
        let flag = |on: bool| Cow::Borrowed(if on { "true" } else { "false" });
        Some(match key {
            "REQUEST_METHOD" => Cow::Borrowed(self.method().as_str()),
            "SCRIPT_NAME" => self.script_name(),
            "PATH_INFO" => self.path_info(),
            "QUERY_STRING" => Cow::Borrowed(self.query_string()),
            "CONTENT_TYPE" => self.header(CONTENT_TYPE)?,
            "CONTENT_LENGTH" => self.header(CONTENT_LENGTH)?,
            "SERVER_NAME" => self.server_name(),
            "SERVER_PORT" => Cow::Owned(self.server_port().to_string()),
            "SERVER_PROTOCOL" => Cow::Borrowed(self.server_protocol()),
            "REMOTE_ADDR" => Cow::Owned(self.inner.remote_addr?.ip().to_string()),
            "REMOTE_PORT" => Cow::Owned(self.inner.remote_addr?.port().to_string()),
            "gateway.version" => Cow::Borrowed("1.0"),
            "gateway.url_scheme" => Cow::Borrowed(self.inner.url_scheme),
            "gateway.input" => Cow::Borrowed("<input>"),
            "gateway.raw_uri" => self.raw_uri(),
            "gateway.raw_path_info" => Cow::Borrowed(self.raw_path_info()),
            "gateway.raw_script_name" => Cow::Borrowed(self.raw_script_name()),
            "gateway.multithread" => flag(true),
            "gateway.multiprocess" => flag(false),
            "gateway.run_once" => flag(self.inner.run_once),
            _ => {
                let cgi = key.strip_prefix("HTTP_")?;
                let name = self.headers().keys().find(|name| cgi_name_is(name, cgi))?;
                self.header(name)?
            }
        })
    }

    /// Every key with its value, sorted by key (the environ example prints this).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/").header("accept", "*/*").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// let keys: Vec<String> = environ.iter().map(|(key, _)| key.into_owned()).collect();
    /// assert!(keys.contains(&"HTTP_ACCEPT".to_string()));
    /// assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        let fixed = FIXED_KEYS.iter().filter_map(|&key| Some((Cow::Borrowed(key), self.get(key)?)));
        let headers = self.headers().keys().filter_map(|name| {
            let mut key = String::new();
            push_cgi_key(name, &mut key).then_some(())?;
            Some((Cow::Owned(key), self.header(name)?))
        });
        let mut all: Vec<_> = fixed.chain(headers).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all.into_iter()
    }
}

/// Appends the `HTTP_*` key of a header to `key`; `false` (and nothing appended) for the
/// headers CGI names otherwise and for names that contain `_`.
pub(super) fn push_cgi_key(name: &HeaderName, key: &mut String) -> bool {
    if name == CONTENT_TYPE || name == CONTENT_LENGTH || name.as_str().contains('_') {
        return false;
    }
    key.push_str("HTTP_");
    let start = key.len();
    // Names are lower-case ASCII: the segments between `-`, then one upper-casing pass.
    for (index, segment) in name.as_str().split('-').enumerate() {
        if index > 0 {
            key.push('_');
        }
        key.push_str(segment);
    }
    key[start..].make_ascii_uppercase();
    true
}

/// Whether `name` is the header behind the `HTTP_` key whose rest is `cgi`, without
/// building the key.
fn cgi_name_is(name: &HeaderName, cgi: &str) -> bool {
    let name = name.as_str();
    name.len() == cgi.len()
        && name != CONTENT_TYPE
        && name != CONTENT_LENGTH
        && name.bytes().zip(cgi.bytes()).all(|(n, c)| match n {
            b'-' => c == b'_',
            b'_' => false,
            _ => n.to_ascii_uppercase() == c,
        })
}

/// A header's values joined as the environ shows them.
pub(super) fn joined<'h>(headers: &'h HeaderMap, name: &str) -> Option<Cow<'h, str>> {
    join(headers.get_all(name), name.eq_ignore_ascii_case("cookie"))
}

/// `values` joined with `, `, or with `; ` for `Cookie`; `None` when there is none.
pub(super) fn join(values: http::header::GetAll<'_, http::HeaderValue>, cookie: bool) -> Option<Cow<'_, str>> {
    let mut values = values.into_iter();
    let first = values.next()?;
    let Some(second) = values.next() else {
        return Some(latin1(first.as_bytes()));
    };
    let separator = if cookie { "; " } else { ", " };
    let mut all = String::from(latin1(first.as_bytes()));
    for value in std::iter::once(second).chain(values) {
        all.push_str(separator);
        all.push_str(&latin1(value.as_bytes()));
    }
    Some(Cow::Owned(all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Input;

    fn environ(request: http::request::Builder) -> Environ {
        let parts = request.body(()).map(|r| r.into_parts().0);
        Environ::new(parts.unwrap_or_else(|_| http::Request::new(()).into_parts().0), Input::empty())
    }

    #[test]
    fn repeated_headers_join_with_comma_and_cookies_with_semicolon() {
        let environ = environ(
            http::Request::get("/")
                .header("accept", "a")
                .header("accept", "b")
                .header("cookie", "x=1")
                .header("cookie", "y=2"),
        );
        assert_eq!(environ.get("HTTP_ACCEPT").as_deref(), Some("a, b"));
        assert_eq!(environ.get("HTTP_COOKIE").as_deref(), Some("x=1; y=2"));
    }

    #[test]
    fn underscore_headers_get_no_cgi_key() {
        let environ = environ(http::Request::get("/").header("x_user", "mallory").header("x-user", "alice"));
        assert_eq!(environ.get("HTTP_X_USER").as_deref(), Some("alice"));
        assert_eq!(environ.iter().filter(|(k, _)| k == "HTTP_X_USER").count(), 1);
    }

    #[test]
    fn content_headers_have_cgi_names_not_http_names() {
        let environ =
            environ(http::Request::post("/").header("content-type", "text/plain").header("content-length", "3"));
        assert_eq!(environ.get("CONTENT_TYPE").as_deref(), Some("text/plain"));
        assert_eq!(environ.get("HTTP_CONTENT_TYPE"), None);
        assert!(environ.iter().all(|(k, _)| k != "HTTP_CONTENT_LENGTH"));
    }

    #[test]
    fn non_ascii_header_bytes_read_as_latin1() {
        let value = http::HeaderValue::from_bytes(b"caf\xe9").unwrap_or(http::HeaderValue::from_static("x"));
        let environ = environ(http::Request::get("/").header("x-name", value));
        assert_eq!(environ.get("HTTP_X_NAME").as_deref(), Some("café"));
    }

    #[test]
    fn iteration_is_sorted_and_has_every_required_key() {
        let environ = environ(http::Request::get("/").header("x-b", "1").header("x-a", "2"));
        let keys: Vec<String> = environ.iter().map(|(k, _)| k.into_owned()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        for required in ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT"] {
            assert!(keys.iter().any(|k| k == required), "{required} missing");
        }
        assert!(!keys.iter().any(|k| k == "REMOTE_ADDR"));
    }

    type Pairs = Vec<(String, String)>;

    /// What `for_each_cgi` visits, sorted, and what `iter` lists but the `gateway.*` keys.
    fn visited_and_listed(environ: &Environ) -> (Pairs, Pairs) {
        let mut visited = Vec::new();
        environ.for_each_cgi(|key, value| visited.push((key.to_owned(), value.to_owned())));
        visited.sort();
        let listed = environ
            .iter()
            .filter(|(key, _)| !key.starts_with("gateway."))
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        (visited, listed)
    }

    #[test]
    fn for_each_cgi_visits_the_pairs_of_iter_but_the_gateway_ones() {
        for peer in ["127.0.0.1:80", "10.200.3.45:65535", "[2001:db8::1]:4711", "0.0.0.0:0"] {
            let peer: std::net::SocketAddr = peer.parse().unwrap();
            let environ = environ(http::Request::get("/").header("host", "example.com:8080")).with_remote_addr(peer);
            let (visited, listed) = visited_and_listed(&environ);
            assert_eq!(visited, listed);
            assert!(visited.contains(&("REMOTE_ADDR".to_owned(), peer.ip().to_string())));
        }
        let environ = environ(
            http::Request::post("/a%20b?c=d")
                .header("x-b", "1")
                .header("accept", "a")
                .header("accept", "b")
                .header("x_user", "no")
                .header("content-type", "text/plain"),
        );
        let (visited, listed) = visited_and_listed(&environ);
        assert_eq!(visited, listed);
        assert!(visited.contains(&("HTTP_ACCEPT".to_owned(), "a, b".to_owned())));
    }

    #[test]
    fn server_name_falls_back_to_localhost_80() {
        let environ = environ(http::Request::get("/"));
        assert_eq!(environ.get("SERVER_NAME").as_deref(), Some("localhost"));
        assert_eq!(environ.get("SERVER_PORT").as_deref(), Some("80"));
    }
}
