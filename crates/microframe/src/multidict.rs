//! `MultiDict`: query strings and urlencoded forms as ordered key/value pairs (the parsing
//! rules are in [`MultiDict`]'s docs).

use gateway_core::Environ;

use crate::extract::FromEnviron;
use crate::rejection::FormRejection;

/// Ordered, repeatable key/value pairs: a query string or an urlencoded form as parsed.
///
/// The rules (docs/design.md §4):
/// - the order is kept; [`get`](MultiDict::get) is the **first** value of a key (Werkzeug's
///   choice; Bottle and Starlette take the last), [`get_all`](MultiDict::get_all) every
///   value in order;
/// - blank values are kept (`a=` is `""`); `+` is a space; invalid percent escapes stay
///   literally (`%zz`, a lone `%`); bytes that are not UTF-8 after decoding become U+FFFD;
/// - empty pairs (`&&`) are skipped; `=x` has the key `""`.
///
/// # Examples
/// ```
/// use microframe::MultiDict;
///
/// let query = MultiDict::parse(b"age=10&hobbies=software&hobbies=tunning&blank=&a+b=%zz");
/// assert_eq!(query.get("age"), Some("10"));
/// assert_eq!(query.get("hobbies"), Some("software")); // the first value
/// assert_eq!(query.get_all("hobbies").collect::<Vec<_>>(), ["software", "tunning"]);
/// assert_eq!(query.get("blank"), Some(""));
/// assert_eq!(query.get("a b"), Some("%zz"));
/// assert_eq!(query.get("missing"), None);
///
/// let odd = MultiDict::parse(b"&&=x&bad=%FF&pct=%");
/// assert_eq!(odd.iter().collect::<Vec<_>>(), [("", "x"), ("bad", "\u{FFFD}"), ("pct", "%")]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultiDict {
    pairs: Vec<(String, String)>,
}

impl MultiDict {
    /// Parses `application/x-www-form-urlencoded` bytes (a query string or a form body).
    ///
    /// # Examples
    /// ```
    /// let form = microframe::MultiDict::parse(b"name=Ann+Lee&city=K%C3%B6ln");
    /// assert_eq!(form.get("name"), Some("Ann Lee"));
    /// assert_eq!(form.get("city"), Some("Köln"));
    /// ```
    pub fn parse(input: &[u8]) -> Self {
        let pairs = form_urlencoded::parse(input).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Self { pairs }
    }

    /// The first value of `key`.
    ///
    /// # Examples
    /// ```
    /// let query = microframe::MultiDict::parse(b"sort=name&sort=date");
    /// assert_eq!(query.get("sort"), Some("name"));
    /// assert_eq!(query.get("page"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    ///
    /// # Examples
    /// ```
    /// let query = microframe::MultiDict::parse(b"tag=a&x=1&tag=b");
    /// assert_eq!(query.get_all("tag").collect::<Vec<_>>(), ["a", "b"]);
    /// assert_eq!(query.get_all("none").count(), 0);
    /// ```
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every pair, in order.
    ///
    /// # Examples
    /// ```
    /// let pairs = microframe::MultiDict::parse(b"a=1&b=2");
    /// assert_eq!(pairs.iter().collect::<Vec<_>>(), [("a", "1"), ("b", "2")]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of pairs.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(microframe::MultiDict::parse(b"a=1&&a=2").len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    ///
    /// # Examples
    /// ```
    /// assert!(microframe::MultiDict::parse(b"").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The request's query string, parsed once per request and cached in the environ's
    /// extensions (by [`ParseQuery`](crate::ParseQuery) or on first use).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/?age=10").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(microframe::MultiDict::query(&mut environ).get("age"), Some("10"));
    /// ```
    pub fn query(environ: &mut Environ) -> &MultiDict {
        if environ.extensions().get::<QueryCache>().is_none() {
            let parsed = MultiDict::parse(environ.query_string().as_bytes());
            environ.extensions_mut().insert(QueryCache(parsed));
        }
        match environ.extensions().get::<QueryCache>() {
            Some(cached) => &cached.0,
            None => unreachable!("inserted just above"),
        }
    }

    /// The request's urlencoded form body, read once (bounded by the body limit) and cached.
    /// An empty or absent body is an empty form, whatever its `Content-Type`.
    ///
    /// # Errors
    /// 415 for a non-empty body that is not `application/x-www-form-urlencoded`, 413 over
    /// the body limit, 408/400 for a stalled or broken body.
    ///
    /// # Examples
    /// ```
    /// # futures_executor::block_on(async {
    /// # let (parts, ()) = http::Request::post("/").header("content-type", "application/x-www-form-urlencoded").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::from_bytes("age=10"));
    /// let form = microframe::MultiDict::form(&mut environ).await.unwrap();
    /// assert_eq!(form.get("age"), Some("10"));
    /// # });
    /// ```
    pub async fn form(environ: &mut Environ) -> Result<&MultiDict, FormRejection> {
        if environ.extensions().get::<FormCache>().is_none() {
            let body = crate::extract::read_form_body(environ).await?;
            environ.extensions_mut().insert(FormCache(MultiDict::parse(&body)));
        }
        match environ.extensions().get::<FormCache>() {
            Some(cached) => Ok(&cached.0),
            None => unreachable!("inserted just above"),
        }
    }
}

/// The pairs of a query string or form, as `Query<MultiDict>` or `Form<MultiDict>`: how a
/// handler gets the submitted values beside the typed form, from one read of the body.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Form, Microframe, MultiDict, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Vote { choice: u8 }
/// async fn vote(typed: Option<Form<Vote>>, Form(values): Form<MultiDict>) -> String {
///     format!("{} from {:?}", typed.is_some(), values.get("choice"))
/// }
/// let client = TestClient::new(Microframe::new().post("/", vote));
/// client.post("/").form(&[("choice", "2")]).send().await.assert_body(r#"true from Some("2")"#);
/// # });
/// ```
impl<'de> serde::Deserialize<'de> for MultiDict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(deserializer).map(|pairs| Self { pairs })
    }
}

#[derive(Clone)]
struct QueryCache(MultiDict);

#[derive(Clone)]
struct FormCache(MultiDict);

impl FromEnviron for MultiDict {
    type Rejection = std::convert::Infallible;

    /// The query string's pairs.
    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(MultiDict::query(environ).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_queries_keep_what_they_can() {
        let dict = MultiDict::parse(b"a=%zz&b=%&&=x&c");
        assert_eq!(dict.iter().collect::<Vec<_>>(), [("a", "%zz"), ("b", "%"), ("", "x"), ("c", "")]);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_character() {
        assert_eq!(MultiDict::parse(b"a=%ff").get("a"), Some("\u{fffd}"));
    }

    #[test]
    fn plus_is_space_in_keys_and_values() {
        assert_eq!(MultiDict::parse(b"a+b=c+d").get("a b"), Some("c d"));
    }
}
