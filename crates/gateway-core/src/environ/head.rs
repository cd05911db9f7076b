//! The request head as the environ shows it: `CONTENT_TYPE`, `CONTENT_LENGTH`, headers
//! joined the CGI way, `SERVER_PROTOCOL`.

use std::borrow::Cow;

use http::{HeaderMap, Version};

use super::{Environ, cgi};

impl Environ {
    /// `CONTENT_LENGTH` as a number; `None` when absent (or not a number, which servers
    /// refuse with 400 before the app runs).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::post("/").header("content-length", "6").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.content_length(), Some(6));
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        let value = self.inner.parts.headers.get(http::header::CONTENT_LENGTH)?;
        value.to_str().ok()?.parse().ok()
    }

    /// `CONTENT_TYPE`, when the request has one.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::post("/").header("content-type", "text/plain").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.content_type().as_deref(), Some("text/plain"));
    /// ```
    pub fn content_type(&self) -> Option<Cow<'_, str>> {
        self.header(http::header::CONTENT_TYPE)
    }

    /// A header's value as the environ shows it: repeated headers joined with `, ` (`; `
    /// for `Cookie`), bytes outside ASCII read as Latin-1.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/").header("accept", "a").header("accept", "b").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.header("accept").as_deref(), Some("a, b"));
    /// ```
    pub fn header(&self, name: impl AsRef<str>) -> Option<Cow<'_, str>> {
        cgi::joined(&self.inner.parts.headers, name.as_ref())
    }

    /// The request headers, as received.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert!(environ.headers().is_empty());
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.parts.headers
    }

    /// The request headers, to change (a proxy-header layer sets the `Host` the client
    /// asked for; `HTTP_*`, `SERVER_NAME` and `SERVER_PORT` follow).
    ///
    /// # Examples
    /// ```
    /// # let mut environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// environ.headers_mut().insert(http::header::HOST, "example.org:8443".parse().unwrap());
    /// assert_eq!(environ.server_port(), 8443);
    /// ```
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.inner.parts.headers
    }

    /// `SERVER_PROTOCOL`: `HTTP/1.0`, `HTTP/1.1` or `HTTP/2.0`.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.server_protocol(), "HTTP/1.1");
    /// ```
    pub fn server_protocol(&self) -> &'static str {
        match self.inner.parts.version {
            Version::HTTP_09 => "HTTP/0.9",
            Version::HTTP_10 => "HTTP/1.0",
            Version::HTTP_2 => "HTTP/2.0",
            Version::HTTP_3 => "HTTP/3.0",
            _ => "HTTP/1.1",
        }
    }
}
