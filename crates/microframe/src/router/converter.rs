//! Path converters: `<name>`, `<id:int>`, `<x:float>`, `<p:path>` and custom ones.

use std::any::Any;
use std::sync::Arc;

/// Turns the text of a path parameter into a value and back: one trait for matching,
/// parsing and formatting (Bottle's filter triple, Werkzeug's converter class).
///
/// `parse` gets the percent-decoded text; returning `None` means "this route does not
/// match" and routing goes on (404 in the end), unlike axum's 400.
///
/// # Examples
/// ```
/// use microframe::{Converter, Microframe, Params};
///
/// /// Lower-case ASCII words only.
/// struct Word;
/// impl Converter for Word {
///     type Value = String;
///     fn parse(&self, text: &str) -> Option<String> {
///         (!text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase())).then(|| text.to_owned())
///     }
///     fn format(&self, value: &String) -> String {
///         value.clone()
///     }
/// }
///
/// async fn tag(params: Params) -> String {
///     params.get::<String>("tag").unwrap_or_default()
/// }
/// let _app = Microframe::new().converter("word", Word).get("/tag/<tag:word>", tag);
/// ```
pub trait Converter: Send + Sync + 'static {
    /// The parsed value, as handlers receive it.
    type Value: Send + Sync + 'static;

    /// Parses decoded text; `None` is no match.
    fn parse(&self, text: &str) -> Option<Self::Value>;

    /// Formats a value as URL text (before percent-encoding), for `url_for`.
    fn format(&self, value: &Self::Value) -> String;

    /// Whether the parameter takes the rest of the path, slashes included (`path`).
    fn takes_rest(&self) -> bool {
        false
    }
}

/// A converter with its value type erased, as the router stores it.
pub(crate) trait DynConverter: Send + Sync + 'static {
    fn parse_any(&self, text: &str) -> Option<Arc<dyn Any + Send + Sync>>;
    fn to_url(&self, text: &str) -> Option<String>;
    fn takes_rest(&self) -> bool;
}

impl<C: Converter> DynConverter for C {
    fn parse_any(&self, text: &str) -> Option<Arc<dyn Any + Send + Sync>> {
        Some(Arc::new(self.parse(text)?))
    }
    fn to_url(&self, text: &str) -> Option<String> {
        self.parse(text).map(|value| self.format(&value))
    }
    fn takes_rest(&self) -> bool {
        Converter::takes_rest(self)
    }
}

/// `<name>` (the built-in converters are listed in [`Router`](super::Router)'s docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment;

impl Converter for Segment {
    type Value = String;
    fn parse(&self, text: &str) -> Option<String> {
        (!text.is_empty()).then(|| text.to_owned())
    }
    fn format(&self, value: &String) -> String {
        value.clone()
    }
}

/// `<id:int>`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Int;

impl Converter for Int {
    type Value = i64;
    fn parse(&self, text: &str) -> Option<i64> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }
    fn format(&self, value: &i64) -> String {
        value.to_string()
    }
}

/// `<x:float>`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Float;

impl Converter for Float {
    type Value = f64;
    fn parse(&self, text: &str) -> Option<f64> {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return None;
        }
        text.parse().ok()
    }
    fn format(&self, value: &f64) -> String {
        value.to_string()
    }
}

/// `<p:path>`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path;

impl Converter for Path {
    type Value = String;
    fn parse(&self, text: &str) -> Option<String> {
        (!text.is_empty()).then(|| text.to_owned())
    }
    fn format(&self, value: &String) -> String {
        value.clone()
    }
    fn takes_rest(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_accepts_signed_digits_only_and_refuses_overflow() {
        assert_eq!(Int.parse("007"), Some(7));
        assert_eq!(Int.parse("-3"), Some(-3));
        assert_eq!(Int.parse("9223372036854775807"), Some(i64::MAX));
        for bad in ["", "-", "+1", "1.0", "x", "9223372036854775808", " 1"] {
            assert_eq!(Int.parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn float_accepts_integers_and_decimals_only() {
        assert_eq!(Float.parse("2"), Some(2.0));
        assert_eq!(Float.parse("-2.5"), Some(-2.5));
        for bad in ["", ".5", "2.", "1e3", "inf", "NaN", "1.2.3"] {
            assert_eq!(Float.parse(bad), None, "{bad:?}");
        }
    }
}
