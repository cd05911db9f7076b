//! One check per parser that sees untrusted bytes. Each `check` takes arbitrary bytes,
//! feeds them to the parser the way a request would, and **panics** when an invariant
//! breaks (a panic in the parser, a 5xx, a round trip that does not hold); anything else
//! returns. Three callers share them, so a rule is written once:
//!
//! - the fuzz targets in `fuzz/` (libFuzzer, `just fuzz`), one per check;
//! - the regression tests: every input a fuzzer found is kept under
//!   `fuzz/regressions/<check>/` and replayed by `tests/integration/fuzz_regressions.rs`;
//! - the `proptest` properties next to each check (`cargo test -p fuzz-checks`).
//!
//! | check | parser | invariants |
//! |---|---|---|
//! | [`environ`] | request head → environ (CGI keys, `SERVER_NAME`/`PORT`) | every key reads; `get` agrees with `iter` |
//! | [`path`] | percent decoding of `PATH_INFO`/`SCRIPT_NAME`, `shift_path` | raw prefix + raw rest = the target's path; decoding commutes with the split |
//! | [`multidict`] | `MultiDict::parse` (query strings, form bodies) | re-encoding and parsing again gives the same pairs |
//! | [`extractors`] | `Query<T>`, `Form<T>`, `Json<T>` | a value or a 400/413/415/422 refusal |
//! | [`routes`] | route matching, converters, `url_for`, mounts | 200/204/308/404/405 only; `url_for` of a match routes back to it |
//! | [`cookies`] | the `Cookie` header, signed/private jars, the session cookie | always 200; a cookie that cannot be sent is an error at the call |
//! | [`multipart`] | `Multipart` (on `multer`) | 200 or a 400/413/415 refusal, never a 5xx |
//! | [`proxy`] | `X-Forwarded-*` and `Forwarded` (`ProxyHeaders`) | nothing believed from an untrusted peer; what is believed has a valid form |
#![forbid(unsafe_code)]

mod cookies;
mod environ;
mod forms;
mod multipart;
mod proxy;
mod routes;
mod runtime;

pub use cookies::check as cookies;
pub use environ::{check_environ as environ, check_path as path};
pub use forms::{check_extractors as extractors, check_multidict as multidict};
pub use multipart::check as multipart;
pub use proxy::check as proxy;
pub use routes::check as routes;

/// A check: arbitrary bytes in, a panic when an invariant breaks.
///
/// # Examples
/// ```
/// let check: fuzz_checks::Check = fuzz_checks::path;
/// check(b"\x00/a/b");
/// ```
pub type Check = fn(&[u8]);

/// Every check by name, as the fuzz targets and the regression tests call them.
///
/// # Examples
/// ```
/// let (_, multidict) = fuzz_checks::CHECKS.iter().find(|(name, _)| *name == "multidict").unwrap();
/// multidict(b"a=1&b=%zz&&c");
/// ```
pub const CHECKS: &[(&str, Check)] = &[
    ("environ", environ),
    ("path", path),
    ("multidict", multidict),
    ("extractors", extractors),
    ("routes", routes),
    ("cookies", cookies),
    ("multipart", multipart),
    ("proxy", proxy),
];
