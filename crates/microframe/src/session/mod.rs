//! Sessions: a typed map in one private (encrypted, authenticated) cookie, and flash
//! messages (the rules are in [`Session`]'s docs).
//!
//! The session is loaded from the request's jar at the first use and stored back in it
//! (`store`) when the response is written, only when it changed.

mod flash;

use std::time::Duration;

use cookie::Cookie;
use gateway_core::Environ;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use flash::{Flash, FlashMessage, MAX_FLASHES};

use crate::cookies::{CookieState, RequestCookies};
use crate::extract::FromEnviron;

/// The name of the session cookie.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, SESSION_COOKIE, Session, TestClient};
///
/// async fn login(session: Session) -> &'static str { session.insert("user", "ann").unwrap(); "in" }
/// let client = TestClient::new(Microframe::new().secret_key([3; 32]).post("/login", login));
/// let response = client.post("/login").send().await;
/// assert!(response.header("set-cookie").unwrap().starts_with("session="));
/// assert!(client.cookie(SESSION_COOKIE).is_some());
/// # });
/// ```
pub const SESSION_COOKIE: &str = "session";
/// The largest session cookie written or read, name and value as sent (what browsers keep).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{MAX_COOKIE_SIZE, Microframe, Session, TestClient};
///
/// async fn hoard(session: Session) -> &'static str {
///     session.insert("notes", "x".repeat(MAX_COOKIE_SIZE)).unwrap();
///     "kept?"
/// }
/// let client = TestClient::new(Microframe::new().secret_key([3; 32]).post("/", hoard));
/// client.post("/").send().await.assert_status(500).assert_no_header("set-cookie");
/// # });
/// ```
pub const MAX_COOKIE_SIZE: usize = 4096;
const PERMANENT: &str = "_permanent";

/// How long a permanent session lasts (31 days by default, as Flask's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionLifetime(pub(crate) Duration);

impl Default for SessionLifetime {
    fn default() -> Self {
        Self(Duration::from_secs(31 * 24 * 60 * 60))
    }
}

/// The session of one request, loaded at the first use.
#[derive(Debug, Default)]
pub(crate) struct SessionData {
    values: Map<String, Value>,
    modified: bool,
}

/// The session, loading it from the request's cookie at the first use.
fn data(cookies: &mut RequestCookies) -> &mut SessionData {
    if cookies.session.is_none() {
        let loaded = load(cookies);
        cookies.session = Some(loaded);
    }
    cookies.session.get_or_insert_with(SessionData::default)
}

fn load(cookies: &mut RequestCookies) -> SessionData {
    let Some(raw) = cookies.jar.get(SESSION_COOKIE) else { return SessionData::default() };
    if raw.name().len() + raw.value().len() > MAX_COOKIE_SIZE {
        tracing::debug!(size = raw.value().len(), "session cookie over 4 KiB; an empty session");
        return SessionData::default();
    }
    let keys = cookies.keys();
    let opened = keys.all().iter().find_map(|key| cookies.jar.private(key).get(SESSION_COOKIE));
    match opened.and_then(|cookie| serde_json::from_str::<Map<String, Value>>(cookie.value()).ok()) {
        Some(values) => SessionData { values, modified: false },
        None => {
            tracing::debug!("session cookie does not open with the app's keys; an empty session");
            SessionData::default()
        }
    }
}

/// Puts a modified session in the jar (or its removal); `Err(size)` when it is too large.
pub(crate) fn store(cookies: &mut RequestCookies) -> Result<(), usize> {
    let Some(session) = cookies.session.as_ref().filter(|session| session.modified) else { return Ok(()) };
    if session.values.is_empty() {
        let removal = cookies.removal(SESSION_COOKIE);
        cookies.jar.remove(removal);
        return Ok(());
    }
    let permanent = session.values.get(PERMANENT) == Some(&Value::Bool(true));
    let json = Value::Object(session.values.clone()).to_string();
    let mut cookie = cookies.with_defaults(Cookie::new(SESSION_COOKIE, json));
    if permanent {
        let seconds = i64::try_from(cookies.lifetime.0.as_secs()).unwrap_or(i64::MAX);
        cookie.set_max_age(cookie::time::Duration::seconds(seconds));
    }
    let key = cookies.keys().current().clone();
    cookies.jar.private_mut(&key).add(cookie);
    let size = cookies.jar.get(SESSION_COOKIE).map_or(0, |sealed| sealed.stripped().encoded().to_string().len());
    if size > MAX_COOKIE_SIZE { Err(size) } else { Ok(()) }
}

