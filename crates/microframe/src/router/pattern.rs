//! Bottle route patterns: parsing at build time, matching against the raw path, building
//! URLs back. The pattern syntax and the matching rules are in [`Router`](super::Router)'s
//! docs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::converter::DynConverter;
use crate::extract::Params;

/// Characters kept literal in a path parameter: the unreserved set `A-Z a-z 0-9 - . _ ~`.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

#[derive(Clone)]
pub(crate) struct Pattern {
    source: String,
    parts: Vec<Part>,
    /// No parameters: a raw path without escapes matches exactly when it equals `source`.
    literal_only: bool,
}

#[derive(Clone)]
enum Part {
    Literal(String),
    Param { name: Arc<str>, converter_name: String, converter: Arc<dyn DynConverter> },
}

impl Pattern {
    /// Parses `source` with the converters known by name.
    ///
    /// # Panics
    /// On a pattern that does not start with `/`, an unknown converter, a malformed or
    /// repeated parameter, or a `path` parameter that is not last: route tables are built
    /// at start-up, so these are programming errors.
    pub(crate) fn parse(source: &str, converters: &HashMap<String, Arc<dyn DynConverter>>) -> Self {
        let Some(rest) = source.strip_prefix('/') else {
            panic!("route pattern {source:?} must start with `/`");
        };
        let mut parts = Vec::new();
        let segments: Vec<&str> = rest.split('/').collect();
        for (index, segment) in segments.iter().enumerate() {
            let Some(inner) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
                assert!(
                    !segment.contains(['<', '>']),
                    "route pattern {source:?}: a parameter must fill its whole segment"
                );
                parts.push(Part::Literal(segment.to_string()));
                continue;
            };
            let (name, converter_name) = inner.split_once(':').unwrap_or((inner, ""));
            assert!(!name.is_empty(), "route pattern {source:?}: a parameter needs a name");
            let converter = converters
                .get(converter_name)
                .unwrap_or_else(|| panic!("route pattern {source:?}: unknown converter `{converter_name}`"));
            assert!(
                !converter.takes_rest() || index + 1 == segments.len(),
                "route pattern {source:?}: `{converter_name}` takes the rest of the path, so it must be last"
            );
            let repeated = parts.iter().any(|part| matches!(part, Part::Param { name: other, .. } if &**other == name));
            assert!(!repeated, "route pattern {source:?}: parameter `{name}` appears twice");
            parts.push(Part::Param {
                name: Arc::from(name),
                converter_name: converter_name.to_owned(),
                converter: Arc::clone(converter),
            });
        }
        let literal_only = parts.iter().all(|part| matches!(part, Part::Literal(_)));
        Self { source: source.to_owned(), parts, literal_only }
    }

    /// The pattern as written.
    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// Whether two patterns match exactly the same paths: the same literals and converters
    /// in the same places (parameter names aside).
    pub(crate) fn same_shape(&self, other: &Pattern) -> bool {
        self.parts.len() == other.parts.len()
            && self.parts.iter().zip(&other.parts).all(|pair| match pair {
                (Part::Literal(a), Part::Literal(b)) => a == b,
                (Part::Param { converter_name: a, .. }, Part::Param { converter_name: b, .. }) => a == b,
                _ => false,
            })
    }

    /// Matches a raw `PATH_INFO`; the parameters (possibly none) when it matches.
    pub(crate) fn matches(&self, raw_path: &str) -> Option<Params> {
        if self.literal_only && !raw_path.contains('%') {
            return (raw_path == self.source).then(Params::default);
        }
        self.matches_segments(raw_path)
    }

    /// The general match: split on `/`, decode each segment, compare or convert.
    fn matches_segments(&self, raw_path: &str) -> Option<Params> {
        // `None` once every segment has been consumed.
        let mut rest = Some(raw_path.strip_prefix('/')?);
        let mut params = Params::default();
        for part in &self.parts {
            let remaining = rest?;
            let segment = match part {
                Part::Param { converter, .. } if converter.takes_rest() => {
                    rest = None;
                    remaining
                }
                _ => match remaining.split_once('/') {
                    Some((segment, after)) => {
                        rest = Some(after);
                        segment
                    }
                    None => {
                        rest = None;
                        remaining
                    }
                },
            };
            let decoded = decode_segment(segment);
            match part {
                Part::Literal(literal) if *literal != decoded => return None,
                Part::Literal(_) => {}
                Part::Param { name, converter, .. } => {
                    let value = converter.parse_any(&decoded)?;
                    params.push(Arc::clone(name), decoded.into_owned(), value);
                }
            }
        }
        rest.is_none().then_some(params)
    }

    /// Fills the pattern with `params` (formatted by each converter, percent-encoded) and
    /// marks the ones it used.
    pub(crate) fn fill(&self, params: &[(&str, &str)], used: &mut [bool]) -> Result<String, UrlError> {
        let mut url = String::new();
        for part in &self.parts {
            url.push('/');
            match part {
                Part::Literal(literal) => url.extend(utf8_percent_encode(literal, PATH_PARAM)),
                Part::Param { name, converter, .. } => {
                    let index = params
                        .iter()
                        .position(|(key, _)| *key == &**name)
                        .ok_or_else(|| UrlError::MissingParam(name.to_string()))?;
                    used[index] = true;
                    let text = converter
                        .to_url(params[index].1)
                        .ok_or_else(|| UrlError::InvalidParam(name.to_string(), params[index].1.to_owned()))?;
                    let segments: Vec<Cow<'_, str>> = if converter.takes_rest() {
                        text.split('/').map(|s| Cow::from(utf8_percent_encode(s, PATH_PARAM))).collect()
                    } else {
                        vec![Cow::from(utf8_percent_encode(&text, PATH_PARAM))]
                    };
                    url.push_str(&segments.join("/"));
                }
            }
        }
        Ok(url)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Why `url_for` could not build a URL.
