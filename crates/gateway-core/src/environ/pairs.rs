//! The CGI pairs for a host that copies the environ out: [`Environ::for_each_cgi`].

use super::Environ;
use super::cgi::{FIXED_KEYS, push_cgi_key};

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
        // One buffer for the numbers and the header keys; the numbers written without
        // `fmt`, which costs more than the rest of a key.
        let mut text = String::with_capacity(64);
        for &key in FIXED_KEYS.iter().take_while(|key| !key.starts_with("gateway.")) {
            text.clear();
            match (key, self.inner.remote_addr) {
                ("SERVER_PORT", _) => push_decimal(&mut text, self.server_port()),
                ("REMOTE_ADDR", Some(addr)) => push_ip(&mut text, addr.ip()),
                ("REMOTE_PORT", Some(addr)) => push_decimal(&mut text, addr.port()),
                _ => {
                    if let Some(value) = self.get(key) {
                        visit(key, &value);
                    }
                    continue;
                }
            }
            visit(key, &text);
        }
        for name in self.headers().keys() {
            text.clear();
            if push_cgi_key(name, &mut text)
                && let Some(value) = self.header(name)
            {
                visit(&text, &value);
            }
        }
    }
}

/// `number` in decimal.
fn push_decimal(text: &mut String, number: u16) {
    let mut digits = [0u8; 5];
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
    text.extend(digits[start..].iter().map(|&digit| char::from(digit)));
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
