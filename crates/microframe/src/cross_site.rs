//! Cross-site request protection, on by default in a `Microframe` app (the rules are in
//! [`Microframe::cross_site_protection`](crate::Microframe::cross_site_protection)'s docs).

use std::sync::Arc;

use gateway_core::Environ;
use http::Method;
use http::header::{HOST, ORIGIN};

/// The protection's settings: the trusted origins, normalized (`scheme://host:port`).
#[derive(Debug, Clone, Default)]
pub(crate) struct CrossSite {
    trusted: Arc<Vec<String>>,
}

impl CrossSite {
    /// Adds a trusted origin.
    ///
    /// # Panics
    /// When `origin` is not `scheme://host[:port]`.
    #[track_caller]
    pub(crate) fn trust(&mut self, origin: &str) {
        let Some(normalized) = normalize(origin) else {
            panic!("trusted origin {origin:?} is not an origin (scheme://host[:port], no path)");
        };
        Arc::make_mut(&mut self.trusted).push(normalized);
    }

    /// Whether the request may go on.
    pub(crate) fn allows(&self, environ: &Environ) -> bool {
        if !is_unsafe(environ.method()) {
            return true;
        }
        let headers = environ.headers();
        let origin = headers.get(ORIGIN).and_then(|value| value.to_str().ok());
        let trusted = || origin.and_then(normalize).is_some_and(|origin| self.trusted.contains(&origin));
        if let Some(site) = headers.get("sec-fetch-site") {
            return matches!(site.as_bytes(), b"same-origin" | b"none") || trusted();
        }
        let Some(origin) = origin else {
            return headers.get(ORIGIN).is_none();
        };
        normalize(origin).is_some_and(|origin| origin == own_origin(environ)) || trusted()
    }
}

fn is_unsafe(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// The request's own origin, normalized.
fn own_origin(environ: &Environ) -> String {
    let scheme = environ.url_scheme();
    match environ.headers().get(HOST).and_then(|host| host.to_str().ok()) {
        Some(host) => normalize(&format!("{scheme}://{host}")).unwrap_or_default(),
        None => format!("{scheme}://{}:{}", environ.server_name().to_ascii_lowercase(), environ.server_port()),
    }
}

/// `scheme://host[:port]` as `scheme://host:port`, lower case, the default port filled in;
/// `None` for `null` or anything else that is not an origin.
fn normalize(origin: &str) -> Option<String> {
    let (scheme, authority) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (address, after) = rest.split_once(']')?;
            let port = if after.is_empty() { None } else { Some(after.strip_prefix(':')?) };
            (&authority[..address.len() + 2], port)
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(port) => port.parse::<u16>().ok()?,
        None => match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        },
    };
    Some(format!("{scheme}://{}:{port}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn origins_normalize_with_default_ports_and_lower_case() {
        let cases = [
            ("https://Example.com", Some("https://example.com:443")),
            ("http://example.com:80", Some("http://example.com:80")),
            ("http://example.com", Some("http://example.com:80")),
            ("http://127.0.0.1:8051", Some("http://127.0.0.1:8051")),
            ("http://[::1]:8051", Some("http://[::1]:8051")),
            ("http://[::1]", Some("http://[::1]:80")),
            ("null", None),
            ("http://example.com/path", None),
            ("http://", None),
            ("http://example.com:99999", None),
            ("http://example.com:x", None),
            ("ftp://example.com", None),
            ("http://user@example.com", None),
            ("http://[::1]x", None),
        ];
        for (origin, expected) in cases {
            assert_eq!(normalize(origin).as_deref(), expected, "{origin}");
        }
    }
}
