//! `SwapCase<A>`: a middleware that rewrites the body (`Hello World` → `hELLO wORLD`).

use bytes::Bytes;
use gateway_core::{App, Environ, Layer, Response, StartResponse, TEXT_PLAIN_UTF_8, status};
use http::StatusCode;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};

/// Swaps the case of the wrapped app's body, whatever its shape (buffered, several chunks,
/// streamed): it collects the body, swaps it with [`swap_case`] and builds the response
/// again with [`ResponseHead::body`](gateway_core::ResponseHead::body), status and headers
/// kept. Swapping can change the byte count (`ﬁ` → `FI`), so a `Content-Length` the inner
/// app declared is removed: the server counts the new body instead. A body that fails
/// while collected has not been sent yet, so the head is replaced (PEP 3333's `exc_info`
/// case) by 500 `Internal Server Error`.
///
/// It buffers the whole body: a stream that never ends is never answered.
///
/// # Examples
/// ```
/// # futures_executor::block_on(async {
/// use example_middleware::SwapCase;
/// use gateway_core::{App, Environ, Input, StartResponse};
///
/// let app = SwapCase::new(example_middleware::hello);
/// let environ = Environ::new(http::Request::new(()).into_parts().0, Input::empty());
/// let response = app.call(environ, StartResponse::new()).await;
/// assert_eq!(response.into_parts().1.collect().await.unwrap(), "hELLO wORLD");
/// # });
/// ```
// ANCHOR: struct
#[derive(Debug, Clone)]
pub struct SwapCase<A> {
    inner: A,
}
// ANCHOR_END: struct

impl<A> SwapCase<A> {
    /// Wraps `inner`.
    ///
    /// # Examples
    /// ```
    /// let _app = example_middleware::SwapCase::new(example_middleware::hello);
    /// ```
    pub fn new(inner: A) -> Self {
        Self { inner }
    }

    /// The wrapped app.
    ///
    /// # Examples
    /// ```
    /// let app = example_middleware::SwapCase::new(7);
    /// assert_eq!(*app.get_ref(), 7);
    /// ```
    pub fn get_ref(&self) -> &A {
        &self.inner
    }

    /// The wrapped app, to change.
    ///
    /// # Examples
    /// ```
    /// let mut app = example_middleware::SwapCase::new(7);
    /// *app.get_mut() += 1;
    /// assert_eq!(app.into_inner(), 8);
    /// ```
    pub fn get_mut(&mut self) -> &mut A {
        &mut self.inner
    }

    /// Unwraps the app.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(example_middleware::SwapCase::new(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> A {
        self.inner
    }
}

// ANCHOR: call
impl<A: App> App for SwapCase<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        let (mut head, body) = self.inner.call(environ, start_response).await.into_parts();
        match body.collect().await {
            Ok(bytes) => {
                head.headers_mut().remove(CONTENT_LENGTH);
                head.body(swap_case(&bytes))
            }
            Err(_) => head
                .replace(StatusCode::INTERNAL_SERVER_ERROR, [(CONTENT_TYPE, TEXT_PLAIN_UTF_8)])
                .body(status::INTERNAL_SERVER_ERROR),
        }
    }
}
// ANCHOR_END: call

/// Swaps upper and lower case: every Unicode letter when `bytes` are UTF-8 (a letter may
/// become several, `ß` → `SS`), only ASCII letters otherwise (other bytes stay as they are).
///
/// # Examples
/// ```
/// use example_middleware::swap_case;
///
/// assert_eq!(swap_case(b"Hello World"), "hELLO wORLD");
/// assert_eq!(swap_case("Grüße".as_bytes()), "gRÜSSE");
/// assert_eq!(swap_case(b"Caf\xe9 OK"), &b"cAF\xe9 ok"[..]);
/// ```
pub fn swap_case(bytes: &[u8]) -> Bytes {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.iter().map(|&b| if b.is_ascii_alphabetic() { b ^ 0x20 } else { b }).collect();
    };
    let mut swapped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_lowercase() {
            swapped.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            swapped.extend(c.to_lowercase());
        } else {
            swapped.push(c);
        }
    }
    Bytes::from(swapped)
}

/// Wraps apps in [`SwapCase`], for [`App::with`].
///
/// # Examples
/// ```
/// use example_middleware::{SwapCase, SwapCaseLayer};
/// use gateway_core::App;
///
/// let _app: SwapCase<_> = example_middleware::hello.with(SwapCaseLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SwapCaseLayer {
    _private: (),
}

impl SwapCaseLayer {
    /// The layer.
    ///
    /// # Examples
    /// ```
    /// let _layer = example_middleware::SwapCaseLayer::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

impl<A: App> Layer<A> for SwapCaseLayer {
    type App = SwapCase<A>;

    fn layer(&self, app: A) -> SwapCase<A> {
        SwapCase::new(app)
    }
}
