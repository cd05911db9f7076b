//! Every bad input of the proxy-header rules, and the combinations.

use std::net::IpAddr;

use http::HeaderMap;

use super::{Forwarded, ProxyHeaders};
use crate::UrlScheme;

const PROXY: &str = "10.0.0.1";

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
    }
    map
}

fn all_hops(hops: usize) -> ProxyHeaders {
    ProxyHeaders::new().trust(PROXY).unwrap().x_for(hops).x_proto(hops).x_host(hops).x_port(hops).x_prefix(hops)
}

fn seen(proxy: &ProxyHeaders, pairs: &[(&str, &str)]) -> Forwarded {
    proxy.resolve(PROXY.parse().unwrap(), &headers(pairs)).expect("the proxy is trusted")
}

fn client(proxy: &ProxyHeaders, pairs: &[(&str, &str)]) -> Option<String> {
    seen(proxy, pairs).client.map(|(ip, port)| match port {
        Some(port) => format!("{ip}:{port}"),
        None => ip.to_string(),
    })
}

#[test]
fn nothing_is_believed_from_an_untrusted_peer_or_by_default() {
    let spoof =
        headers(&[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-proto", "https"), ("forwarded", "for=6.6.6.6")]);
    assert_eq!(ProxyHeaders::new().resolve(PROXY.parse().unwrap(), &spoof), None, "no peer trusted by default");
    let proxy = ProxyHeaders::new().trust("127.0.0.1").unwrap();
    assert_eq!(proxy.resolve("127.0.0.2".parse().unwrap(), &spoof), None);
    assert!(proxy.resolve("127.0.0.1".parse::<IpAddr>().unwrap(), &spoof).is_some());
}

#[test]
fn the_count_is_read_from_the_right_and_fewer_values_than_it_are_ignored() {
    let xff = [("x-forwarded-for", "1.1.1.1, 2.2.2.2"), ("x-forwarded-for", "3.3.3.3")];
    assert_eq!(client(&all_hops(1), &xff).as_deref(), Some("3.3.3.3"));
    assert_eq!(client(&all_hops(2), &xff).as_deref(), Some("2.2.2.2"));
    assert_eq!(client(&all_hops(3), &xff).as_deref(), Some("1.1.1.1"));
    assert_eq!(client(&all_hops(4), &xff), None, "fewer values than the count: the original is kept");
    assert_eq!(client(&all_hops(0), &xff), None);
}

#[test]
fn garbage_stops_the_walk_and_keeps_the_original() {
    for garbage in ["unknown", "_hidden", "not-an-ip", "", "1.2.3.4.5", "[1.2.3.4]"] {
        let value = format!("9.9.9.9, {garbage}, 3.3.3.3");
        assert_eq!(client(&all_hops(2), &[("x-forwarded-for", &value)]), None, "{garbage:?} at hop 2");
        assert_eq!(client(&all_hops(3), &[("x-forwarded-for", &value)]), None, "{garbage:?} before hop 3: not skipped");
        assert_eq!(
            client(&all_hops(1), &[("x-forwarded-for", &value)]).as_deref(),
            Some("3.3.3.3"),
            "hop 1 is before it"
        );
    }
}

#[test]
fn ipv6_with_and_without_brackets_and_ports() {
    let cases = [
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:8443", "2001:db8::1:8443"),
        ("203.0.113.7:51234", "203.0.113.7:51234"),
    ];
    for (value, expected) in cases {
        assert_eq!(client(&all_hops(1), &[("x-forwarded-for", value)]).as_deref(), Some(expected), "{value}");
    }
}

#[test]
fn forwarded_with_quotes_several_elements_and_bad_syntax() {
    let one = [("forwarded", r#"for="[2001:db8:cafe::17]:4711";proto=https;host="shop.example:8443""#)];
    let seen_one = seen(&all_hops(1), &one);
    assert_eq!(seen_one.client, Some(("2001:db8:cafe::17".parse().unwrap(), Some(4711))));
    assert_eq!((seen_one.proto, seen_one.host.as_deref()), (Some(UrlScheme::Https), Some("shop.example:8443")));
    let two = [("forwarded", "for=1.1.1.1;proto=http, for=2.2.2.2;proto=https")];
    assert_eq!(client(&all_hops(1), &two).as_deref(), Some("2.2.2.2"));
    assert_eq!(client(&all_hops(2), &two).as_deref(), Some("1.1.1.1"));
    assert_eq!(seen(&all_hops(2), &two).proto, Some(UrlScheme::Http));
    // An element without the parameter counts as garbage for that parameter.
    let gap = [("forwarded", "for=1.1.1.1, proto=https")];
    assert_eq!(client(&all_hops(2), &gap), None);
    assert_eq!(seen(&all_hops(1), &gap).proto, Some(UrlScheme::Https));
    for bad in ["for", "for=\"open", "for=a b", "for=1.1.1.1;;=x", "for=_hidden", "for=unknown"] {
        assert_eq!(client(&all_hops(1), &[("forwarded", bad)]), None, "{bad:?}");
    }
}

#[test]
fn forwarded_wins_and_bad_forwarded_never_falls_back_to_x_forwarded() {
    let both = [("x-forwarded-for", "6.6.6.6"), ("forwarded", "for=1.1.1.1")];
    assert_eq!(client(&all_hops(1), &both).as_deref(), Some("1.1.1.1"));
    let broken = [("x-forwarded-for", "6.6.6.6"), ("x-forwarded-proto", "https"), ("forwarded", "for=\"open")];
    let seen_broken = seen(&all_hops(1), &broken);
    assert_eq!((seen_broken.client, seen_broken.proto), (None, None));
}

#[test]
fn prefixes_that_are_not_plain_paths_are_garbage() {
    let prefix = |value: &str| seen(&all_hops(1), &[("x-forwarded-prefix", value)]).prefix;
    assert_eq!(prefix("/app").as_deref(), Some("/app"));
    assert_eq!(prefix("/app/").as_deref(), Some("/app"));
    for garbage in ["app", "//evil.com", "/a/../b", "/..", "/%2e%2e/x", "https://evil.com", "/a\tb"] {
        assert_eq!(prefix(garbage), None, "{garbage:?}");
    }
    // CR/LF cannot be in a header value at all; the parser refuses them anyway.
    assert_eq!(super::values::prefix("/a\r\nSet-Cookie: x"), None);
}

#[test]
fn protos_and_hosts_and_ports() {
    let proxy = all_hops(1);
    assert_eq!(seen(&proxy, &[("x-forwarded-proto", "javascript")]).proto, None);
    assert_eq!(seen(&proxy, &[("x-forwarded-proto", "HTTPS")]).proto, Some(UrlScheme::Https));
    assert_eq!(seen(&proxy, &[("x-forwarded-host", "shop.example:8443")]).host.as_deref(), Some("shop.example:8443"));
    for garbage in ["user@shop.example", "", "shop.example/path", "a b"] {
        assert_eq!(seen(&proxy, &[("x-forwarded-host", garbage)]).host, None, "{garbage:?}");
    }
    assert_eq!(seen(&proxy, &[("x-forwarded-port", "8443")]).port, Some(8443));
    assert_eq!(seen(&proxy, &[("x-forwarded-port", "0")]).port, None);
    // The port and prefix have no `Forwarded` twin: read beside `Forwarded` too.
    let mixed =
        seen(&proxy, &[("forwarded", "for=1.1.1.1"), ("x-forwarded-port", "443"), ("x-forwarded-prefix", "/app")]);
    assert_eq!((mixed.port, mixed.prefix.as_deref()), (Some(443), Some("/app")));
    // Defaults: only for and proto are believed.
    let default = ProxyHeaders::new().trust(PROXY).unwrap();
    let only = seen(
        &default,
        &[("x-forwarded-host", "evil.example"), ("x-forwarded-prefix", "/x"), ("x-forwarded-port", "1")],
    );
    assert_eq!(only, Forwarded::default());
}

#[test]
fn the_rewrite_sets_host_and_port_and_keeps_the_originals() {
    let peer: std::net::SocketAddr = "10.0.0.1:5000".parse().unwrap();
    let rewrite = |proxy: &ProxyHeaders, pairs: &[(&str, &str)]| {
        let mut map = headers(pairs);
        let rewritten = proxy.rewrite(peer, UrlScheme::Http, &mut map);
        (map.get("host").map(|host| host.to_str().unwrap().to_owned()), rewritten)
    };
    let ports = ProxyHeaders::new().trust(PROXY).unwrap().x_port(1);
    let (host, rewritten) = rewrite(&ports, &[("host", "[::1]:8080"), ("x-forwarded-port", "443")]);
    assert_eq!(host.as_deref(), Some("[::1]:443"), "an IPv6 host keeps its brackets");
    let rewritten = rewritten.expect("trusted");
    assert_eq!(rewritten.originals.host.unwrap(), "[::1]:8080");
    assert_eq!(rewritten.originals.peer, peer);
    assert_eq!(rewritten.client, peer, "no X-Forwarded-For: the peer stays the client");
    let (host, _) = rewrite(&ports, &[("x-forwarded-port", "443")]);
    assert_eq!(host, None, "a port alone names no host");
    let (host, _) = rewrite(&all_hops(1), &[("host", "a:1"), ("x-forwarded-host", "b"), ("x-forwarded-port", "2")]);
    assert_eq!(host.as_deref(), Some("b:2"));
    let (host, rewritten) = rewrite(&ports, &[("host", "a:1")]);
    assert_eq!((host.as_deref(), rewritten.unwrap().scheme), (Some("a:1"), UrlScheme::Http));
    let (host, rewritten) = rewrite(&ProxyHeaders::new(), &[("host", "a:1"), ("x-forwarded-port", "2")]);
    assert_eq!((host.as_deref(), rewritten.is_none()), (Some("a:1"), true), "untrusted: untouched");
}
