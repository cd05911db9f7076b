//! Proxy headers, read safely (the model and the rules are in [`ProxyHeaders`]'s docs).

mod apply;
mod forwarded;
mod peers;
mod values;

use std::net::IpAddr;

use http::HeaderMap;

pub use apply::{ForwardedPrefix, ProxyOriginals, TrustProxyHeaders};
pub use peers::{PeerSetError, TrustedPeers};

use crate::UrlScheme;

/// What trusted proxy headers say about a request; `None` fields keep the originals.
///
/// # Examples
/// See [`ProxyHeaders`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forwarded {
    /// The client's address, and its port when the proxy said it.
    pub client: Option<(IpAddr, Option<u16>)>,
    /// The scheme the client used.
    pub proto: Option<UrlScheme>,
    /// The `Host` the client asked for (`host[:port]`).
    pub host: Option<String>,
    /// The port the client connected to.
    pub port: Option<u16>,
    /// The path prefix the proxy mounts the app under (`""` for `/`), without a trailing `/`.
    pub prefix: Option<String>,
}

/// Which proxy headers to believe, from whom, and how many hops of each: `X-Forwarded-*`
/// and RFC 7239 `Forwarded`, believed only from trusted peers and only as many hops as
/// configured. [`Serve::proxy_headers`](crate::Serve::proxy_headers) applies it on
/// [`serve`](crate::serve), [`TrustProxyHeaders`] around any gateway app.
///
/// The model is Werkzeug's `ProxyFix`: a trust count per header, read **from the right**
/// (the rightmost value is the one the nearest proxy wrote): `x_for` (the client's
/// address), `x_proto` (the scheme), `x_host` (`Host`), `x_port`, `x_prefix`
/// (`X-Forwarded-Prefix`, the path the proxy mounts the app under). Defaults: `x_for = 1`,
/// `x_proto = 1`, the others 0. And a set of trusted peers (addresses or CIDR ranges,
/// gunicorn's `--forwarded-allow-ips`): the headers are read only when the connection's
/// peer is in it. **The set is empty by default**, so nothing is believed until the
/// deployer says which proxy to believe: a client that talks to the server directly can
/// write any `X-Forwarded-For` it likes.
///
/// # The rules
/// - A header with fewer values than its trust count is ignored (the original is kept).
/// - Each of the counted values, walked from the right, must be valid (the forms below);
///   one that is not (garbage, `unknown`, an obfuscated `_hidden`) stops the walk and the
///   original is kept. Skipping it would let an attacker choose the address
///   (axum-client-ip#32).
/// - `Forwarded` is understood (`for=`, `proto=`, `host=`, quoted and IPv6 forms), each
///   parameter under the trust count of its `X-Forwarded-*` twin; when it is present it is
///   the only source for those three (a `Forwarded` with bad syntax keeps the originals; it
///   never falls back to `X-Forwarded-*`, which would let a client pick the header that
///   counts). `X-Forwarded-Port` and `X-Forwarded-Prefix` have no twin and are read either
///   way. Its syntax is RFC 7239's: elements separated by `,`, each of `;`-separated
///   `name=value` pairs, a value a token or a quoted string (`"[2001:db8::1]:443"`); several
///   header lines are one list, and any syntax error makes the whole header garbage.
/// - The forms a value may take; anything else is garbage:
///   - an address: IPv4, or IPv6 with or without brackets, a port allowed (`1.2.3.4:80`,
///     `[::1]:80`, `::1`); never `unknown` or an obfuscated `_hidden` name;
///   - a proto: `http` or `https` (any case);
///   - a host: `host[:port]`, no userinfo, not empty;
///   - a port: 1 to 65535 in ASCII digits;
///   - a prefix: `/`-led segments, none empty, `.` or `..` (also percent-encoded), no
///     control byte or `\`; a trailing `/` is dropped and `/` alone is no prefix.
///
/// # What changes
/// Applied to a request (by `serve`, before the access log) or to an environ (by
/// [`TrustProxyHeaders`]), the same way: the peer's address becomes the client's
/// (`REMOTE_ADDR`; `REMOTE_PORT` is the port the proxy gave, else 0: the proxy's own port
/// says nothing of the client), the scheme becomes the forwarded one, `Host` becomes the
/// forwarded host and port (so `HTTP_HOST`, `SERVER_NAME`, `SERVER_PORT` and microframe's
/// cross-site check follow), and the forwarded prefix goes in front of `SCRIPT_NAME`. What
/// was there before stays readable as [`ProxyOriginals`]. The headers are applied once: a
/// request that carries `ProxyOriginals` already passes a second layer unchanged.
///
/// # Examples
/// ```
/// use gateway_tower::{ProxyHeaders, UrlScheme};
///
/// let proxy = ProxyHeaders::new().trust("127.0.0.1, 10.0.0.0/8").unwrap().x_prefix(1);
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-forwarded-for", "198.51.100.9, 203.0.113.7".parse().unwrap());
/// headers.insert("x-forwarded-proto", "https".parse().unwrap());
/// headers.insert("x-forwarded-prefix", "/app".parse().unwrap());
///
/// let seen = proxy.resolve("10.1.2.3".parse().unwrap(), &headers).unwrap();
/// assert_eq!(seen.client, Some(("203.0.113.7".parse().unwrap(), None))); // one hop: the rightmost
/// assert_eq!(seen.proto, Some(UrlScheme::Https));
/// assert_eq!(seen.prefix.as_deref(), Some("/app"));
///
/// // From a peer nobody trusted, nothing is believed.
/// assert_eq!(proxy.resolve("192.0.2.1".parse().unwrap(), &headers), None);
///
/// // Two hops, but the second value from the right is garbage: the walk stops there.
/// let two = ProxyHeaders::new().trust("10.0.0.0/8").unwrap().x_for(2);
/// let mut spoofed = http::HeaderMap::new();
/// spoofed.insert("x-forwarded-for", "198.51.100.9, unknown, 203.0.113.7".parse().unwrap());
/// assert_eq!(two.resolve("10.1.2.3".parse().unwrap(), &spoofed).unwrap().client, None);
///
/// // `Forwarded` is the only source of the client when present, even if `X-Forwarded-For` is too.
/// let mut both = http::HeaderMap::new();
/// both.insert("forwarded", r#"for="[2001:db8::1]:443";proto=https"#.parse().unwrap());
/// both.insert("x-forwarded-for", "203.0.113.7".parse().unwrap());
/// let seen = proxy.resolve("10.1.2.3".parse().unwrap(), &both).unwrap();
/// assert_eq!(seen.client, Some(("2001:db8::1".parse().unwrap(), Some(443))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyHeaders {
    trusted: TrustedPeers,
    x_for: usize,
    x_proto: usize,
    x_host: usize,
    x_port: usize,
    x_prefix: usize,
}

