//! The builder's security settings: the secret key and the session's lifetime, and the
//! cross-site protection (its switch, trusted origins, exempt routes).

use super::Microframe;
use crate::cookies::SecretKeys;
use crate::cross_site::CrossSite;
use crate::router::Router;
use crate::session::SessionLifetime;

impl Microframe {
    /// Sets the app's secret key, which signs and encrypts its session and its signed and
    /// private cookies: at least 32 bytes of random key material (`openssl rand -base64 48`,
    /// say), turned into the cookie keys with HKDF (`cookie::Key::derive_from`). Apps
    /// mounted in this one use it too, unless they set their own. Without a key, a random
    /// one is made per process, with a warning at its first use: sessions then end with the
    /// process and are not shared between instances. Older keys for reading (rotation):
    /// [`secret_key_fallbacks`](Self::secret_key_fallbacks).
    ///
    /// # Panics
    /// When `key` has fewer than 32 bytes ([`MIN_SECRET_KEY_LEN`](crate::MIN_SECRET_KEY_LEN)),
    /// naming its length.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, Session, TestClient};
    ///
    /// async fn login(session: Session) -> &'static str { session.insert("user", "ann").unwrap(); "in" }
    /// async fn me(session: Session) -> String { session.get::<String>("user").unwrap_or_default() }
    /// let app = |key: [u8; 32]| Microframe::new().secret_key(key).post("/login", login).get("/me", me);
    /// let client = TestClient::new(app([1; 32]));
    /// client.post("/login").send().await;
    /// client.get("/me").send().await.assert_body("ann");
    /// // Another key cannot open the cookie: an empty session.
    /// let cookie = format!("session={}", client.cookie("session").unwrap());
    /// TestClient::new(app([2; 32])).get("/me").header("cookie", &cookie).send().await.assert_body("");
    /// # });
    /// ```
    #[track_caller]
    pub fn secret_key(self, key: impl AsRef<[u8]>) -> Self {
        self.state(SecretKeys::derive([key.as_ref()]))
    }

    /// Older secret keys, tried after the current one when reading (key rotation, as
    /// Flask's `SECRET_KEY_FALLBACKS`): what they protect still reads, and is written again
    /// with the current key when it changes. Call it after [`secret_key`](Self::secret_key).
    ///
    /// # Panics
    /// Without a `secret_key` set before it, or for a key shorter than 32 bytes.
    ///
    /// # Examples
    /// ```
    /// let old = [1_u8; 32];
    /// let _app = microframe::Microframe::new().secret_key([2_u8; 32]).secret_key_fallbacks([old]);
    /// ```
    #[track_caller]
    pub fn secret_key_fallbacks<K: AsRef<[u8]>>(self, older: impl IntoIterator<Item = K>) -> Self {
        let Some(current) = self.state.get::<SecretKeys>() else {
            panic!("Microframe::secret_key_fallbacks needs Microframe::secret_key before it");
        };
        let older: Vec<K> = older.into_iter().collect();
        self.state(current.with_fallbacks(older.iter().map(AsRef::as_ref)))
    }

    /// How long a permanent session lasts ([`Session::set_permanent`](crate::Session::set_permanent)):
    /// its cookie's `Max-Age`. 31 days by default.
    ///
    /// # Examples
    /// See [`Session::set_permanent`](crate::Session::set_permanent).
    pub fn session_lifetime(self, lifetime: std::time::Duration) -> Self {
        self.state(SessionLifetime(lifetime))
    }