/// The session: a map of JSON values by key, kept in the private cookie `session`.
/// Handles share the one session of the request (clones, [`Flash`], error handlers).
///
/// No server state: the whole session travels in the cookie named `session`
/// ([`SESSION_COOKIE`]), encrypted with the app's secret key
/// ([`Microframe::secret_key`](crate::Microframe::secret_key)) by the `cookie` crate
/// (AES-256-GCM), so any number of instances behind a load balancer share sessions when
/// they share the key. Flask signs its session cookie but does not encrypt it (its users
/// asked for more, flask#4490); here the browser can neither read nor change it. Values are
/// JSON, never a language-specific serialization.
///
/// - A cookie that fails to decrypt or verify (tampered, cut short, made with a key the app
///   does not know), that is not a JSON object, or that arrives larger than 4 KiB
///   ([`MAX_COOKIE_SIZE`]) is an **empty session**, never a 500.
/// - A session whose cookie (name and value, as sent) would pass 4 KiB, where browsers drop
///   cookies silently, is a 500 with the size logged.
/// - An unmodified session writes no `Set-Cookie`; one read with a fallback key is written
///   again, with the current key, only when it changes. Emptied, the cookie is removed.
/// - [`Session::set_permanent`] gives the cookie a `Max-Age` (31 days unless
///   [`Microframe::session_lifetime`](crate::Microframe::session_lifetime) says otherwise);
///   otherwise it lasts as long as the browser session.
/// - Keys starting with `_` are the framework's (`_permanent`, `_flashes`).
///
/// The cookie's other attributes are the defaults of [`Cookies`](crate::Cookies).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, Session, TestClient};
///
/// async fn count(session: Session) -> String {
///     let visits = session.get::<u32>("visits").unwrap_or(0) + 1;
///     session.insert("visits", visits).unwrap();
///     format!("visit {visits}")
/// }
/// let app = Microframe::new().secret_key([42; 32]).get("/", count);
/// let client = TestClient::new(app); // keeps cookies, as a browser does
/// client.get("/").send().await.assert_body("visit 1");
/// client.get("/").send().await.assert_body("visit 2");
/// client.set_cookie("session", "tampered");
/// client.get("/").send().await.assert_status(200).assert_body("visit 1"); // an empty session
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Session(CookieState);

