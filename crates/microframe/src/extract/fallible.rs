//! Extractors that may fail: `Result<E, E::Rejection>` and `Option<E>` (what each means is in
//! [`OptionalFromEnviron`]'s docs).

use std::convert::Infallible;
use std::future::Future;

use gateway_core::Environ;

use super::FromEnviron;
use crate::response::IntoResponse;

/// An extractor that knows when its input is absent, for `Option<E>`.
///
/// - `Result<E, E::Rejection>` works for every extractor: the handler gets the refusal and
///   answers it itself (a form re-rendered with its errors, a JSON error of the API's own
///   shape).
/// - `Option<E>` is for input that may be absent, and only that: `None` when there is no
///   query string (`Option<Query<T>>`), no body bytes whatever the `Content-Type`
///   (`Option<Form<T>>`, `Option<Json<T>>`), or no registered value (`Option<State<T>>`).
///   Input that is there but wrong is refused as usual, a body without a `Content-Type`
///   included: unlike axum's `Option<Json<T>>`, which says `None` there and drops the data.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Json, Microframe, Query, TestClient};
///
/// #[derive(serde::Deserialize)]
/// struct Page { n: u32 }
/// async fn list(page: Option<Query<Page>>) -> String {
///     match page {
///         Some(Query(page)) => format!("page {}", page.n),
///         None => "page 1".to_owned(),
///     }
/// }
/// async fn save(note: Option<Json<String>>) -> String {
///     note.map_or("nothing".to_owned(), |Json(text)| text)
/// }
/// let client = TestClient::new(Microframe::new().get("/", list).post("/save", save));
/// client.get("/").send().await.assert_body("page 1");
/// client.get("/?n=3").send().await.assert_body("page 3");
/// client.get("/?n=x").send().await.assert_status(400); // there, but wrong: refused as usual
/// client.post("/save").send().await.assert_body("nothing");
/// client.post("/save").body(r#""hi""#).send().await.assert_status(415); // no `Content-Type`
/// # });
/// ```
pub trait OptionalFromEnviron: Sized + Send {
    /// The response when the input is there but cannot be extracted.
    type Rejection: IntoResponse;

    /// `Ok(None)` when the input is absent, the value when it fits, the refusal otherwise.
    fn from_environ_optional(
        environ: &mut Environ,
    ) -> impl Future<Output = Result<Option<Self>, Self::Rejection>> + Send;
}

impl<E: OptionalFromEnviron> FromEnviron for Option<E> {
    type Rejection = E::Rejection;

    fn from_environ(environ: &mut Environ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        E::from_environ_optional(environ)
    }
}

impl<E> FromEnviron for Result<E, E::Rejection>
where
    E: FromEnviron,
    E::Rejection: Send,
{
    type Rejection = Infallible;

    /// The extractor's value or its refusal, for the handler to answer.
    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(E::from_environ(environ).await)
    }
}
