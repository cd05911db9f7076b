//! The forms a forwarded value may take (listed in
//! [`ProxyHeaders`](super::ProxyHeaders)'s docs); anything else is garbage, which stops the
//! walk.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use crate::UrlScheme;

/// A client address, and its port when the proxy said it.
pub(super) fn address(text: &str) -> Option<(IpAddr, Option<u16>)> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some((ip, None));
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some((socket.ip(), Some(socket.port()).filter(|port| *port != 0)));
    }
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    inner.parse::<Ipv6Addr>().ok().map(|ip| (IpAddr::V6(ip), None))
}

/// `http` or `https`.
pub(super) fn proto(text: &str) -> Option<UrlScheme> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("https") {
        Some(UrlScheme::Https)
    } else if text.eq_ignore_ascii_case("http") {
        Some(UrlScheme::Http)
    } else {
        None
    }
}

/// `host[:port]` without userinfo, as a `Host` header would carry it.
pub(super) fn host(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.contains(['@', '/', '\\', '?', '#']) {
        return None;
    }
    let authority = text.parse::<http::uri::Authority>().ok()?;
    // A `:` after the host (outside IPv6 brackets) must lead a port number.
    let after_host = text.rsplit_once(']').map_or(text, |(_, rest)| rest);
    let port_ok = !after_host.contains(':') || authority.port_u16().is_some_and(|port| port != 0);
    (!authority.host().is_empty() && port_ok).then(|| authority.as_str().to_owned())
}

/// A port, 1 to 65535.
pub(super) fn port(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|port| *port != 0)
}

/// A path prefix, without its trailing `/` (`Some("")` for `/`).
pub(super) fn prefix(text: &str) -> Option<String> {
    let text = text.trim();
    let rest = text.strip_prefix('/')?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some(String::new());
    }
    for segment in rest.split('/') {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().ok()?;
        let bad = decoded.is_empty()
            || decoded == "."
            || decoded == ".."
            || decoded.chars().any(|c| c.is_control() || c == '\\' || c == '/');
        if bad || segment.bytes().any(|byte| byte.is_ascii_control() || byte == b' ') {
            return None;
        }
    }
    Some(format!("/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_every_valid_form_and_nothing_else() {
        let v4 = |text| address(text).map(|(ip, port)| (ip.to_string(), port));
        assert_eq!(v4("203.0.113.7"), Some(("203.0.113.7".into(), None)));
        assert_eq!(v4(" 203.0.113.7:8080 "), Some(("203.0.113.7".into(), Some(8080))));
        assert_eq!(v4("2001:db8::1"), Some(("2001:db8::1".into(), None)));
        assert_eq!(v4("[2001:db8::1]"), Some(("2001:db8::1".into(), None)));
        assert_eq!(v4("[2001:db8::1]:443"), Some(("2001:db8::1".into(), Some(443))));
        for garbage in [
            "",
            "unknown",
            "_hidden",
            "1.2.3",
            "1.2.3.4.5",
            "[1.2.3.4]",
            "2001:db8::1:80x",
            "host.example",
            "1.2.3.4:x",
            "[::1",
        ] {
            assert_eq!(address(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn protos_hosts_ports() {
        assert_eq!(proto("HTTPS"), Some(UrlScheme::Https));
        assert_eq!(proto("http"), Some(UrlScheme::Http));
        for garbage in ["javascript", "", "https:", "ftp"] {
            assert_eq!(proto(garbage), None, "{garbage:?}");
        }
        assert_eq!(host("shop.example:8443").as_deref(), Some("shop.example:8443"));
        assert_eq!(host("[::1]:80").as_deref(), Some("[::1]:80"));
        for garbage in
            ["", " ", "user@shop.example", "shop.example/x", "a b", "shop.example:x", "shop.example:", "[::1]:x"]
        {
            assert_eq!(host(garbage), None, "{garbage:?}");
        }
        assert_eq!(port("443"), Some(443));
        for garbage in ["", "0", "65536", "+80", "8o"] {
            assert_eq!(port(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn prefixes_are_plain_paths() {
        assert_eq!(prefix("/app").as_deref(), Some("/app"));
        assert_eq!(prefix("/app/").as_deref(), Some("/app"));
        assert_eq!(prefix("/a/b%20c").as_deref(), Some("/a/b%20c"));
        assert_eq!(prefix("/").as_deref(), Some(""));
        for garbage in [
            "",
            "app",
            "//evil.com",
            "/a//b",
            "/..",
            "/a/../b",
            "/%2e%2e",
            "/a%2Fb",
            "/a\r\nSet-Cookie: x",
            "/a\\b",
            "https://evil.com/",
            "/a b",
        ] {
            assert_eq!(prefix(garbage), None, "{garbage:?}");
        }
    }
}
