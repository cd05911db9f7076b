//! `SERVER_NAME` and `SERVER_PORT` (the rules are in their methods' docs).

use std::borrow::Cow;

use super::Environ;

impl Environ {
    /// `SERVER_NAME`: the host the client asked for: from the target's authority or `Host`,
    /// else the address the server is bound to, else `localhost` (PEP 3333 requires the key).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/").header("host", "example.org:8080").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.server_name(), "example.org");
    /// assert_eq!(environ.server_port(), 8080);
    /// ```
    pub fn server_name(&self) -> Cow<'_, str> {
        self.server().0
    }

    /// `SERVER_PORT`: the `Host` port, the scheme's default port when `Host` has none; without
    /// `Host`, the bound address's port, else the scheme's default (80 or 443).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/").header("host", "[::1]").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.server_name(), "[::1]");
    /// assert_eq!(environ.server_port(), 80);
    /// ```
    pub fn server_port(&self) -> u16 {
        self.server().1
    }

    /// `SERVER_NAME` and `SERVER_PORT` (one reading of the `Host` header for both).
    pub(super) fn server(&self) -> (Cow<'_, str>, u16) {
        let default = if self.inner.url_scheme == "https" { 443 } else { 80 };
        match self.host() {
            Some((host, port)) => (Cow::Borrowed(host), port.unwrap_or(default)),
            None => match self.inner.local_addr {
                Some(addr) => (Cow::Owned(addr.ip().to_string()), addr.port()),
                None => (Cow::Borrowed("localhost"), default),
            },
        }
    }

    /// The host and port the request names: the target's authority (absolute form, HTTP/2)
    /// or the `Host` header.
    fn host(&self) -> Option<(&str, Option<u16>)> {
        if let Some(authority) = self.inner.parts.uri.authority() {
            return Some((authority.host(), authority.port_u16()));
        }
        let host = self.inner.parts.headers.get(http::header::HOST)?.to_str().ok()?;
        // `[v6]:port`, `name:port`, or no port; a port that is not a number is ignored.
        let split = match host.rfind(':') {
            Some(colon) if !host[colon..].contains(']') => Some(colon),
            _ => None,
        };
        Some(match split {
            Some(colon) => (&host[..colon], host[colon + 1..].parse().ok()),
            None => (host, None),
        })
        .filter(|(name, _)| !name.is_empty())
    }
}
