//! Proxy headers (`X-Forwarded-*`, RFC 7239 `Forwarded`) as `ProxyHeaders` reads them.

use gateway_tower::ProxyHeaders;

use crate::runtime::first_line;

/// Arbitrary `name: value` header lines from a trusted and an untrusted peer, every hop
/// count at 2: nothing is believed from the untrusted peer, and whatever is believed from
/// the trusted one has a valid form (a prefix of plain segments, a host without userinfo).
///
/// # Panics
/// When an invariant breaks.
///
/// # Examples
/// ```
/// fuzz_checks::proxy(b"forwarded: for=\"[::1]:80\";proto=https, for=1.1.1.1\nx-forwarded-prefix: /app/..");
/// ```
pub fn check(data: &[u8]) {
    let mut headers = http::HeaderMap::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (line, next) = first_line(rest);
        rest = next;
        let Some(colon) = line.iter().position(|&byte| byte == b':') else { continue };
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(&line[..colon]),
            http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    let proxy = ProxyHeaders::new()
        .trust("10.0.0.0/8")
        .expect("a CIDR range")
        .x_for(2)
        .x_proto(2)
        .x_host(2)
        .x_port(2)
        .x_prefix(2);
    assert_eq!(proxy.resolve("192.0.2.1".parse().expect("an address"), &headers), None, "an untrusted peer");
    let seen = proxy.resolve("10.0.0.1".parse().expect("an address"), &headers).expect("a trusted peer");
    if let Some(prefix) = &seen.prefix {
        assert!(prefix.is_empty() || (prefix.starts_with('/') && !prefix.ends_with('/')), "{prefix:?}");
        assert!(!prefix.starts_with("//") && !prefix.split('/').any(|s| s == ".." || s == "."), "{prefix:?}");
    }
    if let Some(host) = &seen.host {
        assert!(!host.is_empty() && !host.contains(['@', '/', ' ']), "{host:?}");
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_proxy_headers_resolve_within_the_rules(
            name in prop::sample::select(vec!["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "forwarded"]),
            value in "[ -~]{0,40}",
        ) {
            super::check(format!("{name}: {value}").as_bytes());
        }
    }
}