    /// Switches the cross-site protection of this app's routes and mounts on or off (on by
    /// default): unsafe requests (POST, PUT, PATCH, DELETE) from another site are refused
    /// with 403 `Forbidden`.
    ///
    /// A form on another site can make a browser POST to this one with the user's cookies
    /// (CSRF). Browsers now say where a request comes from, so the check needs no token (Go
    /// 1.25's `CrossOriginProtection`; Django has protection on by default, Flask and axum
    /// have none). For `POST`, `PUT`, `PATCH` and `DELETE`:
    /// - `Sec-Fetch-Site: same-origin` or `none` (the user typed the address) passes;
    ///   `same-site`, `cross-site` and any other value are refused;
    /// - without `Sec-Fetch-Site` (older browsers), an `Origin` header must equal the
    ///   request's own origin: the scheme of `gateway.url_scheme`, the host and port of
    ///   `Host` (default ports filled in; without `Host`, `SERVER_NAME:SERVER_PORT`);
    ///   `Origin: null` and an origin that does not parse are refused;
    /// - a request with neither header (curl, another server) passes: only browsers carry a
    ///   user's cookies across sites, and they send one of the two;
    /// - an `Origin` listed with [`trusted_origin`](Self::trusted_origin) passes whatever
    ///   `Sec-Fetch-Site` says.
    ///
    /// A refusal is 403 `Forbidden`, a refusal that error pages render. The check runs once a
    /// route has matched with an unsafe method (404, 405 and OPTIONS answer as before), and
    /// at a mount for a plain gateway app (a mounted `Microframe` checks at its own routes,
    /// with its own settings). It can be switched off per app (`cross_site_protection(false)`)
    /// or per route ([`allow_cross_site`](Self::allow_cross_site)).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient};
    ///
    /// async fn save() -> &'static str { "saved" }
    /// let guarded = TestClient::new(Microframe::new().post("/", save));
    /// guarded.post("/").header("sec-fetch-site", "cross-site").send().await.assert_status(403).assert_body("Forbidden");
    /// guarded.post("/").header("sec-fetch-site", "same-origin").send().await.assert_status(200);
    /// guarded.post("/").header("origin", "http://localhost").send().await.assert_status(200); // its own origin
    /// guarded.post("/").header("origin", "null").send().await.assert_status(403);
    /// guarded.post("/").send().await.assert_status(200); // neither header: not a browser
    /// guarded.get("/").header("sec-fetch-site", "cross-site").send().await.assert_status(405); // routing first
    /// let open = TestClient::new(Microframe::new().cross_site_protection(false).post("/", save));
    /// open.post("/").header("sec-fetch-site", "cross-site").send().await.assert_status(200);
    /// # });
    /// ```
    pub fn cross_site_protection(mut self, on: bool) -> Self {
        let check = self.router_mut().cross_site_mut();
        match (on, check.is_some()) {
            (true, false) => *check = Some(CrossSite::default()),
            (false, _) => *check = None,
            (true, true) => {}
        }
        self
    }

    /// Trusts unsafe requests whose `Origin` is `origin` (`https://admin.example.com`, a
    /// default port may be left out), from whatever site.
    ///
    /// # Panics
    /// When `origin` is not `scheme://host[:port]`, or the protection is off.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient};
    ///
    /// async fn save() -> &'static str { "saved" }
    /// let app = Microframe::new().trusted_origin("https://admin.example.com").post("/", save);
    /// let client = TestClient::new(app);
    /// let from = |origin: &str| client.post("/").header("sec-fetch-site", "cross-site").header("origin", origin);
    /// from("https://admin.example.com:443").send().await.assert_status(200);
    /// from("https://evil.example").send().await.assert_status(403);
    /// # });
    /// ```
    #[track_caller]
    pub fn trusted_origin(mut self, origin: &str) -> Self {
        match self.router_mut().cross_site_mut() {
            Some(check) => check.trust(origin),
            None => panic!("Microframe::trusted_origin({origin:?}) with the cross-site protection off"),
        }
        self
    }

    /// Exempts the route or mount added last from the cross-site protection (a webhook that
    /// other sites post to, say).
    ///
    /// # Panics
    /// When no route or mount was added yet.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Microframe, TestClient};
    ///
    /// async fn hook() -> &'static str { "received" }
    /// let app = Microframe::new().post("/hook", hook).allow_cross_site().post("/form", hook);
    /// let client = TestClient::new(app);
    /// client.post("/hook").header("origin", "https://payments.example").send().await.assert_status(200);
    /// client.post("/form").header("origin", "https://payments.example").send().await.assert_status(403);
    /// # });
    /// ```
    pub fn allow_cross_site(self) -> Self {
        self.with_router(Router::allow_cross_site)
    }
}
