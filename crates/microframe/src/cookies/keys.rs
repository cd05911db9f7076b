//! The app's secret key: what signs and encrypts cookies and the session (the rules are in
//! [`Microframe::secret_key`](crate::Microframe::secret_key)'s docs).
//!
//! The key material goes through the `cookie` crate's `Key::derive_from` (HKDF-SHA256;
//! `Key::from` would want 64 bytes of already random keys); the per-process key of an app
//! that sets none is made on the first request that needs one. The cryptography is the
//! `cookie` crate's, never written here.

use std::sync::{Arc, OnceLock};

use cookie::Key;

/// The least key material [`Microframe::secret_key`](crate::Microframe::secret_key) accepts
/// (what `cookie::Key::derive_from` requires).
///
/// # Examples
/// ```
/// use microframe::{MIN_SECRET_KEY_LEN, Microframe};
///
/// assert_eq!(MIN_SECRET_KEY_LEN, 32);
/// let _app = Microframe::new().secret_key([7_u8; MIN_SECRET_KEY_LEN]);
/// let short = std::panic::catch_unwind(|| Microframe::new().secret_key([7_u8; MIN_SECRET_KEY_LEN - 1]));
/// assert!(short.is_err());
/// ```
pub const MIN_SECRET_KEY_LEN: usize = 32;

/// The keys of an app: the first signs and encrypts, all are tried when reading.
#[derive(Clone)]
pub(crate) struct SecretKeys(Arc<Vec<Key>>);

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKeys({} keys)", self.0.len())
    }
}

impl SecretKeys {
    /// Derives the keys from `material`, the current key first.
    ///
    /// # Panics
    /// When a key has fewer than 32 bytes, naming its length (never the key).
    #[track_caller]
    pub(crate) fn derive<'a>(material: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let keys = material
            .into_iter()
            .map(|bytes| {
                assert!(
                    bytes.len() >= MIN_SECRET_KEY_LEN,
                    "a secret key needs at least {MIN_SECRET_KEY_LEN} bytes of random key material; this one has {}",
                    bytes.len()
                );
                Key::derive_from(bytes)
            })
            .collect();
        Self(Arc::new(keys))
    }

    /// The same keys with `older` ones after them, for reading only.
    #[track_caller]
    pub(crate) fn with_fallbacks<'a>(&self, older: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut keys: Vec<Key> = self.0.iter().take(1).cloned().collect();
        keys.extend(Self::derive(older).0.iter().cloned());
        Self(Arc::new(keys))
    }

    /// The key that signs and encrypts.
    pub(crate) fn current(&self) -> &Key {
        &self.0[0]
    }

    /// Every key, the current one first.
    pub(crate) fn all(&self) -> &[Key] {
        &self.0
    }

    /// The per-process key of apps that set none: made at the first use, with one warning.
    pub(crate) fn generated() -> Self {
        static GENERATED: OnceLock<SecretKeys> = OnceLock::new();
        GENERATED
            .get_or_init(|| {
                tracing::warn!(
                    "no secret key set (Microframe::secret_key): using a random key for this process; \
                     sessions and signed or private cookies will not survive a restart or work across instances"
                );
                Self(Arc::new(vec![Key::generate()]))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_material_derives_the_same_key() {
        let material = [7_u8; 32];
        let a = SecretKeys::derive([&material[..]]);
        let b = SecretKeys::derive([&material[..]]);
        assert!(a.current() == b.current());
    }

    #[test]
    #[should_panic(expected = "at least 32 bytes of random key material; this one has 31")]
    fn a_short_key_panics_naming_its_length() {
        let _ = SecretKeys::derive([&[0_u8; 31][..]]);
    }

    #[test]
    fn fallbacks_come_after_the_current_key() {
        let keys = SecretKeys::derive([&[1_u8; 32][..]]).with_fallbacks([&[2_u8; 40][..], &[3_u8; 32][..]]);
        assert_eq!(keys.all().len(), 3);
        assert!(keys.current() == &Key::derive_from(&[1_u8; 32]));
        assert!(keys.all()[2] == Key::derive_from(&[3_u8; 32]));
    }
}
