//! Extractors: typed values a handler takes as arguments, read from the environ (the order
//! they run in and what a failure does are in [`FromEnviron`]'s docs).

mod body;
mod fallible;
mod form;
mod json;
mod multipart;
mod path;
mod query;
mod state;

use std::future::Future;

use gateway_core::Environ;
use http::Method;

use crate::response::IntoResponse;

pub use fallible::OptionalFromEnviron;
pub(crate) use form::read_form_body;
pub use form::{Form, MAX_FORM_FIELDS, ParseForm, ParseFormLayer};
pub use json::Json;
pub use multipart::{MAX_MULTIPART_FIELD_MEMORY, MAX_MULTIPART_PARTS, Multipart, MultipartField};
pub use path::{FromParam, FromParams, Params, Path};
pub use query::{ParseQuery, ParseQueryLayer, Query};
pub use state::State;
pub(crate) use state::{StateChain, StateMap, lookup as lookup_state};

/// Deserializes urlencoded `input` into `T` with `serde_html_form`. A success costs no
/// path tracking; only a failure is deserialized again under `serde_path_to_error`, to
/// name the field in the rejection (the error path is cold, the success path is every
/// request).
pub(crate) fn deserialize_urlencoded<T: serde::de::DeserializeOwned>(
    input: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_html_form::de::Error>> {
    match serde_html_form::from_bytes(input) {
        Ok(value) => Ok(value),
        Err(_) => serde_path_to_error::deserialize(serde_html_form::Deserializer::from_bytes(input)),
    }
}

/// A value a handler can take as an argument.
///
/// Each handler argument implements `FromEnviron`; the last one may instead be a
/// [`FromEnvironLast`], the extractors that take the input stream itself (`Environ`,
/// [`Multipart`]). Extractors run left to right; the first that fails answers with its
/// rejection (a type of [`rejection`](crate::rejection) with the status and the exact body
/// text of docs/design.md §3) and the handler is not called, unless the argument is a
/// `Result<E, E::Rejection>` (the handler answers the refusal itself) or an `Option<E>`
/// (`None` when the input is absent; see [`OptionalFromEnviron`]).
///
/// Body extractors ([`Form<T>`](Form), [`Json<T>`](Json)) check the `Content-Type` before
/// reading anything, and read the body once into a cache in the environ, so any number of
/// them can follow each other: `Result<Form<T>, _>` then `Json<U>` reads the JSON. The read
/// is bounded by the request's body limit ([`BodyLimit`](crate::BodyLimit)), or by
/// [`DEFAULT_BODY_LIMIT`](crate::DEFAULT_BODY_LIMIT) where no layer set one.
///
/// The extractors: [`Query`], [`Form`], [`Json`], [`Path`], [`Params`], [`State`],
/// [`MultiDict`](crate::MultiDict) (the query's pairs), [`UrlFor`](crate::UrlFor),
/// `http::Method`, [`Cookies`](crate::Cookies), [`SignedCookies`](crate::SignedCookies),
/// [`PrivateCookies`](crate::PrivateCookies), [`Session`](crate::Session),
/// [`Flash`](crate::Flash), [`ErrorStatus`](crate::ErrorStatus); last only: `Environ` and
/// [`Multipart`].
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::rejection::{FormRejection, JsonRejection};
/// use microframe::{Form, Json, Microframe, Query, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Page { n: u32 }
/// #[derive(serde::Deserialize)]
/// struct Note { text: String }
///
/// // Left to right: a bad query answers 400 before the body is looked at.
/// async fn note(
///     Query(page): Query<Page>,
///     form: Result<Form<Note>, FormRejection>,
///     json: Result<Json<Note>, JsonRejection>,
/// ) -> String {
///     match (form, json) {
///         (Ok(Form(note)), _) => format!("form on page {}: {}", page.n, note.text),
///         (Err(_), Ok(Json(note))) => format!("json on page {}: {}", page.n, note.text),
///         (Err(form), Err(json)) => format!("{form} / {json}"),
///     }
/// }
/// let client = TestClient::new(Microframe::new().post("/", note));
/// client.post("/?n=2").form(&[("text", "hi")]).send().await.assert_body("form on page 2: hi");
/// client.post("/?n=2").json(&serde_json::json!({ "text": "hey" })).send().await
///     .assert_body("json on page 2: hey"); // the form refused the type; `Json` reads the body
/// client.post("/?n=x").form(&[("text", "hi")]).send().await.assert_status(400);
/// # });
/// ```
///
/// An extractor of your own:
/// ```
/// use gateway_core::Environ;
/// use microframe::FromEnviron;
///
/// /// The `User-Agent` header, or `""`.
/// struct UserAgent(String);
///
/// impl FromEnviron for UserAgent {
///     type Rejection = std::convert::Infallible;
///     async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
///         Ok(UserAgent(environ.header("user-agent").unwrap_or_default().into_owned()))
///     }
/// }
/// # let mut environ = Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
/// # let agent = futures_executor::block_on(UserAgent::from_environ(&mut environ)).unwrap();
/// # assert_eq!(agent.0, "");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken as a handler argument",
    label = "not an extractor",
    note = "handler arguments are extractors: `Query<T>`, `Form<T>`, `Json<T>`, `Path<T>`, `State<T>`, `Params`, `MultiDict`, `UrlFor`, `Method`, `Result<E, E::Rejection>` or `Option<E>` of one of those",
    note = "`Environ` and `Multipart` take the request's input stream, so they can only be the last argument: extractors after them would see an empty body",
    note = "a value every request shares (an `Arc<T>`, a database pool, settings) is registered with `Microframe::state(value)` and taken as `State<T>`"
)]
pub trait FromEnviron: Sized + Send {
    /// The response when extraction fails.
    type Rejection: IntoResponse;