///
/// # Examples
/// ```
/// let app = microframe::Microframe::new().get("/item/<id:int>", || async { "" }).name("item");
/// let error = app.url_for("item", &[("id", "x")]).unwrap_err();
/// assert_eq!(error.to_string(), "url_for: parameter `id` cannot take \"x\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// No route has this name.
    UnknownRoute(String),
    /// The pattern has a parameter that was not given.
    MissingParam(String),
    /// The value does not fit the parameter's converter.
    InvalidParam(String, String),
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownRoute(name) => write!(f, "url_for: no route is named `{name}`"),
            Self::MissingParam(name) => write!(f, "url_for: parameter `{name}` is missing"),
            Self::InvalidParam(name, value) => write!(f, "url_for: parameter `{name}` cannot take {value:?}"),
        }
    }
}

impl std::error::Error for UrlError {}

/// A segment percent-decoded (lossy UTF-8); borrowed as it is when it has no escape, the
/// usual case, so matching a literal costs a comparison.
fn decode_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains('%') { percent_decode_str(segment).decode_utf8_lossy() } else { Cow::Borrowed(segment) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literal_shortcut_agrees_with_the_segment_match() {
        let patterns = ["/", "/hello", "/hello/", "/a/b", "/a//b", "/caf\u{e9}"];
        let paths = [
            "",
            "/",
            "//",
            "/hello",
            "/hello/",
            "/hello//",
            "//hello",
            "/hellox",
            "/HELLO",
            "/h%65llo",
            "/hello%2F",
            "/a/b",
            "/a//b",
            "/a/b/",
            "/a%2Fb",
            "/caf\u{e9}",
            "/caf%C3%A9",
            "/caf%c3%a9",
            "/%",
            "/hello?x",
        ];
        for source in patterns {
            let pattern = Pattern::parse(source, &HashMap::new());
            assert!(pattern.literal_only, "{source}");
            for path in paths {
                let shortcut = pattern.matches(path).is_some();
                let general = pattern.matches_segments(path).is_some();
                assert_eq!(shortcut, general, "pattern {source:?}, path {path:?}");
            }
        }
        assert!(Pattern::parse("/hello", &HashMap::new()).matches("/h%65llo").is_some());
        assert!(Pattern::parse("/caf\u{e9}", &HashMap::new()).matches("/caf%C3%A9").is_some());
    }
}
