//! Cookies: the request's, and the ones the response sets or removes (the rules are in
//! [`Cookies`]'s docs).
//!
//! One jar per request (`CookieState`, in the environ's extensions), made at the first use
//! and written by `finish` when the handler's response is made; a request that touches no
//! cookie pays for none of this.

mod extract;
mod keys;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use cookie::{Cookie, CookieJar, SameSite};
use gateway_core::{Environ, Response, StartResponse};
use http::header::SET_COOKIE;
use http::{HeaderValue, StatusCode};

pub use extract::{CookieError, Cookies, PrivateCookies, SignedCookies};
pub use keys::MIN_SECRET_KEY_LEN;
pub(crate) use keys::SecretKeys;

use crate::extract::lookup_state;
use crate::session::{self, SessionData, SessionLifetime};

/// One request's cookies, shared by its cookie extractors.
#[derive(Clone)]
pub(crate) struct CookieState(Arc<Mutex<RequestCookies>>);

impl std::fmt::Debug for CookieState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieState")
    }
}

pub(crate) struct RequestCookies {
    pub(crate) jar: CookieJar,
    path: String,
    secure: bool,
    app_keys: Option<SecretKeys>,
    keys: Option<SecretKeys>,
    pub(crate) lifetime: SessionLifetime,
    pub(crate) session: Option<SessionData>,
}

/// Where error pages around a handler find the jar the handler made (an app's error
/// handler sees the session and cookies as the handler left them). Shared by every
/// error-page layer a request passes; only apps with error handlers put one in.
#[derive(Clone, Default)]
pub(crate) struct CookieSlot(Arc<OnceLock<CookieState>>);

impl CookieSlot {
    /// The request's slot, put in on first use.
    pub(crate) fn of(environ: &mut Environ) -> Self {
        if let Some(slot) = environ.extensions().get::<CookieSlot>() {
            return slot.clone();
        }
        let slot = Self::default();
        environ.extensions_mut().insert(slot.clone());
        slot
    }

    /// The jar, if a handler made one.
    pub(crate) fn get(&self) -> Option<&CookieState> {
        self.0.get()
    }
}

impl CookieState {
    /// The request's cookies, read from the `Cookie` header at the first use.
    pub(crate) fn of(environ: &mut Environ) -> Self {
        if let Some(state) = environ.extensions().get::<CookieState>() {
            return state.clone();
        }
        let state = Self(Arc::new(Mutex::new(RequestCookies::read(environ))));
        if let Some(slot) = environ.extensions().get::<CookieSlot>() {
            let _ = slot.0.set(state.clone());
        }
        environ.extensions_mut().insert(state.clone());
        state
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, RequestCookies> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RequestCookies {
    fn read(environ: &Environ) -> Self {
        let mut jar = CookieJar::new();
        if let Some(header) = environ.header("cookie") {
            for cookie in Cookie::split_parse_encoded(header.into_owned()).flatten() {
                if jar.get(cookie.name()).is_none() {
                    jar.add_original(cookie.into_owned());
                }
            }
        }
        let path = match environ.raw_script_name() {
            "" => "/".to_owned(),
            prefix => prefix.to_owned(),
        };
        Self {
            jar,
            path,
            secure: environ.url_scheme() == "https",
            app_keys: lookup_state::<SecretKeys>(environ),
            keys: None,
            lifetime: lookup_state::<SessionLifetime>(environ).unwrap_or_default(),
            session: None,
        }
    }

    /// The app's keys, or the process's generated key (warned about once).
    pub(crate) fn keys(&mut self) -> SecretKeys {
        let app_keys = &self.app_keys;
        self.keys.get_or_insert_with(|| app_keys.clone().unwrap_or_else(SecretKeys::generated)).clone()
    }

    /// `cookie` with the defaults filled in where it sets nothing.
    pub(crate) fn with_defaults(&self, mut cookie: Cookie<'static>) -> Cookie<'static> {
        if cookie.path().is_none() {
            cookie.set_path(self.path.clone());
        }
        if cookie.http_only().is_none() {
            cookie.set_http_only(true);
        }
        if cookie.same_site().is_none() {
            cookie.set_same_site(SameSite::Lax);
        }
        if cookie.secure().is_none() && self.secure {
            cookie.set_secure(true);
        }
        cookie
    }

    /// The cookie that removes `name` (with the default path, as it was set).
    pub(crate) fn removal(&self, name: &str) -> Cookie<'static> {
        self.with_defaults(Cookie::build(name.to_owned()).path(self.path.clone()).build())
    }
}

/// Refuses a cookie that cannot be sent as it is.
pub(crate) fn check(cookie: &Cookie<'_>) -> Result<(), CookieError> {
    if cookie.name().is_empty() {
        return Err(CookieError::new("name", ""));
    }
    let unsafe_text = |text: &str| text.chars().any(|c| c == ';' || c.is_control());
    if let Some(path) = cookie.path().filter(|path| unsafe_text(path)) {
        return Err(CookieError::new("Path", path));
    }
    if let Some(domain) = cookie.domain().filter(|domain| unsafe_text(domain)) {
        return Err(CookieError::new("Domain", domain));
    }
    match HeaderValue::try_from(cookie.encoded().to_string()) {
        Ok(_) => Ok(()),
        Err(_) => Err(CookieError::new("cookie", cookie.name())),
    }
}

/// Writes the request's cookie changes (the session's included) on `response`, one
/// `Set-Cookie` each. A session too large for its cookie turns the response into a 500.
pub(crate) fn finish(environ: &Environ, mut response: Response) -> Response {
    let Some(state) = environ.extensions().get::<CookieState>() else {
        return response;
    };
    let mut cookies = state.lock();
    if let Err(size) = session::store(&mut cookies) {
        tracing::error!(
            size,
            limit = session::MAX_COOKIE_SIZE,
            "the session cookie would be {size} bytes, over the {} a browser keeps; answering 500",
            session::MAX_COOKIE_SIZE
        );
        return StartResponse::new().reject(&StatusCode::INTERNAL_SERVER_ERROR);
    }
    for cookie in cookies.jar.delta() {
        match HeaderValue::try_from(cookie.encoded().to_string()) {
            Ok(value) => {
                response.headers_mut().append(SET_COOKIE, value);
            }
            Err(error) => tracing::error!(%error, name = cookie.name(), "a cookie cannot be sent; left out"),
        }
    }
    response
}
