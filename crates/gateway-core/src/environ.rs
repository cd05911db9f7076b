//! The environ: a lazy view of one request under CGI names (see [`Environ`]).

mod cgi;
mod head;
mod mount;
mod pairs;
mod server;

use std::borrow::Cow;
use std::net::SocketAddr;

use http::request::Parts;
use http::{Extensions, Method};

use crate::input::Input;

/// One request, seen as PEP 3333's environ. Keys and their meaning: docs/design.md §2, and the
/// table in [`Environ::get`].
///
/// A WSGI server builds a dict of every CGI variable and header for every request. This
/// environ is a lazy view instead: it keeps the request's `http::request::Parts` as they are
/// and computes each CGI value when it is asked for (`PATH_INFO` is decoded on access,
/// borrowed when it has no escape; `HTTP_*` keys are matched against the header map), and
/// nothing is copied for keys nobody reads. The values are PEP 3333's all the same.
///
/// # Examples
/// ```
/// use gateway_core::{Environ, Input};
///
/// let request = http::Request::get("/caf%C3%A9?x=1").header("X-Custom-Thing", "yes").body(()).unwrap();
/// let environ = Environ::new(request.into_parts().0, Input::empty());
/// assert_eq!(environ.path_info(), "/café");
/// assert_eq!(environ.query_string(), "x=1");
/// assert_eq!(environ.get("HTTP_X_CUSTOM_THING").as_deref(), Some("yes"));
/// assert_eq!(environ.get("SCRIPT_NAME").as_deref(), Some(""));
/// ```
pub struct Environ {
    // Boxed: the environ is moved into every layer's future and every boxed future; eight
    // bytes move for free, four hundred do not (measured: one allocation costs less than
    // the copies it saves).
    inner: Box<Inner>,
}

struct Inner {
    parts: Parts,
    /// Byte length of the raw prefix (`gateway.raw_script_name`) within the raw path.
    script_len: usize,
    /// Behind a proxy that strips a prefix: that prefix, and the raw script name made with it.
    forwarded: Option<Box<mount::ForwardedScript>>,
    local_addr: Option<SocketAddr>,
    remote_addr: Option<SocketAddr>,
    url_scheme: &'static str,
    run_once: bool,
    input: Input,
}

impl Environ {
    /// The environ of a request, at the root (`SCRIPT_NAME` empty), scheme `http`.
    ///
    /// The scheme is the transport's, which only the server knows: it sets `https` with
    /// [`with_url_scheme`](Self::with_url_scheme). A scheme in the request target is never
    /// believed: over plain TCP a client can send `GET https://bank.example/x HTTP/1.1`, and
    /// an app that took it for TLS would mark cookies `Secure` and build `https` links for
    /// a connection that has none.
    ///
    /// # Examples
    /// ```
    /// use gateway_core::{Environ, Input};
    ///
    /// let (parts, ()) = http::Request::post("/").body(()).unwrap().into_parts();
    /// let environ = Environ::new(parts, Input::from_bytes("a=1"));
    /// assert_eq!(environ.method(), http::Method::POST);
    ///
    /// let (parts, ()) = http::Request::get("https://bank.example/x").body(()).unwrap().into_parts();
    /// assert_eq!(Environ::new(parts, Input::empty()).url_scheme(), "http");
    /// ```
    pub fn new(parts: Parts, input: Input) -> Self {
        let url_scheme = "http";
        let inner = Inner {
            parts,
            script_len: 0,
            forwarded: None,
            local_addr: None,
            remote_addr: None,
            url_scheme,
            run_once: false,
            input,
        };
        Self { inner: Box::new(inner) }
    }

    /// Records the peer's address: `REMOTE_ADDR` and `REMOTE_PORT`.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// let environ = environ.with_remote_addr("127.0.0.1:4711".parse().unwrap());
    /// assert_eq!(environ.get("REMOTE_PORT").as_deref(), Some("4711"));
    /// ```
    pub fn with_remote_addr(mut self, addr: SocketAddr) -> Self {
        self.inner.remote_addr = Some(addr);
        self
    }

