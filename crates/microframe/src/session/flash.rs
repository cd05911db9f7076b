//! Flash messages: told once, after a redirect.

use gateway_core::Environ;
use serde_json::Value;

use super::Session;
use crate::extract::FromEnviron;

const FLASHES: &str = "_flashes";
/// Unread messages kept at most; past it the oldest is dropped, so flashes alone never push
/// the session past its 4 KiB.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Flash, MAX_FLASHES, Microframe, TestClient};
///
/// async fn spam(flash: Flash) -> &'static str {
///     (0..20).for_each(|n| flash.push("info", n.to_string()));
///     "sent"
/// }
/// async fn read(flash: Flash) -> String {
///     let messages = flash.take();
///     format!("{} from {}", messages.len(), messages[0].message)
/// }
/// let client = TestClient::new(Microframe::new().secret_key([5; 32]).post("/", spam).get("/", read));
/// client.post("/").send().await;
/// assert_eq!(MAX_FLASHES, 16);
/// client.get("/").send().await.assert_body("16 from 4"); // the 4 oldest were dropped
/// # });
/// ```
pub const MAX_FLASHES: usize = 16;

/// A message with its category (`"success"`, `"error"`, ... as the app chooses).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Flash, FlashMessage, Microframe, TestClient};
///
/// async fn save(flash: Flash) -> &'static str { flash.push("error", "Too short."); "no" }
/// async fn show(flash: Flash) -> String {
///     let expected = FlashMessage { category: "error".to_owned(), message: "Too short.".to_owned() };
///     (flash.take() == [expected]).to_string()
/// }
/// let client = TestClient::new(Microframe::new().secret_key([5; 32]).post("/", save).get("/", show));
/// client.post("/").send().await;
/// client.get("/").send().await.assert_body("true");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlashMessage {
    /// The category.
    pub category: String,
    /// The text.
    pub message: String,
}

/// Messages for the next page the user sees, stored in the [`Session`] and shown once:
/// [`take`](Flash::take) returns them and forgets them. At most 16 wait unread (the oldest
/// is dropped first).
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Flash, Microframe, Redirect, TestClient};
///
/// async fn save(flash: Flash) -> Redirect {
///     flash.push("success", "Saved.");
///     Redirect::to("/")
/// }
/// async fn index(flash: Flash) -> String {
///     flash.take().iter().map(|m| format!("[{}] {}", m.category, m.message)).collect()
/// }
/// let app = Microframe::new().secret_key([9; 32]).post("/save", save).get("/", index);
/// let client = TestClient::new(app);
/// client.post("/save").send().await.assert_status(303);
/// client.get("/").send().await.assert_body("[success] Saved.");
/// client.get("/").send().await.assert_body(""); // shown once
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Flash(Session);

impl Flash {
    /// Adds a message for a later page.
    ///
    /// # Examples
    /// See [`Flash`].
    pub fn push(&self, category: &str, message: impl Into<String>) {
        let pair = Value::Array(vec![Value::String(category.to_owned()), Value::String(message.into())]);
        self.0.with_data(|values| {
            let entry = values.entry(FLASHES).or_insert_with(|| Value::Array(Vec::new()));
            if !entry.is_array() {
                *entry = Value::Array(Vec::new());
            }
            if let Value::Array(list) = entry {
                list.push(pair);
                let excess = list.len().saturating_sub(MAX_FLASHES);
                list.drain(..excess);
            }
            ((), true)
        });
    }

    /// The waiting messages, oldest first; they are not shown again.
    ///
    /// # Examples
    /// See [`Flash`].
    pub fn take(&self) -> Vec<FlashMessage> {
        self.0.with_data(|values| match values.remove(FLASHES) {
            Some(Value::Array(list)) => (list.iter().filter_map(message).collect(), true),
            Some(_) => (Vec::new(), true),
            None => (Vec::new(), false),
        })
    }
}

fn message(pair: &Value) -> Option<FlashMessage> {
    match pair.as_array()?.as_slice() {
        [Value::String(category), Value::String(message)] => {
            Some(FlashMessage { category: category.clone(), message: message.clone() })
        }
        _ => None,
    }
}

impl FromEnviron for Flash {
    type Rejection = std::convert::Infallible;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(Flash(Session::from_environ(environ).await?))
    }
}
