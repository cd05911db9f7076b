//! The cookie extractors: plain, signed and private (encrypted) jars over one request jar.

use std::fmt;

use cookie::Cookie;
use gateway_core::Environ;

use super::{CookieState, check};
use crate::extract::FromEnviron;

/// A cookie that cannot be sent: its name is empty, or its `Path` or `Domain` holds a `;` or
/// a control character (which would end the header's attribute or the header itself).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Cookie, Cookies, Microframe, TestClient};
///
/// async fn set(cookies: Cookies) -> String {
///     let bad = Cookie::build(("theme", "dark")).path("/; Secure=no").build();
///     cookies.add(bad).unwrap_err().to_string()
/// }
/// let client = TestClient::new(Microframe::new().get("/", set));
/// client.get("/").send().await
///     .assert_body("cookie Path \"/; Secure=no\" cannot be sent")
///     .assert_no_header("set-cookie");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieError {
    what: &'static str,
    value: String,
}

impl CookieError {
    pub(crate) fn new(what: &'static str, value: &str) -> Self {
        Self { what, value: value.to_owned() }
    }
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cookie {} {:?} cannot be sent", self.what, self.value)
    }
}

impl std::error::Error for CookieError {}

/// The request's cookies, and the cookies the response sets or removes. Values are read and
/// written as text; the percent-encoding on the wire is the framework's.
///
/// The cookie extractors (`Cookies`, [`SignedCookies`], [`PrivateCookies`], and the
/// [`Session`](crate::Session) built on them) share one jar per request, made at the first
/// use: the `Cookie` header parsed once with the `cookie` crate (percent-decoded; of two
/// cookies with one name the first wins, as Werkzeug reads them; pairs that do not parse
/// are skipped). What a handler adds or removes is written when its response is made: one
/// `Set-Cookie` per cookie.
///
/// Defaults for the cookies the framework writes, the session's included, where the cookie
/// does not set its own: `Path` = the app's mount prefix (`gateway.raw_script_name`, or `/`
/// at the root), `HttpOnly`, `SameSite=Lax`, and `Secure` when `gateway.url_scheme` is
/// `https`. A cookie that cannot be sent (an empty name, a `Path` or `Domain` with `;` or a
/// control character) is refused where it is added, with a [`CookieError`], never written
/// as a malformed header; names and values are percent-encoded, so any text can be sent.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Cookies, Microframe, TestClient};
///
/// async fn visit(cookies: Cookies) -> String {
///     let seen = cookies.get("theme").unwrap_or_else(|| "none".to_owned());
///     cookies.add(("theme", "dark mode")).unwrap();
///     cookies.remove("old");
///     seen
/// }
/// let client = TestClient::new(Microframe::new().get("/", visit));
/// let response = client.get("/").header("cookie", "theme=light; old=1").send().await.assert_body("light");
/// let set: Vec<_> = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
/// assert!(set.contains(&"theme=dark%20mode; HttpOnly; SameSite=Lax; Path=/"), "{set:?}");
/// assert!(set.iter().any(|c| c.starts_with("old=; ") && c.contains("Max-Age=0")), "{set:?}");
///
/// let fresh = TestClient::new(Microframe::new().get("/", visit));
/// fresh.get("/").header("cookie", "theme=light; theme=blue").send().await.assert_body("light"); // the first wins
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Cookies(CookieState);

impl Cookies {
    /// The value of cookie `name`: as the request sent it, or as this request set it.
    ///
    /// # Examples
    /// See [`Cookies`].
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.lock().jar.get(name).map(|cookie| cookie.value().to_owned())
    }

    /// Sets a cookie on the response: `(name, value)`, or a [`Cookie`] built with its
    /// attributes; the defaults fill what it leaves unset.
    ///
    /// # Errors
    /// A cookie that cannot be sent ([`CookieError`]); nothing is set then.
    ///
    /// # Examples
    /// See [`Cookies`].
    pub fn add(&self, cookie: impl Into<Cookie<'static>>) -> Result<(), CookieError> {
        let mut cookies = self.0.lock();
        let cookie = cookies.with_defaults(cookie.into());
        check(&cookie)?;
        cookies.jar.add(cookie);
        Ok(())
    }

    /// Removes cookie `name` (set with the default path): the response tells the browser to
    /// drop it.
    ///
    /// # Examples
    /// See [`Cookies`].
    pub fn remove(&self, name: &str) {
        let mut cookies = self.0.lock();
        let removal = cookies.removal(name);
        cookies.jar.remove(removal);
    }
}

