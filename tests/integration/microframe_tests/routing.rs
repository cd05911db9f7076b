//! Bottle patterns and converters, 404, 405 with `Allow`, automatic OPTIONS and HEAD, and
//! the first-match rule.

use http::Method;
use microframe::{Converter, FromParam, Microframe, Params, Path, TestClient};

async fn segment(Path(name): Path<String>) -> String {
    format!("name {name}")
}

async fn int(Path(id): Path<i64>) -> String {
    format!("int {id}")
}

async fn float(Path(x): Path<f64>) -> String {
    format!("float {x:?}")
}

async fn rest(Path(p): Path<String>) -> String {
    format!("path {p}")
}

async fn ok() -> &'static str {
    "ok"
}

fn converters() -> TestClient {
    TestClient::new(
        Microframe::new()
            .get("/name/<name>", segment)
            .get("/int/<id:int>", int)
            .get("/float/<x:float>", float)
            .get("/files/<p:path>", rest),
    )
}

#[tokio::test]
async fn name_matches_one_decoded_segment() {
    let client = converters();
    client.get("/name/bob").send().await.assert_status(200).assert_body("name bob");
    client.get("/name/a%20b").send().await.assert_status(200).assert_body("name a b");
    client.get("/name/a/b").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn int_is_signed_digits_into_i64_and_overflow_is_no_match() {
    let client = converters();
    client.get("/int/007").send().await.assert_status(200).assert_body("int 7");
    client.get("/int/-3").send().await.assert_status(200).assert_body("int -3");
    client.get("/int/9223372036854775807").send().await.assert_body("int 9223372036854775807");
    // Converters see the decoded segment.
    client.get("/int/%37").send().await.assert_status(200).assert_body("int 7");
    for refused in ["9223372036854775808", "x", "+1", "1.0", "-", "1e3"] {
        let target = format!("/int/{refused}");
        client.get(&target).send().await.assert_status(404).assert_body("Not Found");
    }
}

#[tokio::test]
async fn float_takes_integers_and_decimals_but_no_exponent_inf_nan_or_bare_point() {
    let client = converters();
    client.get("/float/2").send().await.assert_status(200).assert_body("float 2.0");
    client.get("/float/2.5").send().await.assert_status(200).assert_body("float 2.5");
    client.get("/float/-0.25").send().await.assert_status(200).assert_body("float -0.25");
    for refused in ["1e3", "inf", "NaN", ".5", "2.", "1.2.3", "x"] {
        let target = format!("/float/{refused}");
        client.get(&target).send().await.assert_status(404).assert_body("Not Found");
    }
}

#[tokio::test]
async fn path_takes_the_rest_slashes_included() {
    let client = converters();
    client.get("/files/a/b/c.txt").send().await.assert_status(200).assert_body("path a/b/c.txt");
    client.get("/files/one").send().await.assert_status(200).assert_body("path one");
    client.get("/files/").send().await.assert_status(404).assert_body("Not Found");
}

/// A colour as lower-case hex digits (`ff` is 255); upper case is not a match.
#[derive(Debug, Clone, Copy)]
struct Hex(u32);

impl FromParam for Hex {
    fn from_param(_text: &str, value: &(dyn std::any::Any + Send + Sync)) -> Option<Self> {
        value.downcast_ref::<Hex>().copied()
    }
}

struct HexConverter;

impl Converter for HexConverter {
    type Value = Hex;
    fn parse(&self, text: &str) -> Option<Hex> {
        let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        if text.is_empty() || text.len() > 8 || !text.bytes().all(lower_hex) {
            return None;
        }
        u32::from_str_radix(text, 16).ok().map(Hex)
    }
    fn format(&self, value: &Hex) -> String {
        format!("{:x}", value.0)
    }
}

async fn colour(Path((hex,)): Path<(Hex,)>) -> String {
    format!("colour {}", hex.0)
}

#[tokio::test]
async fn custom_converter_matches_parses_and_formats() {
    let app = Microframe::new().converter("hex", HexConverter).get("/colour/<c:hex>", colour).name("colour");
    assert_eq!(app.url_for("colour", &[("c", "00ff")]).as_deref(), Ok("/colour/ff"), "format normalises");
    assert!(app.url_for("colour", &[("c", "FF")]).is_err(), "the converter refuses upper case");
    let client = TestClient::new(app);
    client.get("/colour/ff").send().await.assert_status(200).assert_body("colour 255");
    client.get("/colour/%66%66").send().await.assert_status(200).assert_body("colour 255");
    client.get("/colour/FF").send().await.assert_status(404).assert_body("Not Found");
    client.get("/colour/zz").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn wrong_method_is_405_with_allow_sorted_and_head_and_options_added() {
    let client = TestClient::new(Microframe::new().get("/page", ok).get("/both", ok).post("/both", ok));
    client
        .post("/page")
        .send()
        .await
        .assert_status(405)
        .assert_header("allow", "GET, HEAD, OPTIONS")
        .assert_header("content-type", "text/plain; charset=utf-8")
        .assert_body("Method Not Allowed");
    client.delete("/both").send().await.assert_status(405).assert_header("allow", "GET, HEAD, OPTIONS, POST");
}

#[tokio::test]
async fn allow_is_the_union_of_every_route_whose_pattern_matched() {
    let client = TestClient::new(
        Microframe::new().put("/item/<id:int>", ok).delete("/item/<name>", ok).get("/item/<n:int>", ok).route(
            &[Method::PATCH],
            "/other/<id:int>",
            ok,
        ),
    );
    let response = client.request(Method::POST, "/item/7").send().await;
    response
        .assert_status(405)
        .assert_header("allow", "DELETE, GET, HEAD, OPTIONS, PUT")
        .assert_body("Method Not Allowed");
    // `x` fits only `<name>`: only its methods.
    client.post("/item/x").send().await.assert_status(405).assert_header("allow", "DELETE, OPTIONS");
    client.get("/item/7").send().await.assert_status(200).assert_body("ok");
}

#[tokio::test]
async fn head_is_not_allowed_where_get_is_not() {
    let client = TestClient::new(Microframe::new().post("/save", ok));
    client.head("/save").send().await.assert_status(405).assert_header("allow", "OPTIONS, POST").assert_body("");
    client.get("/save").send().await.assert_status(405).assert_body("Method Not Allowed");
}

#[tokio::test]
async fn options_is_answered_204_with_allow_and_no_body() {
    let client = TestClient::new(Microframe::new().get("/page", ok).post("/page", ok));
    client
        .options("/page")
        .send()
        .await
        .assert_status(204)
        .assert_header("allow", "GET, HEAD, OPTIONS, POST")
        .assert_body("");
    client.options("/nope").send().await.assert_status(404).assert_body("Not Found");
}

#[tokio::test]
async fn head_of_a_get_route_has_the_get_headers_and_no_body() {
    let client = TestClient::new(Microframe::new().get("/page", || async { "héllo" }));
    let get = client.get("/page").send().await.assert_status(200).assert_header("content-length", "6");
    let head = client.head("/page").send().await.assert_status(200).assert_body("");
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert_eq!(head.header("content-type"), Some("text/plain; charset=utf-8"));
}

#[tokio::test]
async fn the_first_route_whose_pattern_and_method_match_wins() {
    let int_first = TestClient::new(Microframe::new().get("/item/<id:int>", int).get("/item/<name>", segment));
    int_first.get("/item/7").send().await.assert_body("int 7");
    int_first.get("/item/x").send().await.assert_status(200).assert_body("name x");

    let name_first = TestClient::new(Microframe::new().get("/item/<name>", segment).get("/item/<id:int>", int));
    name_first.get("/item/7").send().await.assert_body("name 7");

    // A pattern that matches with another method does not stop the search.
    let by_method = TestClient::new(Microframe::new().post("/item/<id:int>", int).get("/item/<name>", segment));
    by_method.get("/item/7").send().await.assert_status(200).assert_body("name 7");
}

async fn params(params: Params) -> String {
    let id: Option<i64> = params.get("id");
    let id_as_float: Option<f64> = params.get("id");
    let pairs: Vec<(&str, &str)> = params.iter().collect();
    format!(
        "id={id:?} as_float={id_as_float:?} text={:?} slug={:?} {pairs:?}",
        params.text("id"),
        params.get::<String>("slug")
    )
}

#[tokio::test]
async fn params_give_each_value_by_name_as_its_converter_typed_it() {
    let client = TestClient::new(Microframe::new().get("/p/<id:int>/<slug>", params));
    client
        .get("/p/007/a%20b")
        .send()
        .await
        .assert_status(200)
        .assert_body(r#"id=Some(7) as_float=None text=Some("007") slug=Some("a b") [("id", "007"), ("slug", "a b")]"#);
}
