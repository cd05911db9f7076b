//! Tutorial step 3: parsing POST.
//!
//! A form submitted with `method="post"` sends its fields in the request **body**, with
//! `Content-Type: application/x-www-form-urlencoded`: the same `age=10&hobbies=software`
//! text that step 2 found in the query string. The tutorial reads `CONTENT_LENGTH` bytes
//! from `wsgi.input`, wrapped in a `try` because the length may be missing. Here the app is
//! still a plain gateway-core async fn, and [`MultiDict::form`] reads the environ's input
//! stream (`gateway.input`) for it. That stream is already framed by the server: exactly
//! `Content-Length` bytes, or the decoded chunked body, then the end, so no length needs to
//! be trusted or guessed. The fields are then those of step 2 (the first `age`, every
//! `hobbies`), and the page is step 2's [`ProfileForm`], with `method="post"`.
//!
//! What the body may be (docs/design.md §3, the form and body-limit rows):
//!
//! | request | answer |
//! |---|---|
//! | an urlencoded body, sent with `Content-Length` or chunked | the filled page |
//! | no body, or an empty one, whatever its `Content-Type` | the empty form (`Age: Empty`, `Hobbies: No Hobbies`) |
//! | a body over 2 MiB ([`DEFAULT_BODY_LIMIT`](microframe::DEFAULT_BODY_LIMIT)), declared or streamed | 413 `Payload Too Large` (a declared length is refused before a byte is read) |
//! | more than 1,000 fields ([`MAX_FORM_FIELDS`](microframe::MAX_FORM_FIELDS)) | 413 `Payload Too Large` (a body of many tiny fields, `a&a&a…`, would cost far more memory than its size) |
//! | a non-empty body of another `Content-Type`, or none | 415 `Expected Content-Type: application/x-www-form-urlencoded` |
//! | `Content-Length: abc` | 400 `Bad Request`, from the server before the app runs |
//!
//! The `Content-Type` is compared case-insensitively and its parameters are ignored:
//! `Application/X-WWW-Form-Urlencoded; charset=UTF-8` is a form.
//!
//! Methods: `GET` (and `HEAD`, whose body the server drops) shows the empty form; the query
//! string is not read, since this form's fields travel in the body. `POST` reads the form.
//! `OPTIONS` answers 204 with `Allow: GET, HEAD, OPTIONS, POST`, and any other method
//! (`PUT`, `DELETE`, ...) 405 `Method Not Allowed` with the same `Allow`, as a microframe
//! route for `GET` and `POST` would. Like the tutorial, every **path** answers the same way.
//!
//! Run with `cargo run -p example-post-form`, then open <http://127.0.0.1:8051/> in a
//! browser, or try
//! `curl -d age=10 -d hobbies=software -d hobbies=tunning http://127.0.0.1:8051/`.

use example_get_form::ProfileForm;
use gateway_core::{Environ, Response, StartResponse};
use http::header::ALLOW;
use http::{HeaderValue, StatusCode};
use microframe::rejection::MethodNotAllowed;
use microframe::{IntoResponse, MultiDict, Render};

/// The methods this app answers, as the `Allow` header lists them.
///
/// # Examples
/// ```
/// assert_eq!(example_post_form::ALLOWED_METHODS, "GET, HEAD, OPTIONS, POST");
/// ```
pub const ALLOWED_METHODS: &str = "GET, HEAD, OPTIONS, POST";

/// Answers `GET` with the empty form, `POST` with the form filled from the urlencoded
/// body (or the form rejection: 413, 415, ...), `OPTIONS` with 204, any other method with
/// 405; on every path.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let request = http::Request::post("/")
///     .header("content-type", "application/x-www-form-urlencoded")
///     .body(())
///     .unwrap();
/// let body = Input::from_bytes("age=10&hobbies=software&hobbies=tunning");
/// let environ = Environ::new(request.into_parts().0, body);
/// let (head, body) = example_post_form::app.call(environ, StartResponse::new()).await.into_parts();
/// assert_eq!(head.status(), 200);
/// let page = String::from_utf8(body.collect().await.unwrap().to_vec()).unwrap();
/// assert!(page.contains(r#"<form method="post" action="">"#));
/// assert!(page.contains("Age: 10<br>\nHobbies: software, tunning\n"));
///
/// let request = http::Request::post("/").header("content-type", "text/plain").body(()).unwrap();
/// let environ = Environ::new(request.into_parts().0, Input::from_bytes("age=10"));
/// let (head, body) = example_post_form::app.call(environ, StartResponse::new()).await.into_parts();
/// assert_eq!(head.status(), 415);
/// assert_eq!(body.collect().await.unwrap(), "Expected Content-Type: application/x-www-form-urlencoded");
/// # });
/// ```
// ANCHOR: app
pub async fn app(mut environ: Environ, start_response: StartResponse) -> Response {
    match environ.method().as_str() {
        "GET" | "HEAD" => page(&MultiDict::default(), start_response),
        "POST" => match MultiDict::form(&mut environ).await {
            Ok(form) => page(form, start_response),
            Err(rejection) => rejection.into_response(start_response),
        },
        "OPTIONS" => {
            start_response.start(StatusCode::NO_CONTENT, [(ALLOW, HeaderValue::from_static(ALLOWED_METHODS))]).body("")
        }
        _ => MethodNotAllowed::new(ALLOWED_METHODS).into_response(start_response),
    }
}

/// Step 2's page, for a form sent with `method="post"` whose fields are `form`.
fn page(form: &MultiDict, start_response: StartResponse) -> Response {
    Render(ProfileForm::new("post", form)).into_response(start_response)
}
// ANCHOR_END: app
