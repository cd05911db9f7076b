//! The field rules, shared by the form and the API: what a signing must be to be stored.
//!
//! - A value has CRLF turned into LF, then is trimmed (`str::trim`); the result is what is
//!   stored and shown.
//! - Lengths are counted in Unicode scalar values (`chars()`): `name` 1–100, `message`
//!   1–500.
//! - A photo is judged by its first bytes only, whatever type the browser declared: PNG,
//!   JPEG or GIF; its size is checked first, and 1 MiB (1,048,576 bytes) is allowed. The
//!   stored type is the sniffed one.

/// The longest name, in Unicode scalar values.
pub const MAX_NAME: usize = 100;
/// The longest message, in Unicode scalar values.
pub const MAX_MESSAGE: usize = 500;
/// The largest photo, in bytes (1 MiB, allowed).
pub const MAX_PHOTO: usize = 1 << 20;

/// An uploaded photo, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// The image's bytes.
    pub bytes: Vec<u8>,
}

/// What a visitor (or an API client) sent, before the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signing {
    /// The `name` field as sent; `None` when absent (the API's missing or non-string value).
    pub name: Option<String>,
    /// The `message` field as sent.
    pub message: Option<String>,
    /// The photo, when a non-empty file was attached.
    pub photo: Option<Photo>,
    /// The photo was over [`MAX_PHOTO`]: its bytes were not kept.
    pub photo_too_large: bool,
}

/// A signing that passed every rule: what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// The cleaned name.
    pub name: String,
    /// The cleaned message.
    pub message: String,
    /// The photo's bytes and its sniffed type.
    pub photo: Option<(Vec<u8>, &'static str)>,
}

/// One message per bad field, in the form's order: `(field, message)`.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

impl Signing {
    /// The entry to store, or the message for each bad field.
    ///
    /// # Errors
    /// The fields that break a rule, each with its message.
    pub fn validate(&self) -> Result<NewEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = clean(self.name.as_deref());
        let message = clean(self.message.as_deref());
        match name.chars().count() {
            0 => errors.push(("name", "Name is required")),
            n if n > MAX_NAME => errors.push(("name", "Name is too long (max 100 characters)")),
            _ => {}
        }
        match message.chars().count() {
            0 => errors.push(("message", "Message is required")),
            n if n > MAX_MESSAGE => errors.push(("message", "Message is too long (max 500 characters)")),
            _ => {}
        }
        let photo = if self.photo_too_large {
            errors.push(("photo", "Photo is too large (max 1 MiB)"));
            None
        } else {
            match &self.photo {
                None => None,
                Some(photo) => match sniff(&photo.bytes) {
                    Some(kind) => Some((photo.bytes.clone(), kind)),
                    None => {
                        errors.push(("photo", "Photo must be a PNG, JPEG or GIF image"));
                        None
                    }
                },
            }
        };
        match errors.is_empty() {
            true => Ok(NewEntry { name, message, photo }),
            false => Err(errors),
        }
    }
}

/// CRLF to LF, then trimmed; absent is empty.
fn clean(value: Option<&str>) -> String {
    value.unwrap_or_default().replace("\r\n", "\n").trim().to_owned()
}

/// The image type the first bytes say, if it is one the guestbook takes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signing(name: &str, message: &str) -> Signing {
        Signing { name: Some(name.to_owned()), message: Some(message.to_owned()), ..Signing::default() }
    }

    #[test]
    fn values_are_cleaned_then_counted_in_scalar_values() {
        let entry = signing("  ann \r\n", " hi\r\nthere\t").validate().unwrap();
        assert_eq!((entry.name.as_str(), entry.message.as_str()), ("ann", "hi\nthere"));
        assert!(signing(&"é".repeat(100), "m").validate().is_ok());
        assert_eq!(
            signing(&"é".repeat(101), "m").validate().unwrap_err(),
            [("name", "Name is too long (max 100 characters)")]
        );
        assert!(signing("n", &"😀".repeat(500)).validate().is_ok());
        assert_eq!(
            signing("n", &"x".repeat(501)).validate().unwrap_err(),
            [("message", "Message is too long (max 500 characters)")]
        );
    }

    #[test]
    fn blank_and_absent_values_are_required() {
        assert_eq!(
            Signing::default().validate().unwrap_err(),
            [("name", "Name is required"), ("message", "Message is required")]
        );
        assert_eq!(signing(" \r\n ", "m").validate().unwrap_err(), [("name", "Name is required")]);
    }

    #[test]
    fn photos_are_judged_by_their_first_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF87a.."), Some("image/gif"));
        assert_eq!(sniff(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff(b"<svg"), None);
        assert_eq!(sniff(b"\x89PNG"), None);
        let bad = Signing { photo: Some(Photo { bytes: b"<svg/>".to_vec() }), ..signing("a", "b") };
        assert_eq!(bad.validate().unwrap_err(), [("photo", "Photo must be a PNG, JPEG or GIF image")]);
        let big = Signing { photo_too_large: true, ..signing("a", "b") };
        assert_eq!(big.validate().unwrap_err(), [("photo", "Photo is too large (max 1 MiB)")]);
        let gif = Signing { photo: Some(Photo { bytes: b"GIF89a".to_vec() }), ..signing("a", "b") };
        assert_eq!(gif.validate().unwrap().photo, Some((b"GIF89a".to_vec(), "image/gif")));
    }
}