impl FromEnviron for Cookies {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(Cookies(CookieState::of(environ)))
    }
}

/// Defines a jar whose values pass through one of the `cookie` crate's secure child jars.
macro_rules! secure_jar {
    ($(#[$doc:meta])* $name:ident, $read:ident, $write:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(CookieState);

        impl $name {
            /// The value of cookie `name`, when one of the app's keys (the current one or a
            /// fallback) verifies it; `None` for a missing, tampered or foreign cookie.
            ///
            /// # Examples
            /// See the type's example, which reads a cookie it set and a forged one.
            pub fn get(&self, name: &str) -> Option<String> {
                let mut cookies = self.0.lock();
                let keys = cookies.keys();
                keys.all().iter().find_map(|key| cookies.jar.$read(key).get(name)).map(|cookie| cookie.value().to_owned())
            }

            /// Sets a cookie, protected with the app's current key; the defaults fill what it
            /// leaves unset.
            ///
            /// # Errors
            /// A cookie that cannot be sent ([`CookieError`]); nothing is set then.
            ///
            /// # Examples
            /// See the type's example.
            pub fn add(&self, cookie: impl Into<Cookie<'static>>) -> Result<(), CookieError> {
                let mut cookies = self.0.lock();
                let cookie = cookies.with_defaults(cookie.into());
                check(&cookie)?;
                let key = cookies.keys().current().clone();
                cookies.jar.$write(&key).add(cookie);
                Ok(())
            }

            /// Removes cookie `name` (set with the default path).
            ///
            /// # Examples
            /// As [`Cookies::remove`]: a `Set-Cookie` with `Max-Age=0`.
            pub fn remove(&self, name: &str) {
                let mut cookies = self.0.lock();
                let removal = cookies.removal(name);
                cookies.jar.remove(removal);
            }
        }

        impl FromEnviron for $name {
            type Rejection = std::convert::Infallible;

            async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
                Ok($name(CookieState::of(environ)))
            }
        }
    };
}

secure_jar!(
    /// Signed cookies: readable by the browser, but a changed value does not verify. Signed
    /// with the app's secret key ([`Microframe::secret_key`](crate::Microframe::secret_key));
    /// values signed with a fallback key still read.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, SignedCookies, TestClient};
    ///
    /// async fn login(cookies: SignedCookies) -> &'static str {
    ///     cookies.add(("user", "ann")).unwrap();
    ///     "hello"
    /// }
    /// async fn whoami(cookies: SignedCookies) -> String {
    ///     cookies.get("user").unwrap_or_else(|| "nobody".to_owned())
    /// }
    /// let app = Microframe::new().secret_key([7; 32]).get("/login", login).get("/me", whoami);
    /// let client = TestClient::new(app);
    /// let set = client.get("/login").send().await.header("set-cookie").unwrap().to_owned();
    /// let signed = set.split(';').next().unwrap(); // "user=<signature>ann"
    /// assert!(signed.ends_with("ann"));
    /// client.get("/me").header("cookie", signed).send().await.assert_body("ann");
    /// let forged = signed.replace("ann", "bob");
    /// client.get("/me").header("cookie", &forged).send().await.assert_body("nobody");
    /// # });
    /// ```
    SignedCookies, signed, signed_mut
);

secure_jar!(
    /// Private cookies: encrypted and authenticated, so the browser can neither read nor
    /// change them. Encrypted with the app's secret key
    /// ([`Microframe::secret_key`](crate::Microframe::secret_key)); values made with a
    /// fallback key still read.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, PrivateCookies, TestClient};
    ///
    /// async fn keep(cookies: PrivateCookies) -> &'static str {
    ///     cookies.add(("card", "4111")).unwrap();
    ///     "kept"
    /// }
    /// async fn show(cookies: PrivateCookies) -> String {
    ///     cookies.get("card").unwrap_or_else(|| "none".to_owned())
    /// }
    /// let app = Microframe::new().secret_key(*b"an example key of 32 bytes, or more").get("/keep", keep).get("/show", show);
    /// let client = TestClient::new(app);
    /// let set = client.get("/keep").send().await.header("set-cookie").unwrap().to_owned();
    /// let sealed = set.split(';').next().unwrap();
    /// assert!(!sealed.contains("4111"), "encrypted: {sealed}");
    /// client.get("/show").header("cookie", sealed).send().await.assert_body("4111");
    /// client.get("/show").header("cookie", "card=4111").send().await.assert_body("none");
    /// # });
    /// ```
    PrivateCookies, private, private_mut
);