    /// Extracts the value.
    fn from_environ(environ: &mut Environ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send;
}

impl FromEnviron for Method {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(environ.method().clone())
    }
}

/// What a handler's **last** argument implements: every [`FromEnviron`], and the
/// extractors that take the request's input stream (`Environ`, `Multipart`). Taking
/// the stream anywhere else would leave the arguments after it an empty body, the silent
/// loss of a user's data; as a trait of its own it is a compile error instead.
///
/// ```compile_fail,E0277
/// use gateway_core::Environ;
/// use microframe::{Form, Microframe};
///
/// async fn save(_environ: Environ, Form(_fields): Form<Vec<(String, String)>>) -> &'static str { "saved" }
/// // `Environ` before `Form`: does not compile ("`Environ` ... can only be the last argument").
/// let _app = Microframe::new().post("/save", save);
/// ```
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use gateway_core::Environ;
/// use microframe::{Form, Microframe, TestClient};
///
/// // The form first (its body is read and cached), the environ last.
/// async fn save(Form(fields): Form<Vec<(String, String)>>, environ: Environ) -> String {
///     format!("{} fields to {}", fields.len(), environ.path_info())
/// }
/// let client = TestClient::new(Microframe::new().post("/save", save));
/// client.post("/save").form(&[("a", "1"), ("b", "2")]).send().await.assert_body("2 fields to /save");
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken as a handler argument",
    label = "not an extractor",
    note = "handler arguments are extractors: `Query<T>`, `Form<T>`, `Json<T>`, `Path<T>`, `State<T>`, `Params`, `MultiDict`, `UrlFor`, `Method`, or `Environ` / `Multipart` (as the last argument)",
    note = "a value every request shares (an `Arc<T>`, a database pool, settings) is registered with `Microframe::state(value)` and taken as `State<T>`"
)]
pub trait FromEnvironLast: Sized + Send {
    /// The response when extraction fails.
    type Rejection: IntoResponse;

    /// Extracts the value; nothing runs after it.
    fn from_environ_last(environ: &mut Environ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send;
}

impl<T: FromEnviron> FromEnvironLast for T {
    type Rejection = T::Rejection;

    fn from_environ_last(environ: &mut Environ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        T::from_environ(environ)
    }
}

impl FromEnvironLast for Environ {
    type Rejection = std::convert::Infallible;

    /// The whole environ, moved out (with whatever the extractors before it cached). The
    /// request's cookie jar stays behind too, so the cookies and the session the other
    /// extractors changed are still written on the response.
    async fn from_environ_last(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let mut blank = Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
        if let Some(cookies) = environ.extensions().get::<crate::cookies::CookieState>() {
            blank.extensions_mut().insert(cookies.clone());
        }
        Ok(std::mem::replace(environ, blank))
    }
}
