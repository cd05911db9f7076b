//! `MultiDict` semantics through the extractor, and the query parsed once per request.

use gateway_core::{App, Environ, Layer, Response, StartResponse};
use http::StatusCode;
use microframe::{Microframe, MultiDict, ParseQuery, TestClient};

async fn pairs(query: MultiDict) -> String {
    format!("{:?}", query.iter().collect::<Vec<_>>())
}

async fn lookups(query: MultiDict) -> String {
    format!(
        "get={:?} all={:?} len={} missing={:?}",
        query.get("a"),
        query.get_all("a").collect::<Vec<_>>(),
        query.len(),
        query.get("missing")
    )
}

#[tokio::test]
async fn get_is_the_first_value_and_get_all_every_value_in_order() {
    let client = TestClient::new(Microframe::new().get("/", lookups));
    client.get("/?a=1&b=x&a=2&a=3").send().await.assert_body(r#"get=Some("1") all=["1", "2", "3"] len=4 missing=None"#);
    client.get("/").send().await.assert_body("get=None all=[] len=0 missing=None");
}

#[tokio::test]
async fn blanks_plus_and_percent_escapes_decode_as_forms_do() {
    let client = TestClient::new(Microframe::new().get("/", pairs));
    client
        .get("/?blank=&bare&a+b=c+d&pct=%41%2B%26%3D&sp=%20")
        .send()
        .await
        .assert_body(r#"[("blank", ""), ("bare", ""), ("a b", "c d"), ("pct", "A+&="), ("sp", " ")]"#);
}

#[tokio::test]
async fn invalid_escapes_stay_literal_and_bad_utf8_becomes_replacement_characters() {
    let client = TestClient::new(Microframe::new().get("/", pairs));
    client
        .get("/?a=%zz&b=%&c=%4&d=100%25")
        .send()
        .await
        .assert_body(r#"[("a", "%zz"), ("b", "%"), ("c", "%4"), ("d", "100%")]"#);
    client
        .get("/?k=%ff&%fe=v&ok=%C3%A9")
        .send()
        .await
        .assert_body("[(\"k\", \"\u{fffd}\"), (\"\u{fffd}\", \"v\"), (\"ok\", \"é\")]");
}

#[tokio::test]
async fn lone_ampersands_are_skipped_and_a_missing_key_is_empty() {
    let client = TestClient::new(Microframe::new().get("/", pairs));
    client.get("/?&&a=1&&&=x&").send().await.assert_body(r#"[("a", "1"), ("", "x")]"#);
    client.get("/?=").send().await.assert_body(r#"[("", "")]"#);
}

/// Replaces the query string of the request it passes on (keeping its extensions, where
/// the parsed query is cached), so a test can tell a cached parse from a fresh one.
#[derive(Clone, Copy)]
struct RewriteQuery(&'static str);

struct Rewritten<A> {
    inner: A,
    query: &'static str,
}

impl<A: App> Layer<A> for RewriteQuery {
    type App = Rewritten<A>;
    fn layer(&self, inner: A) -> Rewritten<A> {
        Rewritten { inner, query: self.0 }
    }
}

impl<A: App> App for Rewritten<A> {
    async fn call(&self, environ: Environ, start_response: StartResponse) -> Response {
        let (mut parts, input) = environ.into_parts();
        let target = format!("{}?{}", parts.uri.path(), self.query);
        parts.uri = target.parse().expect("a valid rewritten target");
        self.inner.call(Environ::new(parts, input), start_response).await
    }
}

/// Plain app: the first `name` of the query, through the cache.
async fn name(mut environ: Environ, start_response: StartResponse) -> Response {
    let query_string = environ.query_string().to_owned();
    let name = MultiDict::query(&mut environ).get("name").unwrap_or("none").to_owned();
    start_response.start(StatusCode::OK, ()).body(format!("{name} (QUERY_STRING={query_string})"))
}

#[tokio::test]
async fn parse_query_parses_once_and_later_reads_see_the_cached_pairs() {
    // Control: without a parse before the rewrite, the app sees the new query.
    let fresh = TestClient::new(name.with(RewriteQuery("name=changed")));
    fresh.get("/?name=first").send().await.assert_body("changed (QUERY_STRING=name=changed)");

    // Parsed by the layer before the rewrite: the app sees the pairs of the first parse.
    let cached = TestClient::new(name.with(RewriteQuery("name=changed")).with(ParseQuery::layer()));
    cached.get("/?name=first").send().await.assert_status(200).assert_body("first (QUERY_STRING=name=changed)");
}

#[tokio::test]
async fn the_multidict_extractor_reads_the_cache_the_layer_filled() {
    let handler = Microframe::new().get("/", pairs);
    let client = TestClient::new(handler.with(RewriteQuery("b=2")).with(ParseQuery::layer()));
    client.get("/?a=1").send().await.assert_body(r#"[("a", "1")]"#);
}
