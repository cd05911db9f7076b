//! Route parameters: [`Params`] by name, [`Path<T>`] by position.

use std::any::Any;
use std::sync::Arc;

use gateway_core::Environ;
use http::StatusCode;

use super::FromEnviron;

/// The parameters the matched route captured, in pattern order, each as decoded text and
/// as its converter's value.
///
/// # Examples
/// ```
/// use microframe::{Microframe, Params, TestClient};
///
/// async fn item(params: Params) -> String {
///     let id: i64 = params.get("id").unwrap_or_default();
///     format!("Item {id} ({})", params.text("id").unwrap_or_default())
/// }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let app = Microframe::new().get("/item/<id:int>", item);
/// TestClient::new(app).get("/item/007").send().await.assert_body("Item 7 (007)");
/// # });
/// ```
#[derive(Debug, Clone, Default)]
pub struct Params {
    entries: Vec<Param>,
}

#[derive(Clone)]
struct Param {
    name: Arc<str>,
    text: String,
    value: Arc<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={:?}", self.name, self.text)
    }
}

impl Params {
    pub(crate) fn push(&mut self, name: Arc<str>, text: String, value: Arc<dyn Any + Send + Sync>) {
        self.entries.push(Param { name, text, value });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A parameter's value, when it exists and has type `T` (its converter's value type;
    /// `String` also reads any parameter's text).
    ///
    /// # Examples
    /// See [`Params`].
    pub fn get<T: FromParam>(&self, name: &str) -> Option<T> {
        let param = self.entries.iter().find(|p| &*p.name == name)?;
        T::from_param(&param.text, &*param.value)
    }

    /// A parameter's decoded text.
    ///
    /// # Examples
    /// See [`Params`].
    pub fn text(&self, name: &str) -> Option<&str> {
        self.entries.iter().find(|p| &*p.name == name).map(|p| p.text.as_str())
    }

    /// Every parameter's name and decoded text, in pattern order.
    ///
    /// # Examples
    /// ```
    /// let params = microframe::Params::default();
    /// assert_eq!(params.iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|p| (&*p.name, p.text.as_str()))
    }

    fn nth<T: FromParam>(&self, index: usize) -> Option<T> {
        let param = self.entries.get(index)?;
        T::from_param(&param.text, &*param.value)
    }
}

impl FromEnviron for Params {
    type Rejection = std::convert::Infallible;

    /// The matched route's parameters (empty outside a route).
    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        Ok(environ.extensions().get::<Params>().cloned().unwrap_or_default())
    }
}

/// A type a route parameter can be read as.
///
/// # Examples
/// ```
/// use microframe::FromParam;
/// assert_eq!(i64::from_param("7", &7_i64), Some(7));
/// assert_eq!(String::from_param("007", &7_i64), Some("007".to_owned()));
/// ```
pub trait FromParam: Sized {
    /// Reads the parameter from its decoded text and its converter's value.
    fn from_param(text: &str, value: &(dyn Any + Send + Sync)) -> Option<Self>;
}

impl FromParam for String {
    fn from_param(text: &str, value: &(dyn Any + Send + Sync)) -> Option<Self> {
        Some(value.downcast_ref::<String>().cloned().unwrap_or_else(|| text.to_owned()))
    }
}

impl FromParam for i64 {
    fn from_param(_text: &str, value: &(dyn Any + Send + Sync)) -> Option<Self> {
        value.downcast_ref().copied()
    }
}

impl FromParam for f64 {
    fn from_param(_text: &str, value: &(dyn Any + Send + Sync)) -> Option<Self> {
        value.downcast_ref().copied()
    }
}

/// Route parameters by position: `Path<T>` for one, `Path<(A, B)>` for two, ...
///
/// A type that does not fit the route's converter (`Path<i64>` on `<name>`) is a bug in
/// the app, not in the request: 500, logged.
///
/// # Examples
/// ```
/// use microframe::{Microframe, Path, TestClient};
///
/// async fn post(Path((year, slug)): Path<(i64, String)>) -> String {
///     format!("{year}: {slug}")
/// }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let app = Microframe::new().get("/<year:int>/<slug>", post);
/// TestClient::new(app).get("/2026/hello%20world").send().await.assert_body("2026: hello world");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path<T>(pub T);

/// Parameters read by position, for [`Path`]: `String`, `i64` and `f64` for one parameter,
/// tuples of up to four [`FromParam`] types for several.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use microframe::{Microframe, Path, TestClient};
///
/// async fn point(Path((x, y, label)): Path<(f64, f64, String)>) -> String {
///     format!("{label} at {}", x + y)
/// }
/// let client = TestClient::new(Microframe::new().get("/<x:float>/<y:float>/<label>", point));
/// client.get("/1.5/2/home").send().await.assert_body("home at 3.5");
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a route's parameters",
    label = "not a route parameter type",
    note = "`<name>` gives a `String`, `<name:int>` an `i64`, `<name:float>` an `f64`; take `Path<i64>` and convert (`u32::try_from(id)`), or register a converter that gives the type",
    note = "several parameters are read as a tuple, in order: `Path<(i64, String)>`"
)]
pub trait FromParams: Sized {
    /// Reads the parameters.
    fn from_params(params: &Params) -> Option<Self>;
}

macro_rules! from_params_single {
    ($($t:ty),*) => {$(
        impl FromParams for $t {
            fn from_params(params: &Params) -> Option<Self> {
                params.nth(0)
            }
        }
    )*};
}
from_params_single!(String, i64, f64);

macro_rules! from_params_tuple {
    ($($t:ident $i:tt),*) => {
        impl<$($t: FromParam),*> FromParams for ($($t,)*) {
            fn from_params(params: &Params) -> Option<Self> {
                Some(($(params.nth::<$t>($i)?,)*))
            }
        }
    };
}
from_params_tuple!(A 0);
from_params_tuple!(A 0, B 1);
from_params_tuple!(A 0, B 1, C 2);
from_params_tuple!(A 0, B 1, C 2, D 3);

impl<T: FromParams + Send> FromEnviron for Path<T> {
    type Rejection = StatusCode;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        let params = environ.extensions().get::<Params>();
        match params.and_then(T::from_params) {
            Some(value) => Ok(Path(value)),
            None => {
                tracing::error!(
                    wanted = std::any::type_name::<T>(),
                    got = ?params,
                    "Path<T> does not fit the route's parameters; answering 500"
                );
                Err(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}
