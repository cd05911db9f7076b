//! Where a server listens: an address to bind, or a listener bound already; either way
//! with the configured listen backlog.
//!
//! The backlog is where new connections wait while the server is at its connection cap.
//! tokio (through mio) and std bind with a backlog of 128, and a full backlog makes the
//! kernel drop SYNs, which clients send again only after 1, 3, 7 s: so an address is bound
//! here with a `TcpSocket` and the backlog given, and a listener bound by the caller is put
//! into `listen` again with it (on Linux that only changes the backlog of a listening
//! socket; tokio's `TcpSocket` is the safe way to call `listen`).

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

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
    pub(crate) async fn bind(self, backlog: u32) -> io::Result<TcpListener> {
        match self {
            Self::Address(address) => {
                // As `TcpListener::bind`: every address the name resolves to, in turn.
                let mut last_error = None;
                for address in tokio::net::lookup_host(address).await? {
                    match bind_with_backlog(address, backlog) {
                        Ok(listener) => return Ok(listener),
                        Err(error) => last_error = Some(error),
                    }
                }
                Err(last_error
                    .unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "could not resolve to any address")))
            }
            Self::Listener(listener) => relisten(listener.into_std()?, backlog),
            Self::StdListener(listener) => relisten(listener, backlog),
        }
    }
}

fn bind_with_backlog(address: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As mio does for `TcpListener::bind`: a restarted server can bind at once.
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(backlog)
}

/// A listener the caller bound, with the backlog set (non-blocking, registered with tokio).
#[cfg(unix)]
fn relisten(listener: std::net::TcpListener, backlog: u32) -> io::Result<TcpListener> {
    listener.set_nonblocking(true)?;
    let socket = TcpSocket::from_std_stream(std::net::TcpStream::from(std::os::fd::OwnedFd::from(listener)));
    socket.listen(backlog)
}

#[cfg(not(unix))]
fn relisten(listener: std::net::TcpListener, _backlog: u32) -> io::Result<TcpListener> {
    listener.set_nonblocking(true)?;
    TcpListener::from_std(listener)
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
