//! Query strings and form bodies (`MultiDict`), and the typed extractors on them and on
//! JSON bodies.

use std::collections::BTreeMap;

use gateway_core::{Environ, Input, Rejection};
use microframe::{Form, FromEnviron, Json, MultiDict, Query};
use serde::Deserialize;

use crate::runtime::{block_on, first_line};

/// `MultiDict::parse` of arbitrary bytes: encoding its pairs and parsing them again gives
/// the same pairs (nothing the parser produced is lost or changed on the way back).
///
/// # Panics
/// When the round trip differs.
///
/// # Examples
/// ```
/// fuzz_checks::multidict(b"a=1&a=2&=x&b&c=%zz&%ff=%2B+");
/// ```
pub fn check_multidict(data: &[u8]) {
    let parsed = MultiDict::parse(data);
    let pairs: Vec<(&str, &str)> = parsed.iter().collect();
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    let again = MultiDict::parse(encoded.as_bytes());
    assert_eq!(again.iter().collect::<Vec<_>>(), pairs, "{encoded}");
}

/// A type with one field of each kind the extractors meet.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read by the deserializer only
struct Typed {
    name: Option<String>,
    age: Option<u32>,
    ratio: Option<f64>,
    on: Option<bool>,
    #[serde(default)]
    tags: Vec<String>,
    nested: Option<BTreeMap<String, serde_json::Value>>,
}

/// `Query<T>`, `Form<T>` and `Json<T>` on arbitrary input: the first line is the
/// `Content-Type` (and the query string), the rest the body. Each gives a value or a
/// refusal of the status contract (400, 413, 415, 422), never a panic or a 5xx.
///
/// # Panics
/// When an extractor panics or refuses with another status.
///
/// # Examples
/// ```
/// fuzz_checks::extractors(b"application/json\n{\"age\": 7, \"nested\": {\"a\": [1, {}]}}");
/// fuzz_checks::extractors(b"application/x-www-form-urlencoded\nage=x&tags=a&tags=b");
/// ```
pub fn check_extractors(data: &[u8]) {
    let (content_type, body) = first_line(data);
    let Ok(content_type) = http::HeaderValue::from_bytes(content_type) else { return };
    let query = form_urlencoded::byte_serialize(content_type.as_bytes()).collect::<String>();
    let environ = || {
        let request = http::Request::post(format!("/?{query}")).header("content-type", content_type.clone()).body(());
        Environ::new(
            request.expect("an encoded query is a valid target").into_parts().0,
            Input::from_bytes(body.to_vec()),
        )
    };
    let allowed = |status: http::StatusCode| matches!(status.as_u16(), 400 | 413 | 415 | 422);
    block_on(async {
        if let Err(refusal) = Query::<Typed>::from_environ(&mut environ()).await {
            assert!(allowed(refusal.status()), "Query: {}", refusal.status());
        }
        if let Err(refusal) = Form::<Typed>::from_environ(&mut environ()).await {
            assert!(allowed(refusal.status()), "Form: {}", refusal.status());
        }
        if let Err(refusal) = Json::<Typed>::from_environ(&mut environ()).await {
            assert!(allowed(refusal.status()), "Json: {}", refusal.status());
        }
    });
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_round_trip_through_multidict(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            super::check_multidict(&data);
        }

        #[test]
        fn encoded_pairs_parse_back_exactly(pairs in proptest::collection::vec(("\\PC{0,8}", "\\PC{0,8}"), 0..8)) {
            let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
            let parsed = microframe::MultiDict::parse(encoded.as_bytes());
            let expected: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            prop_assert_eq!(parsed.iter().collect::<Vec<_>>(), expected);
        }

        #[test]
        fn any_json_or_form_is_a_value_or_a_contract_refusal(json in "\\PC{0,60}", form in "[a-z=&%0-9+]{0,60}") {
            super::check_extractors(format!("application/json\n{json}").as_bytes());
            super::check_extractors(format!("application/x-www-form-urlencoded\n{form}").as_bytes());
        }
    }
}
