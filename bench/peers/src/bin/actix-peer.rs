//! actix-web peer: `App` + routes, its default worker count (follows the CPU mask).
//! `actix-peer hello|query|post PORT`. actix's own `web::Query`/`web::Form` use
//! serde_urlencoded, which cannot collect repeated keys into a `Vec`, so the query string
//! and the body go through serde_html_form like the other peers.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use peers::{FORM, HELLO, Mode, Profile, TEXT_HTML, TEXT_PLAIN, args, render};

async fn hello() -> HttpResponse {
    HttpResponse::Ok().content_type(TEXT_PLAIN).body(HELLO)
}

fn page(parsed: Result<Profile, serde_html_form::de::Error>, bad: StatusCode) -> HttpResponse {
    match parsed.map(|p| render(&p)) {
        Ok(Ok(html)) => HttpResponse::Ok().content_type(TEXT_HTML).body(html),
        Ok(Err(_)) => HttpResponse::InternalServerError().finish(),
        Err(_) => HttpResponse::new(bad),
    }
}

async fn query(req: HttpRequest) -> HttpResponse {
    page(serde_html_form::from_str(req.query_string()), StatusCode::BAD_REQUEST)
}

async fn form(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let is_form = req.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(FORM.as_bytes()));
    if !is_form {
        return HttpResponse::new(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    page(serde_html_form::from_bytes(&body), StatusCode::UNPROCESSABLE_ENTITY)
}

fn main() -> std::io::Result<()> {
    let (mode, port) = args();
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            let app = App::new();
            match mode {
                Mode::Hello => app.route("/", web::get().to(hello)),
                Mode::Query => app.route("/", web::get().to(query)),
                Mode::Post => app.route("/", web::post().to(form)),
            }
        })
        .bind(("127.0.0.1", port))?
        .run()
        .await
    })
}