impl Default for ProxyHeaders {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! trust_count {
    ($($name:ident: $what:literal),*) => {$(
        #[doc = concat!("How many hops of ", $what, " to believe (0: none).")]
        ///
        /// # Examples
        /// ```
        #[doc = concat!("let _proxy = gateway_tower::ProxyHeaders::new().", stringify!($name), "(2);")]
        /// ```
        pub fn $name(mut self, hops: usize) -> Self {
            self.$name = hops;
            self
        }
    )*};
}

impl ProxyHeaders {
    /// No trusted peer (nothing is believed yet); `x_for = 1`, `x_proto = 1`, the others 0.
    ///
    /// # Examples
    /// ```
    /// let proxy = gateway_tower::ProxyHeaders::new();
    /// assert!(proxy.trusted().is_empty());
    /// ```
    pub fn new() -> Self {
        Self { trusted: TrustedPeers::default(), x_for: 1, x_proto: 1, x_host: 0, x_port: 0, x_prefix: 0 }
    }

    /// Trusts the peers in `list`: comma-separated addresses or CIDR ranges
    /// (`127.0.0.1, 10.0.0.0/8, ::1`), added to those trusted already.
    ///
    /// # Errors
    /// An entry that is neither.
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_tower::ProxyHeaders::new().trust("10.0.0.0/33").is_err());
    /// ```
    pub fn trust(mut self, list: &str) -> Result<Self, PeerSetError> {
        self.trusted.extend(list)?;
        Ok(self)
    }

