//! axum peer: a `Router`, axum-extra `Query`/`Form` (serde_html_form), `axum::serve`.
//! `axum-peer hello|query|post PORT`.

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::{Form, Query};
use peers::{HELLO, Mode, Profile, args, render, runtime};

async fn hello() -> &'static str {
    HELLO
}

fn page(profile: &Profile) -> Response {
    match render(profile) {
        Ok(html) => Html(html).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn query(Query(profile): Query<Profile>) -> Response {
    page(&profile)
}

async fn form(Form(profile): Form<Profile>) -> Response {
    page(&profile)
}

fn main() {
    let (mode, port) = args();
    let app = match mode {
        Mode::Hello => Router::new().route("/", get(hello)),
        Mode::Query => Router::new().route("/", get(query)),
        Mode::Post => Router::new().route("/", post(form)),
    };
    runtime().block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind 127.0.0.1:PORT");
        axum::serve(listener, app).await.expect("serve");
    });
}
