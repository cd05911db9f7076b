//! App state: values registered by type with `Microframe::state`, read with `State<T>` (the
//! rules are in [`State`]'s docs).
//!
//! Each app keeps its values in one type map. When a request enters an app that has state,
//! the app puts a link to its map in the request's extensions, in front of the link of the
//! app it is mounted in (if any), and a lookup walks the links from the innermost app
//! outwards. An app without state adds nothing to the request and costs nothing.

use std::sync::Arc;

use gateway_core::Environ;
use http::Extensions;

use super::{FromEnviron, OptionalFromEnviron};
use crate::rejection::MissingState;

/// An app's state values, by type.
#[derive(Debug, Clone, Default)]
pub(crate) struct StateMap(Option<Arc<Extensions>>);

impl StateMap {
    /// Registers `value`, replacing an earlier value of the same type.
    pub(crate) fn insert<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        let map = self.0.get_or_insert_with(Default::default);
        Arc::make_mut(map).insert(value);
    }

    /// The value of type `T` registered in this map.
    pub(crate) fn get<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.0.as_ref()?.get::<T>().cloned()
    }

    /// Puts this map in front of the request's chain (no-op without state).
    pub(crate) fn enter(&self, environ: &mut Environ) {
        let Some(values) = &self.0 else { return };
        let extensions = environ.extensions_mut();
        let outer = extensions.remove::<StateChain>().map(|chain| chain.0);
        extensions.insert(StateChain(Arc::new(Link { values: Arc::clone(values), outer })));
    }
}

/// The state of the apps a request went through, innermost first.
#[derive(Debug, Clone)]
pub(crate) struct StateChain(Arc<Link>);

#[derive(Debug)]
struct Link {
    values: Arc<Extensions>,
    outer: Option<Arc<Link>>,
}

impl StateChain {
    fn get<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        let mut link = Some(&self.0);
        while let Some(current) = link {
            if let Some(value) = current.values.get::<T>() {
                return Some(value.clone());
            }
            link = current.outer.as_ref();
        }
        None
    }
}

/// A value registered with [`Microframe::state`](crate::Microframe::state), by its type: the
/// handler gets a clone (wrap big or shared values in `Arc`, mutable ones in
/// `Arc<Mutex<_>>` or an atomic). Everything inside the app sees it: handlers, error
/// handlers, and the layers and apps inside it; a mounted app's own value of a type comes
/// before its parent's.
///
/// A type nobody registered is a bug in the app: 500, with the type named in the log
/// ([`MissingState`]). `Option<State<T>>` is `None` instead.
///
/// # Examples
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use microframe::{Microframe, State, TestClient};
///
/// #[derive(Clone)]
/// struct Config { greeting: &'static str }
///
/// async fn hello(State(config): State<Config>, State(hits): State<Arc<AtomicU64>>) -> String {
///     let n = hits.fetch_add(1, Ordering::Relaxed) + 1;
///     format!("{} #{n}", config.greeting)
/// }
/// let app = Microframe::new()
///     .state(Config { greeting: "Hello" })
///     .state(Arc::new(AtomicU64::new(0)))
///     .get("/", hello);
/// let client = TestClient::new(app);
/// client.get("/").send().await.assert_body("Hello #1");
/// client.get("/").send().await.assert_body("Hello #2");
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromEnviron for State<T> {
    type Rejection = MissingState;

    async fn from_environ(environ: &mut Environ) -> Result<Self, Self::Rejection> {
        lookup(environ).map(State).ok_or_else(MissingState::of::<T>)
    }
}

impl<T: Clone + Send + Sync + 'static> OptionalFromEnviron for State<T> {
    type Rejection = std::convert::Infallible;

    /// `None` when no app on the way registered a `T`.
    async fn from_environ_optional(environ: &mut Environ) -> Result<Option<Self>, Self::Rejection> {
        Ok(lookup(environ).map(State))
    }
}

/// The innermost value of type `T` registered by the apps the request went through.
pub(crate) fn lookup<T: Clone + Send + Sync + 'static>(environ: &Environ) -> Option<T> {
    environ.extensions().get::<StateChain>()?.get::<T>()
}
