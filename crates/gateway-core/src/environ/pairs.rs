//! The CGI pairs for a host that copies the environ out: [`Environ::for_each_cgi`].

use http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE};

use super::Environ;
use super::cgi::{join, push_cgi_key};

impl Environ {
    /// Every CGI key the request has, the `gateway.*` ones left out, with its value: the
    /// pairs of [`Environ::iter`], unsorted and with one allocation for all the header
    /// keys, for a host that copies the environ out (a Python WSGI dict).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/a?b=1").header("x-thing", "yes").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// let mut pairs = Vec::new();
    /// environ.for_each_cgi(|key, value| pairs.push(format!("{key}={value}")));
    /// assert!(pairs.contains(&"HTTP_X_THING=yes".to_owned()));
    /// assert!(pairs.contains(&"QUERY_STRING=b=1".to_owned()));
    /// assert!(!pairs.iter().any(|pair| pair.starts_with("gateway.")));
    /// ```
    pub fn for_each_cgi(&self, mut visit: impl FnMut(&str, &str)) {
        // The keys of `Environ::get`'s table, each by its accessor (not through `get`'s
        // lookup by name: a test holds the two equal). One buffer for the numbers and the
        // header keys; the numbers written without `fmt`, which costs more than the rest.
        let mut text = String::with_capacity(64);
        for (key, name) in [("CONTENT_LENGTH", CONTENT_LENGTH), ("CONTENT_TYPE", CONTENT_TYPE)] {
            if let Some(value) = join(self.headers().get_all(name), false) {
                visit(key, &value);
            }
        }
        visit("PATH_INFO", &self.path_info());
        visit("QUERY_STRING", self.query_string());
        if let Some(addr) = self.inner.remote_addr {
            push_ip(&mut text, addr.ip());
            visit("REMOTE_ADDR", &text);
            text.clear();
            push_decimal(&mut text, addr.port());
            visit("REMOTE_PORT", &text);
            text.clear();
        }
        visit("REQUEST_METHOD", self.method().as_str());
        visit("SCRIPT_NAME", &self.script_name());
        let (server_name, server_port) = self.server();
        visit("SERVER_NAME", &server_name);
        push_decimal(&mut text, server_port);
        visit("SERVER_PORT", &text);
        visit("SERVER_PROTOCOL", self.server_protocol());
        for name in self.headers().keys() {
            text.clear();
            if push_cgi_key(name, &mut text)
                && let Some(value) = join(self.headers().get_all(name), name == COOKIE)
            {
                visit(&text, &value);
            }
        }
    }
}

/// `number` in decimal.
fn push_decimal(text: &mut String, number: u16) {
    let mut digits = [b'0'; 5];
    let mut rest = number;
    let mut start = digits.len();
    loop {
        start -= 1;
        // `rest % 10` is below 10.
        digits[start] = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Digits are ASCII.
    text.push_str(std::str::from_utf8(&digits[start..]).unwrap_or("0"));
}

/// An address as `Display` writes it: IPv4 dotted, IPv6 by `Display` itself.
fn push_ip(text: &mut String, ip: std::net::IpAddr) {
    match ip {
        std::net::IpAddr::V4(v4) => {
            for (index, octet) in v4.octets().into_iter().enumerate() {
                if index > 0 {
                    text.push('.');
                }
                push_decimal(text, u16::from(octet));
            }
        }
        std::net::IpAddr::V6(v6) => {
            use std::fmt::Write;
            let _ = write!(text, "{v6}");
        }
    }
}
