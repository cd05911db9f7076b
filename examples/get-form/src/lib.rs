//! Tutorial step 2: parsing GET.
//!
//! A form submitted with `method="get"` comes back as the query string:
//! `?age=10&hobbies=software&hobbies=tunning`. The tutorial parses `QUERY_STRING` with
//! `cgi.parse_qs` and escapes every value with `cgi.escape`; here the app is still a plain
//! gateway-core async fn, and two helpers do those jobs:
//!
//! - [`MultiDict::query`] parses the query string into ordered, repeatable pairs:
//!   [`get`](MultiDict::get) is the **first** value (`age`), and
//!   [`get_all`](MultiDict::get_all) every value in order (`hobbies`). `+` is a space;
//!   invalid escapes such as `%zz` or a lone `%` stay as they are; bytes that are not UTF-8
//!   become U+FFFD; empty pairs (`&&`) and keys other than `age` and `hobbies` are ignored.
//! - The page is the askama template `templates/profile_form.html`, whose `.html` escaper
//!   writes `& < > " '` as `&amp; &lt; &gt; &#34; &#39;`, in text and in attribute values
//!   alike: `?age=<script>x</script>` shows `Age: &lt;script&gt;x&lt;/script&gt;`.
//!
//! The page re-fills the form (the `age` input's value, a checkbox re-`checked` for each
//! known hobby submitted) and shows the results: `Age: 10<br>` and
//! `Hobbies: software, tunning`. A missing or blank (`age=`) age shows `Age: Empty`; no
//! `hobbies` at all shows `Hobbies: No Hobbies`. A blank `hobbies=` is still a value (shown
//! as an empty string), since every value is kept.
//!
//! Like the tutorial, the app answers every path and every method with this page, built from
//! the query string alone (a request body is never read).
//!
//! Run with `cargo run -p example-get-form`, then open <http://127.0.0.1:8051/> in a browser,
//! or try `curl 'http://127.0.0.1:8051/?age=10&hobbies=software&hobbies=tunning'`.

use askama::Template;
use gateway_core::{Environ, Response, StartResponse};
use microframe::{IntoResponse, MultiDict, Render};

/// The profile form and its results: `templates/profile_form.html`, shared with step 3.
///
/// # Examples
/// ```
/// use askama::Template;
/// use example_get_form::ProfileForm;
/// use microframe::MultiDict;
///
/// let query = MultiDict::parse(b"age=10&hobbies=software&hobbies=tunning");
/// let page = ProfileForm::new("get", &query).render().unwrap();
/// assert!(page.contains(r#"<form method="get" action="">"#));
/// assert!(page.contains(r#"<input type="text" name="age" value="10">"#));
/// assert!(page.contains("Age: 10<br>\nHobbies: software, tunning\n</p>"));
///
/// let empty = ProfileForm::new("get", &MultiDict::default()).render().unwrap();
/// assert!(empty.contains("Age: Empty<br>\nHobbies: No Hobbies\n</p>"));
/// ```
// ANCHOR: form
#[derive(Debug, Clone, PartialEq, Eq, Template)]
#[template(path = "profile_form.html")]
pub struct ProfileForm<'a> {
    /// The form's `method` attribute: `get` here, `post` in step 3.
    pub method: &'static str,
    /// The first `age` value; `""` when there is none (shown as `Empty`).
    pub age: &'a str,
    /// Every `hobbies` value, in order (none: `No Hobbies`).
    pub hobbies: Vec<&'a str>,
}
// ANCHOR_END: form

impl<'a> ProfileForm<'a> {
    /// The page for a form sent with `method`, whose fields are `pairs`: the first `age`,
    /// every `hobbies`.
    ///
    /// # Examples
    /// ```
    /// let pairs = microframe::MultiDict::parse(b"age=7&age=8&hobbies=a&hobbies=b");
    /// let page = example_get_form::ProfileForm::new("get", &pairs);
    /// assert_eq!((page.age, page.hobbies), ("7", vec!["a", "b"]));
    /// ```
    // ANCHOR: new
    pub fn new(method: &'static str, pairs: &'a MultiDict) -> Self {
        Self { method, age: pairs.get("age").unwrap_or(""), hobbies: pairs.get_all("hobbies").collect() }
    }
    // ANCHOR_END: new

    /// Whether `hobby` was submitted, so that its checkbox is re-`checked`.
    ///
    /// # Examples
    /// ```
    /// let pairs = microframe::MultiDict::parse(b"hobbies=software");
    /// let page = example_get_form::ProfileForm::new("get", &pairs);
    /// assert!(page.has_hobby("software"));
    /// assert!(!page.has_hobby("tunning"));
    /// ```
    pub fn has_hobby(&self, hobby: &str) -> bool {
        self.hobbies.contains(&hobby)
    }
}

/// Answers any path and method with the [`ProfileForm`] page built from the query string,
/// as `text/html; charset=utf-8`.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let request = http::Request::get("/?age=%3Cb%3E&hobbies=tunning").body(()).unwrap();
/// let environ = Environ::new(request.into_parts().0, Input::empty());
/// let (head, body) = example_get_form::app.call(environ, StartResponse::new()).await.into_parts();
/// assert_eq!(head.headers()["content-type"], "text/html; charset=utf-8");
/// let page = String::from_utf8(body.collect().await.unwrap().to_vec()).unwrap();
/// assert!(page.contains("Age: &lt;b&gt;<br>\nHobbies: tunning\n"));
/// # });
/// ```
// ANCHOR: app
pub async fn app(mut environ: Environ, start_response: StartResponse) -> Response {
    let query = MultiDict::query(&mut environ);
    Render(ProfileForm::new("get", query)).into_response(start_response)
}
// ANCHOR_END: app
