//! `Either`: one handler, two kinds of response.

use gateway_core::{Response, StartResponse};

use super::IntoResponse;

/// One of two response types, for a handler that answers either way: a redirect after a
/// good form, the page again after a bad one. Nest it for more (`Either<A, Either<B, C>>`).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Either, Html, Microframe, MultiDict, Redirect, TestClient};
///
/// async fn greet(query: MultiDict) -> Either<Redirect, Html<String>> {
///     match query.get("name") {
///         Some(name) if !name.is_empty() => Either::Right(Html(format!("<p>Hi {name}</p>"))),
///         _ => Either::Left(Redirect::to("/")),
///     }
/// }
/// let client = TestClient::new(Microframe::new().get("/greet", greet));
/// client.get("/greet").send().await.assert_status(303).assert_header("location", "/");
/// client.get("/greet?name=ann").send().await.assert_status(200).assert_body("<p>Hi ann</p>");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<L, R> {
    /// The first kind.
    Left(L),
    /// The second kind.
    Right(R),
}

impl<L: IntoResponse, R: IntoResponse> IntoResponse for Either<L, R> {
    fn into_response(self, start_response: StartResponse) -> Response {
        match self {
            Self::Left(left) => left.into_response(start_response),
            Self::Right(right) => right.into_response(start_response),
        }
    }
}