    /// Records the address the server accepted the request on (`SERVER_NAME`/`SERVER_PORT`
    /// when the request has no `Host`).
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// let environ = environ.with_local_addr("127.0.0.1:8051".parse().unwrap());
    /// assert_eq!(environ.server_port(), 8051);
    /// ```
    pub fn with_local_addr(mut self, addr: SocketAddr) -> Self {
        self.inner.local_addr = Some(addr);
        self
    }

    /// Sets `gateway.url_scheme` (`http` or `https`, as the server knows it).
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.with_url_scheme("https").server_port(), 443);
    /// ```
    pub fn with_url_scheme(mut self, scheme: &'static str) -> Self {
        self.inner.url_scheme = scheme;
        self
    }

    /// Sets `gateway.run_once` (the server serves this one request, then exits).
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert!(environ.with_run_once(true).run_once());
    /// ```
    pub fn with_run_once(mut self, run_once: bool) -> Self {
        self.inner.run_once = run_once;
        self
    }

    /// `REQUEST_METHOD`.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.method(), "GET");
    /// ```
    pub fn method(&self) -> &Method {
        &self.inner.parts.method
    }

    /// `QUERY_STRING`: raw, `""` when the target has none.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/?a=1&b").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.query_string(), "a=1&b");
    /// ```
    pub fn query_string(&self) -> &str {
        self.inner.parts.uri.query().unwrap_or("")
    }

    /// `gateway.raw_uri`: the request target exactly as received.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/a%20b?x=%41").body(()).unwrap().into_parts();
    /// # let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.raw_uri(), "/a%20b?x=%41");
    /// ```
    pub fn raw_uri(&self) -> Cow<'_, str> {
        let uri = &self.inner.parts.uri;
        match (uri.scheme(), uri.path_and_query()) {
            (None, Some(target)) => Cow::Borrowed(target.as_str()),
            _ => Cow::Owned(uri.to_string()),
        }
    }

    /// The peer's address, when the server knows it (`REMOTE_ADDR`, `REMOTE_PORT`).
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.remote_addr(), None); // in-process: no peer
    /// ```
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.inner.remote_addr
    }

    /// `gateway.url_scheme`.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.url_scheme(), "http");
    /// ```
    pub fn url_scheme(&self) -> &'static str {
        self.inner.url_scheme
    }

    /// `gateway.run_once`.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert!(!environ.run_once());
    /// ```
    pub fn run_once(&self) -> bool {
        self.inner.run_once
    }

    /// Typed extensions: any value by its type (parsed query, route parameters, ...).
    ///
    /// # Examples
    /// ```
    /// # let mut environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// environ.extensions_mut().insert(42_u32);
    /// assert_eq!(environ.extensions().get::<u32>(), Some(&42));
    /// ```
    pub fn extensions(&self) -> &Extensions {
        &self.inner.parts.extensions
    }

    /// Typed extensions, to change.
    ///
    /// # Examples
    /// ```
    /// # let mut environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// environ.extensions_mut().insert("cached");
    /// assert!(environ.extensions().get::<&str>().is_some());
    /// ```
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.inner.parts.extensions
    }

    /// `gateway.input`: the request body.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// # let (parts, ()) = http::Request::post("/").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::from_bytes("a=1"));
    /// assert_eq!(environ.input().read_to_end(64).await.unwrap(), "a=1");
    /// # });
    /// ```
    pub fn input(&mut self) -> &mut Input {
        &mut self.inner.input
    }

    /// The request parts the environ is a view of.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.parts().uri, "/");
    /// ```
    pub fn parts(&self) -> &Parts {
        &self.inner.parts
    }

    /// Takes the environ apart into the request parts and the input (for adapters that
    /// turn it back into an `http::Request`).
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// let (parts, _input) = environ.into_parts();
    /// assert_eq!(parts.method, "GET");
    /// ```
    pub fn into_parts(self) -> (Parts, Input) {
        let Inner { parts, input, .. } = *self.inner;
        (parts, input)
    }
}

impl std::fmt::Debug for Environ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
