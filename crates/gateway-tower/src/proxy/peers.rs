//! The trusted peers: addresses and CIDR ranges (on `ipnet`).

use std::net::IpAddr;

use ipnet::IpNet;

/// The set of peers whose proxy headers are believed; empty by default.
///
/// # Examples
/// ```
/// let mut peers = gateway_tower::TrustedPeers::default();
/// peers.extend("127.0.0.1, 10.0.0.0/8").unwrap();
/// assert!(peers.contains("10.9.8.7".parse().unwrap()));
/// assert!(peers.contains("::ffff:127.0.0.1".parse().unwrap())); // an IPv4 peer on an IPv6 socket
/// assert!(!peers.contains("127.0.0.2".parse().unwrap()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedPeers(Vec<IpNet>);

/// A trusted-peer entry that is neither an address nor a CIDR range.
///
/// # Examples
/// ```
/// let error = gateway_tower::TrustedPeers::default().extend("10.0.0.0/8, proxy.local").unwrap_err();
/// assert_eq!(error.to_string(), "not an address or CIDR range: \"proxy.local\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSetError(String);

impl std::fmt::Display for PeerSetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not an address or CIDR range: {:?}", self.0)
    }
}

impl std::error::Error for PeerSetError {}

impl TrustedPeers {
    /// Adds the comma-separated addresses or CIDR ranges of `list` (empty entries skipped).
    ///
    /// # Errors
    /// The first entry that is neither; nothing is added then.
    ///
    /// # Examples
    /// See [`TrustedPeers`].
    pub fn extend(&mut self, list: &str) -> Result<(), PeerSetError> {
        let mut added = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => entry.parse::<IpAddr>().map(IpNet::from).map_err(|_| PeerSetError(entry.to_owned()))?,
            };
            added.push(net);
        }
        self.0.extend(added);
        Ok(())
    }

    /// Whether `peer` is trusted (an IPv4-mapped IPv6 address counts as its IPv4 one).
    ///
    /// # Examples
    /// See [`TrustedPeers`].
    pub fn contains(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        self.0.iter().any(|net| net.contains(&peer))
    }

    /// Whether no peer is trusted.
    ///
    /// # Examples
    /// ```
    /// assert!(gateway_tower::TrustedPeers::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
