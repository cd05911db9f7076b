//! The configuration, from environment variables.
//!
//! | variable | meaning | unset |
//! |---|---|---|
//! | `GUESTBOOK_DB` | the SQLite file (an empty value counts as unset), made with its schema on first start | `guestbook.db` in the working directory |
//! | `GUESTBOOK_SECRET_KEY` | the session key material: its UTF-8 bytes, at least 32 | a random key per process, and one warning at the first request that uses the session (sessions then end with the process) |
//! | `GUESTBOOK_STATIC` | the static directory (an empty value counts as unset) | the crate's own `static/` folder, found at build time, so the binary works from any directory |
//! | `FORWARDED_ALLOW_IPS` | the proxies to believe (gunicorn's name): comma-separated addresses or CIDR ranges, whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Prefix` (one hop each, and RFC 7239 `Forwarded`) are read; `Host` is taken as the proxy sends it | no proxy header is read (an empty value counts as unset) |
//!
//! The proxies named in `FORWARDED_ALLOW_IPS` must set `X-Forwarded-Prefix` themselves (or
//! remove it): one that passes a client's own on lets that client choose the prefix of the
//! links and cookie path it is sent (`deploy/nginx.conf` and `deploy/Caddyfile` set it).
//!
//! A key that is set but shorter than 32 bytes (empty included) or not UTF-8, and a
//! `FORWARDED_ALLOW_IPS` entry that is neither an address nor a range, are refused before
//! the server listens: `main` prints one line and exits with code 2.

use std::ffi::OsString;
use std::path::PathBuf;

use microframe::MIN_SECRET_KEY_LEN;

/// The guestbook's settings.
///
/// # Examples
/// ```
/// let config = example_guestbook::Config::from_vars(|_| None).unwrap();
/// assert_eq!(config.database, std::path::Path::new("guestbook.db"));
/// assert!(config.secret_key.is_none());
/// assert!(config.static_dir.join("style.css").is_file());
/// assert!(config.proxy.is_none(), "no proxy is believed unless named");
///
/// let behind = |name: &str| (name == "FORWARDED_ALLOW_IPS").then(|| "127.0.0.1,::1".into());
/// let proxy = example_guestbook::Config::from_vars(behind).unwrap().proxy.unwrap();
/// assert!(proxy.trusted().contains("::1".parse().unwrap()));
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file.
    pub database: PathBuf,
    /// The session key material; `None`: a random key per process.
    pub secret_key: Option<Vec<u8>>,
    /// The directory served at `/static/`.
    pub static_dir: PathBuf,
    /// The proxy headers to read, when `FORWARDED_ALLOW_IPS` names proxies.
    pub proxy: Option<gateway_tower::ProxyHeaders>,
}

/// A setting that cannot be used; `main` prints it and exits with code 2.
///
/// # Examples
/// ```
/// let error = example_guestbook::Config::from_vars(|name| (name == "GUESTBOOK_SECRET_KEY").then(|| "short".into())).unwrap_err();
/// assert_eq!(error.to_string(), "GUESTBOOK_SECRET_KEY must be at least 32 bytes long (it has 5)");
///
/// let proxies = |name: &str| (name == "FORWARDED_ALLOW_IPS").then(|| "127.0.0.1, 10.0.0.0/33".into());
/// let error = example_guestbook::Config::from_vars(proxies).unwrap_err();
/// assert!(error.to_string().starts_with("FORWARDED_ALLOW_IPS: "), "{error}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The static folder that ships with the crate.
const CRATE_STATIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static");

impl Config {
    /// The settings from the process's environment.
    ///
    /// # Errors
    /// A secret key that is too short or not UTF-8.
    ///
    /// # Examples
    /// ```
    /// let _config = example_guestbook::Config::from_env();
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var_os(name))
    }

    /// The settings from `var`, which looks a variable up by name.
    ///
    /// # Errors
    /// As [`from_env`](Self::from_env).
    ///
    /// # Examples
    /// See [`Config`].
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Result<Self, ConfigError> {
        let secret_key = match var("GUESTBOOK_SECRET_KEY") {
            None => None,
            Some(key) => {
                let key =
                    key.into_string().map_err(|_| ConfigError("GUESTBOOK_SECRET_KEY must be UTF-8".to_owned()))?;
                if key.len() < MIN_SECRET_KEY_LEN {
                    return Err(ConfigError(format!(
                        "GUESTBOOK_SECRET_KEY must be at least {MIN_SECRET_KEY_LEN} bytes long (it has {})",
                        key.len()
                    )));
                }
                Some(key.into_bytes())
            }
        };
        // ANCHOR: proxy
        let proxy = match var("FORWARDED_ALLOW_IPS").filter(|list| !list.is_empty()) {
            None => None,
            Some(list) => {
                let list = list.to_str().ok_or_else(|| ConfigError("FORWARDED_ALLOW_IPS must be UTF-8".to_owned()))?;
                let proxy = gateway_tower::ProxyHeaders::new().x_prefix(1).trust(list);
                Some(proxy.map_err(|error| ConfigError(format!("FORWARDED_ALLOW_IPS: {error}")))?)
            }
        };
        // ANCHOR_END: proxy
        Ok(Self {
            database: path_or(var("GUESTBOOK_DB"), "guestbook.db"),
            secret_key,
            static_dir: path_or(var("GUESTBOOK_STATIC"), CRATE_STATIC),
            proxy,
        })
    }
}

/// The variable's path, or `default` when it is unset or empty.
fn path_or(value: Option<OsString>, default: &str) -> PathBuf {
    value.filter(|value| !value.is_empty()).map_or_else(|| PathBuf::from(default), PathBuf::from)
}