impl Session {
    /// The value of `key`, when there is one that fits `T` (a value of another shape, from
    /// an older version of the app, say, is `None`).
    ///
    /// # Examples
    /// See [`Session`].
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let mut cookies = self.0.lock();
        let value = data(&mut cookies).values.get(key)?.clone();
        serde_json::from_value(value).ok()
    }

    /// Whether `key` has a value.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # use microframe::{Microframe, Session, TestClient};
    /// async fn check(session: Session) -> String { session.contains("user").to_string() }
    /// TestClient::new(Microframe::new().get("/", check)).get("/").send().await.assert_body("false");
    /// # });
    /// ```
    pub fn contains(&self, key: &str) -> bool {
        data(&mut self.0.lock()).values.contains_key(key)
    }

    /// Sets `key` to `value` (as JSON).
    ///
    /// # Errors
    /// When `value` cannot be turned into JSON (a map with non-string keys, say); the
    /// session is unchanged then.
    ///
    /// # Examples
    /// See [`Session`].
    pub fn insert<T: Serialize>(&self, key: &str, value: T) -> Result<(), serde_json::Error> {
        let value = serde_json::to_value(value)?;
        let mut cookies = self.0.lock();
        let session = data(&mut cookies);
        session.values.insert(key.to_owned(), value);
        session.modified = true;
        Ok(())
    }

    /// Removes `key`; whether it had a value.
    ///
    /// # Examples
    /// See [`Session::clear`].
    pub fn remove(&self, key: &str) -> bool {
        let mut cookies = self.0.lock();
        let session = data(&mut cookies);
        let removed = session.values.remove(key).is_some();
        session.modified |= removed;
        removed
    }

    /// Empties the session (a log-out); the response removes the cookie.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, Session, TestClient};
    ///
    /// async fn login(session: Session) -> &'static str { session.insert("user", "ann").unwrap(); "in" }
    /// async fn logout(session: Session) -> &'static str { session.clear(); "out" }
    /// async fn me(session: Session) -> String { session.get::<String>("user").unwrap_or_default() }
    /// let app = Microframe::new().secret_key([1; 32]).post("/login", login).post("/logout", logout).get("/me", me);
    /// let client = TestClient::new(app);
    /// client.post("/login").send().await;
    /// client.get("/me").send().await.assert_body("ann");
    /// client.post("/logout").send().await;
    /// client.get("/me").send().await.assert_body("");
    /// # });
    /// ```
    pub fn clear(&self) {
        let mut cookies = self.0.lock();
        let session = data(&mut cookies);
        session.modified |= !session.values.is_empty();
        session.values.clear();
    }

    /// Makes the session cookie last for the app's session lifetime (`Max-Age`), or, with
    /// `false`, only as long as the browser session.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, Session, TestClient};
    ///
    /// async fn remember(session: Session) -> &'static str {
    ///     session.insert("user", "ann").unwrap();
    ///     session.set_permanent(true);
    ///     "remembered"
    /// }
    /// let app = Microframe::new().secret_key([1; 32]).session_lifetime(std::time::Duration::from_secs(3600)).post("/", remember);
    /// let response = TestClient::new(app).post("/").send().await;
    /// assert!(response.header("set-cookie").unwrap().contains("Max-Age=3600"));
    /// # });
    /// ```
    pub fn set_permanent(&self, permanent: bool) {
        let mut cookies = self.0.lock();
        let session = data(&mut cookies);
        let changed = match permanent {
            true => session.values.insert(PERMANENT.to_owned(), Value::Bool(true)).is_none(),
            false => session.values.remove(PERMANENT).is_some(),
        };
        session.modified |= changed;
    }

    pub(crate) fn with_data<R>(&self, change: impl FnOnce(&mut Map<String, Value>) -> (R, bool)) -> R {
        let mut cookies = self.0.lock();
        let session = data(&mut cookies);
        let (result, modified) = change(&mut session.values);
        session.modified |= modified;
        result
    }
}

impl FromEnviron for Session {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(Session(CookieState::of(environ)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crate::{Microframe, Session, TestClient};

    async fn plain() -> &'static str {
        "no session here"
    }

    async fn count(session: Session) -> String {
        let n = session.get::<u32>("n").unwrap_or(0) + 1;
        session.insert("n", n).unwrap_or_default();
        n.to_string()
    }

    /// What is logged on this thread while the guard lives.
    fn capture() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
        #[derive(Clone)]
        struct Writer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Writer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let logs = Arc::new(Mutex::new(Vec::new()));
        let writer = Writer(Arc::clone(&logs));
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    // The only test of this crate's unit tests that uses the generated key, so it sees the
    // process's first use.
    #[tokio::test]
    async fn without_a_key_one_warning_comes_at_the_first_use_and_none_before() {
        let (logs, _guard) = capture();
        let text =
            || String::from_utf8_lossy(&logs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)).into_owned();
        let client = TestClient::new(Microframe::new().get("/plain", plain).get("/count", count));
        client.get("/plain").send().await.assert_body("no session here");
        assert_eq!(text(), "", "an app that uses no session warns about nothing");
        client.get("/count").send().await.assert_body("1");
        client.get("/count").send().await.assert_body("2");
        let logs = text();
        assert_eq!(logs.matches("no secret key set").count(), 1, "{logs}");
        assert!(logs.contains("WARN"), "{logs}");
    }
}
