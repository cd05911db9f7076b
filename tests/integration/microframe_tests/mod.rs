//! microframe: the router, mounts, `url_for`, extractors, layers, the onion, responses,
//! templates and panics, each asserted with its status and exact body (design §3, §4).
//!
//! Almost everything runs in process through `microframe::TestClient`; the network is used
//! only where it matters (a chunked body over the limit, a connection kept after a panic).

mod mount;
mod routing;
mod routing_paths;
mod url_for;

use gateway_core::Environ;

/// `SCRIPT_NAME=… PATH_INFO=…`, as the app sees them (decoded), and the raw path info.
async fn where_am_i(environ: Environ) -> String {
    format!("SCRIPT_NAME={} PATH_INFO={} raw={}", environ.script_name(), environ.path_info(), environ.raw_path_info())
}
