//! Where a server listens: an address to bind, or a listener bound already.

use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;

/// What [`serve`](crate::serve) accepts as a place to listen.
///
/// # Examples
/// ```
/// let _from_text: gateway_tower::Listen = "127.0.0.1:0".into();
/// let _from_addr: gateway_tower::Listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into();
/// ```
#[derive(Debug)]
pub enum Listen {
    /// An address to bind, such as `127.0.0.1:8051` or `localhost:0`.
    Address(String),
    /// A tokio listener bound by the caller (tests bind `127.0.0.1:0` and read the port).
    Listener(TcpListener),
    /// A std listener bound by the caller; made non-blocking when the server starts.
    StdListener(std::net::TcpListener),
}

impl Listen {
    pub(crate) async fn bind(self) -> io::Result<TcpListener> {
        match self {
            Self::Address(address) => TcpListener::bind(address).await,
            Self::Listener(listener) => Ok(listener),
            Self::StdListener(listener) => {
                listener.set_nonblocking(true)?;
                TcpListener::from_std(listener)
            }
        }
    }
}

impl From<&str> for Listen {
    fn from(address: &str) -> Self {
        Self::Address(address.to_owned())
    }
}

impl From<String> for Listen {
    fn from(address: String) -> Self {
        Self::Address(address)
    }
}

impl From<SocketAddr> for Listen {
    fn from(address: SocketAddr) -> Self {
        Self::Address(address.to_string())
    }
}

impl From<TcpListener> for Listen {
    fn from(listener: TcpListener) -> Self {
        Self::Listener(listener)
    }
}

impl From<std::net::TcpListener> for Listen {
    fn from(listener: std::net::TcpListener) -> Self {
        Self::StdListener(listener)
    }
}
