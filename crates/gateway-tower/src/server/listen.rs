//! Where a server listens (the forms and the backlog rule are in [`Listen`]'s docs).
//!
//! `bind_with_backlog` binds an address with a `TcpSocket`, and `relisten` calls `listen`
//! again on a caller's listener: tokio's `TcpSocket` is the safe way to call `listen`.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

/// What [`serve`](crate::serve) accepts as a place to listen: an address to bind, a
/// listener bound already, or one inherited from the process that started this one
/// ([`Listen::inherited_or`]: systemd socket activation, `systemfd`).
///
/// Each gets the configured listen backlog
/// ([`Serve::listen_backlog`](crate::Serve::listen_backlog)): tokio (through mio) and std
/// bind with a backlog of 128, and a full backlog makes the kernel drop SYNs, which clients
/// send again only after 1, 3, 7 s. So an address is bound with the backlog given, and a
/// listener bound by the caller is put into `listen` again with it (on Linux that only
/// changes the backlog of a listening socket). An inherited socket is what makes a restart
/// drop nothing; why, and how it differs from
/// [`Serve::reuse_port`](crate::Serve::reuse_port), is in the
/// [server docs](crate::server#every-core-several-processes-restarts).
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
    /// The TCP listening socket this process inherited (`LISTEN_FDS`, the first passed
    /// descriptor: systemd's socket activation, `systemfd` in development), else `address`
    /// to bind. `LISTEN_PID`, when set, must be this process's id (else nothing counts as
    /// inherited); unset, as `systemfd` with `cargo watch` leaves it, it is not checked (the
    /// `listenfd` crate's rule).
    ///
    /// # Errors
    /// The inherited descriptor is not a TCP listening socket.
    ///
    /// # Examples
    /// ```
    /// // Started without LISTEN_FDS: the address is bound.
    /// let listen = gateway_tower::Listen::inherited_or("127.0.0.1:8051").unwrap();
    /// assert!(matches!(listen, gateway_tower::Listen::Address(address) if address == "127.0.0.1:8051"));
    /// ```
    pub fn inherited_or(address: impl Into<String>) -> io::Result<Self> {
        match listenfd::ListenFd::from_env().take_tcp_listener(0)? {
            Some(listener) => Ok(Self::StdListener(listener)),
            None => Ok(Self::Address(address.into())),
        }
    }

    pub(crate) async fn bind(self, backlog: u32, reuse_port: bool) -> io::Result<TcpListener> {
        match self {
            Self::Address(address) => {
                // As `TcpListener::bind`: every address the name resolves to, in turn.
                let mut last_error = None;
                for address in tokio::net::lookup_host(address).await? {
                    match bind_with_backlog(address, backlog, reuse_port) {
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

fn bind_with_backlog(address: SocketAddr, backlog: u32, reuse_port: bool) -> io::Result<TcpListener> {
    let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As mio does for `TcpListener::bind`: a restarted server can bind at once.
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos", target_os = "cygwin"))))]
    if reuse_port {
        socket.set_reuseport(true)?;
    }
    #[cfg(not(all(unix, not(any(target_os = "solaris", target_os = "illumos", target_os = "cygwin")))))]
    if reuse_port {
        return Err(io::Error::new(io::ErrorKind::Unsupported, "SO_REUSEPORT is not available here"));
    }
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
