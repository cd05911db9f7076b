//! Bare hyper peer, the floor: one `service_fn`, no router, no tower, no extractor layer.
//! `hyper-peer hello|query|post PORT`; HTTP/1.1 with a tokio timer and TCP_NODELAY.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, body::Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use peers::{FORM, HELLO, Mode, Profile, TEXT_HTML, TEXT_PLAIN, args, render, runtime};

type Res = Response<Full<Bytes>>;

fn reply(status: StatusCode, ctype: &'static str, body: Bytes) -> Res {
    let mut res = Response::new(Full::new(body));
    *res.status_mut() = status;
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(ctype));
    res
}

fn status(status: StatusCode) -> Res {
    reply(status, TEXT_PLAIN, Bytes::new())
}

fn page(parsed: Result<Profile, serde_html_form::de::Error>, bad: StatusCode) -> Res {
    match parsed.map(|p| render(&p)) {
        Ok(Ok(html)) => reply(StatusCode::OK, TEXT_HTML, Bytes::from(html)),
        Ok(Err(_)) => status(StatusCode::INTERNAL_SERVER_ERROR),
        Err(_) => status(bad),
    }
}

async fn handle(mode: Mode, req: Request<Incoming>) -> Result<Res, Infallible> {
    if req.uri().path() != "/" {
        return Ok(status(StatusCode::NOT_FOUND));
    }
    Ok(match (mode, req.method()) {
        (Mode::Hello, &Method::GET) => reply(StatusCode::OK, TEXT_PLAIN, Bytes::from_static(HELLO.as_bytes())),
        (Mode::Query, &Method::GET) => {
            page(serde_html_form::from_str(req.uri().query().unwrap_or("")), StatusCode::BAD_REQUEST)
        }
        (Mode::Post, &Method::POST) => {
            if req.headers().get(CONTENT_TYPE).is_none_or(|v| !v.as_bytes().starts_with(FORM.as_bytes())) {
                return Ok(status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
            }
            match req.into_body().collect().await {
                Ok(body) => page(serde_html_form::from_bytes(&body.to_bytes()), StatusCode::UNPROCESSABLE_ENTITY),
                Err(_) => status(StatusCode::BAD_REQUEST),
            }
        }
        _ => status(StatusCode::METHOD_NOT_ALLOWED),
    })
}

fn main() {
    let (mode, port) = args();
    runtime().block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind 127.0.0.1:PORT");
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| handle(mode, req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