    /// The trusted peers.
    ///
    /// # Examples
    /// ```
    /// let proxy = gateway_tower::ProxyHeaders::new().trust("::1").unwrap();
    /// assert!(proxy.trusted().contains("::1".parse().unwrap()));
    /// ```
    pub fn trusted(&self) -> &TrustedPeers {
        &self.trusted
    }

    trust_count!(
        x_for: "`X-Forwarded-For` / `Forwarded: for=`",
        x_proto: "`X-Forwarded-Proto` / `Forwarded: proto=`",
        x_host: "`X-Forwarded-Host` / `Forwarded: host=`",
        x_port: "`X-Forwarded-Port`",
        x_prefix: "`X-Forwarded-Prefix`"
    );

    /// What the headers of a request from `peer` say, when `peer` is trusted.
    ///
    /// # Examples
    /// ```
    /// let proxy = gateway_tower::ProxyHeaders::new().trust("127.0.0.1").unwrap().x_host(1);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("x-forwarded-host", "shop.example:8443".parse().unwrap());
    /// let seen = proxy.resolve("127.0.0.1".parse().unwrap(), &headers).unwrap();
    /// assert_eq!(seen.host.as_deref(), Some("shop.example:8443"));
    /// assert_eq!(seen.client, None); // no `X-Forwarded-For`: the peer stays the client
    /// ```
    pub fn resolve(&self, peer: IpAddr, headers: &HeaderMap) -> Option<Forwarded> {
        if !self.trusted.contains(peer) {
            return None;
        }
        let mut seen = Forwarded {
            port: pick(&list(headers, "x-forwarded-port"), self.x_port, values::port),
            prefix: pick(&list(headers, "x-forwarded-prefix"), self.x_prefix, values::prefix),
            ..Forwarded::default()
        };
        if headers.contains_key(http::header::FORWARDED) {
            let lines = headers.get_all(http::header::FORWARDED).iter().filter_map(|v| v.to_str().ok());
            if let Some(elements) = forwarded::parse(lines) {
                let param = |name: &str| -> Vec<Option<&str>> {
                    elements
                        .iter()
                        .map(|element| element.iter().find(|(key, _)| key == name).map(|(_, v)| v.as_str()))
                        .collect()
                };
                seen.client = pick(&param("for"), self.x_for, values::address);
                seen.proto = pick(&param("proto"), self.x_proto, values::proto);
                seen.host = pick(&param("host"), self.x_host, values::host);
            }
        } else {
            seen.client = pick(&list(headers, "x-forwarded-for"), self.x_for, values::address);
            seen.proto = pick(&list(headers, "x-forwarded-proto"), self.x_proto, values::proto);
            seen.host = pick(&list(headers, "x-forwarded-host"), self.x_host, values::host);
        }
        Some(seen)
    }
}

/// Every value of a comma-separated header, over all its lines, left to right (a line that
/// is not text makes the header unreadable: no values).
fn list<'a>(headers: &'a HeaderMap, name: &str) -> Vec<Option<&'a str>> {
    let mut values = Vec::new();
    for line in headers.get_all(name) {
        match line.to_str() {
            Ok(text) => values.extend(text.split(',').map(|value| Some(value.trim()))),
            Err(_) => return Vec::new(),
        }
    }
    values
}

/// The `hops`-th value from the right, when every value up to it is valid (a missing one,
/// a `Forwarded` element without the parameter, counts as garbage).
fn pick<T>(values: &[Option<&str>], hops: usize, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    if hops == 0 || values.len() < hops {
        return None;
    }
    let mut picked = None;
    for value in values.iter().rev().take(hops) {
        picked = Some(parse((*value)?)?);
    }
    picked
}

#[cfg(test)]
mod tests;
