//! JSON in both directions: a request body from any `Serialize`, a response body read or
//! compared as parsed values (so neither key order nor spacing makes a test fail).

use http::HeaderValue;
use http::header::CONTENT_TYPE;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{TestRequest, TestResponse};

impl TestRequest {
    /// Sets `value`, serialized with `serde_json`, as the body, and `Content-Type:
    /// application/json`.
    ///
    /// # Panics
    /// When `value` cannot be JSON (a map with non-string keys, say).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Json, Microframe, TestClient};
    ///
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct Entry { name: String, stars: u8 }
    /// async fn add(Json(entry): Json<Entry>) -> String { format!("{} gave {}", entry.name, entry.stars) }
    /// let client = TestClient::new(Microframe::new().post("/entries", add));
    /// client.post("/entries").json(&Entry { name: "ann".into(), stars: 5 }).send().await.assert_body("ann gave 5");
    /// # });
    /// ```
    #[track_caller]
    pub fn json(mut self, value: &impl Serialize) -> Self {
        let body = match serde_json::to_vec(value) {
            Ok(body) => body,
            Err(error) => panic!("the request body cannot be serialized as JSON: {error}"),
        };
        self.hop.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body(body)
    }
}

impl TestResponse {
    /// The body parsed as JSON into `T`.
    ///
    /// # Panics
    /// When it does not parse as a `T` (the message shows why, and the body).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Json, Microframe, TestClient};
    ///
    /// async fn list() -> Json<Vec<&'static str>> { Json(vec!["ann", "bob"]) }
    /// let client = TestClient::new(Microframe::new().get("/names", list));
    /// let names: Vec<String> = client.get("/names").send().await.json();
    /// assert_eq!(names, ["ann", "bob"]);
    /// # });
    /// ```
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        match serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(error) => {
                panic!("the body is not the expected JSON ({error}; status {}): {:?}", self.status, self.text())
            }
        }
    }

    /// Asserts that the body is JSON equal to `expected`, compared as parsed values.
    ///
    /// # Panics
    /// When the body is not JSON, or differs (the message shows both).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use microframe::{Json, Microframe, TestClient};
    /// use serde_json::json;
    ///
    /// async fn echo(Json(value): Json<serde_json::Value>) -> Json<serde_json::Value> { Json(value) }
    /// let client = TestClient::new(Microframe::new().post("/echo", echo));
    /// client.post("/echo").json(&json!({"b": [1, 2], "a": null})).send().await
    ///     .assert_status(200)
    ///     .assert_json(&json!({"a": null, "b": [1, 2]}));
    /// # });
    /// ```
    #[track_caller]
    pub fn assert_json(self, expected: &serde_json::Value) -> Self {
        let actual: serde_json::Value = self.json();
        assert!(
            actual == *expected,
            "unexpected JSON body (status {}):\n  actual: {actual}\nexpected: {expected}",
            self.status
        );
        self
    }
}

#[cfg(test)]
mod tests {
    use gateway_core::{Environ, Response, StartResponse};
    use http::StatusCode;
    use serde_json::json;

    use crate::TestClient;

    async fn echo_type(environ: Environ, start_response: StartResponse) -> Response {
        let content_type = environ.content_type().unwrap_or_default().into_owned();
        start_response.start(StatusCode::OK, ()).body(content_type)
    }

    #[tokio::test]
    async fn a_json_body_says_so() {
        TestClient::new(echo_type).post("/").json(&json!([1])).send().await.assert_body("application/json");
    }

    #[tokio::test]
    #[should_panic(
        expected = r#"the body is not the expected JSON (expected value at line 1 column 1; status 200 OK): "application/x-www-form-urlencoded""#
    )]
    async fn a_body_that_is_not_json_is_named() {
        TestClient::new(echo_type).post("/").form(&[]).send().await.assert_json(&json!({}));
    }

    #[tokio::test]
    #[should_panic(expected = "actual: [1]\nexpected: [2]")]
    async fn a_different_value_shows_both() {
        TestClient::new(|_environ: Environ, start_response: StartResponse| async move {
            start_response.start(StatusCode::OK, ()).body("[1]")
        })
        .get("/")
        .send()
        .await
        .assert_json(&json!([2]));
    }
}
