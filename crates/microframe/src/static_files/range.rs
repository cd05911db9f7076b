//! What tower-http's `ServeDir` lacks around ranges: the invalid-`Range` rule and `If-Range`
//! (both in [`StaticFiles`](crate::StaticFiles)'s docs), applied in front of `ServeDir`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use gateway_core::Input;
use gateway_tower::InputBody;
use http::header::{
    ETAG, IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, IF_UNMODIFIED_SINCE, LAST_MODIFIED, RANGE,
};
use http::{HeaderMap, Method, Request, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::services::fs::ServeFileSystemResponseBody;

/// Whether a `Range` value is a syntactically valid `bytes` range set (satisfiable or not).
pub(super) fn valid_syntax(value: &str) -> bool {
    let Some((unit, set)) = value.split_once('=') else { return false };
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    unit.trim().eq_ignore_ascii_case("bytes")
        && set.split(',').all(|spec| match spec.trim().split_once('-') {
            Some(("", suffix)) => digits(suffix),
            Some((first, "")) => digits(first),
            Some((first, last)) => digits(first) && digits(last) && !first_after_last(first, last),
            None => false,
        })
}

/// The size of the file a request names, found by the confinement check.
#[derive(Debug, Clone, Copy)]
pub(super) struct FileSize(pub(super) u64);

/// The file must go out uncompressed: a precompressed sibling is not confined.
#[derive(Debug, Clone, Copy)]
pub(super) struct Uncompressed;

/// A range no file satisfies, for `ServeDir` to answer 416.
const PAST_ANY_END: &str = "bytes=18446744073709551615-";

/// `bytes=-0` (any number of zeros): the one suffix range that no file satisfies.
fn is_empty_suffix(value: &str) -> bool {
    value.split_once('=').is_some_and(|(_, set)| {
        set.trim().strip_prefix('-').is_some_and(|zeros| !zeros.is_empty() && zeros.bytes().all(|b| b == b'0'))
    })
}

/// `first > last`, compared as decimal numbers of any length.
fn first_after_last(first: &str, last: &str) -> bool {
    let (first, last) = (first.trim_start_matches('0'), last.trim_start_matches('0'));
    (first.len(), first) > (last.len(), last)
}

/// `ServeDir` with invalid ranges dropped and `If-Range` honoured.
#[derive(Debug, Clone)]
pub(super) struct RangeAware(pub(super) ServeDir);

impl tower::Service<Request<InputBody>> for RangeAware {
    type Response = Response<ServeFileSystemResponseBody>;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<InputBody>) -> Self::Future {
        let serve = self.0.clone();
        Box::pin(async move {
            if request.extensions().get::<Uncompressed>().is_some() {
                request.headers_mut().remove(http::header::ACCEPT_ENCODING);
            }
            let headers = request.headers();
            let range_valid = headers.get(RANGE).and_then(|v| v.to_str().ok()).is_some_and(valid_syntax);
            if headers.contains_key(RANGE) && !range_valid {
                request.headers_mut().remove(RANGE);
            }
            // `bytes=-0` (an empty suffix) and any range of an empty file can never be
            // satisfied (§14.1.1), but `ServeDir` answers them 206 with no bytes: ask for a
            // start past any end instead, which it answers 416 with `Content-Range: bytes */<len>`.
            let empty_file = request.extensions().get::<FileSize>().is_some_and(|size| size.0 == 0);
            let range = request.headers().get(RANGE).and_then(|v| v.to_str().ok());
            if range.is_some_and(|range| !range.contains(',') && (empty_file || is_empty_suffix(range))) {
                request.headers_mut().insert(RANGE, http::HeaderValue::from_static(PAST_ANY_END));
            }
            if range_valid && let Some(if_range) = request.headers().get(IF_RANGE).cloned() {
                let current = current_validators(&serve, &request).await;
                if !if_range_matches(&if_range, &current) {
                    request.headers_mut().remove(RANGE);
                }
            }
            serve.oneshot(request).await
        })
    }
}

/// The file's `ETag` and `Last-Modified`, from a HEAD without conditions or range.
async fn current_validators(serve: &ServeDir, request: &Request<InputBody>) -> HeaderMap {
    let mut head = Request::new(InputBody::new(Input::empty()));
    *head.method_mut() = Method::HEAD;
    *head.uri_mut() = request.uri().clone();
    *head.headers_mut() = request.headers().clone();
    for name in [RANGE, IF_RANGE, IF_MATCH, IF_NONE_MATCH, IF_MODIFIED_SINCE, IF_UNMODIFIED_SINCE] {
        head.headers_mut().remove(name);
    }
    match serve.clone().oneshot(head).await {
        Ok(response) => response.headers().clone(),
        Err(never) => match never {},
    }
}

/// RFC 9110 §13.1.5: an entity tag matches strongly, a date matches `Last-Modified` exactly.
fn if_range_matches(if_range: &http::HeaderValue, current: &HeaderMap) -> bool {
    let value = if_range.as_bytes();
    if value.starts_with(b"\"") {
        return current.get(ETAG).is_some_and(|etag| etag.as_bytes() == value);
    }
    if value.starts_with(b"W/") {
        return false;
    }
    let wanted = if_range.to_str().ok().and_then(|date| httpdate::parse_http_date(date).ok());
    let modified =
        current.get(LAST_MODIFIED).and_then(|v| v.to_str().ok()).and_then(|d| httpdate::parse_http_date(d).ok());
    wanted.is_some() && wanted == modified
}

#[cfg(test)]
mod tests {
    use super::valid_syntax;

    #[test]
    fn only_a_lone_zero_suffix_is_empty() {
        assert!(super::is_empty_suffix("bytes=-0") && super::is_empty_suffix("bytes=-000"));
        assert!(
            !super::is_empty_suffix("bytes=-1")
                && !super::is_empty_suffix("bytes=0-")
                && !super::is_empty_suffix("bytes=-0,1-2")
        );
    }

    #[test]
    fn range_syntax() {
        for valid in [
            "bytes=0-",
            "bytes=0-0",
            "bytes=5-9",
            "bytes=-0",
            "bytes=-500",
            "bytes=0-1, 4-5",
            "BYTES=1-2",
            "bytes=1-99999999999999999999999",
        ] {
            assert!(valid_syntax(valid), "{valid}");
        }
        for invalid in [
            "bytes=5-2",
            "bytes=",
            "bytes=-",
            "bytes=a-b",
            "bytes=1",
            "items=0-1",
            "0-1",
            "bytes=0-1,",
            "bytes=99999999999999999999999-1",
        ] {
            assert!(!valid_syntax(invalid), "{invalid}");
        }
    }
}
