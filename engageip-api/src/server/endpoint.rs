//! What the hyper adapter serves: an [`Endpoint`] answers each request read from a
//! connection. A [`WebService`] is one (through [`dispatch`], with the options' fault
//! injection), and so are [`super::Replay`] (recorded answers) and [`super::Recorder`] (a
//! recording proxy).

use std::future::Future;

use super::http::{ServeOptions, WSDL, help_page};
use super::inject::{Injecting, Verdict, status_page};
use crate::generated::server::{WebService, dispatch};
use crate::runtime::server::{HttpRequest, HttpResponse, discovery_document, wsdl_for_endpoint};

/// A request as the adapter hands it to an [`Endpoint`]: the path already matched, the body
/// read within the size limit.
#[derive(Debug, Clone, Copy)]
pub struct EndpointRequest<'a> {
    /// The method (`POST`, `GET`, ...).
    pub method: &'a str,
    /// The path as requested.
    pub path: &'a str,
    /// The query string without its `?` (empty when none).
    pub query: &'a str,
    /// `http://Host/path` of the request: the address ASMX writes into its WSDL.
    pub url: &'a str,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The `SOAPAction` header, if any, as sent.
    pub soap_action: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl EndpointRequest<'_> {
    /// Whether the query has the parameter `key` (compared case-insensitively, as ASP.NET
    /// does: `?WSDL` and `?wsdl`).
    pub fn has_query(&self, key: &str) -> bool {
        self.query.split('&').any(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case(key)))
    }

    /// The transport-neutral request the dispatcher reads.
    pub fn http(&self) -> HttpRequest<'_> {
        HttpRequest {
            method: self.method,
            content_type: self.content_type,
            soap_action: self.soap_action,
            body: self.body,
        }
    }
}

/// What an endpoint does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Send this answer.
    Send(HttpResponse),
    /// Close the connection without answering.
    Close,
}

/// Something the adapter can serve.
pub trait Endpoint: Send + Sync {
    /// The reply to one request.
    fn reply<'a>(
        &'a self,
        request: &'a EndpointRequest<'a>,
        options: &'a ServeOptions,
    ) -> impl Future<Output = Reply> + Send + 'a;
}

/// What a service publishes on `GET`, as ASMX does: the WSDL (`?WSDL`, `?wsdl`) and the
/// discovery document (`?disco`) naming the request's own URL, else the help page.
pub fn describe(request: &EndpointRequest<'_>) -> HttpResponse {
    let (content_type, body) = if request.has_query("wsdl") {
        ("text/xml; charset=utf-8", wsdl_for_endpoint(WSDL, request.url))
    } else if request.has_query("disco") {
        ("text/xml; charset=utf-8", discovery_document(WSDL, request.url))
    } else {
        ("text/html; charset=utf-8", help_page(request.path))
    };
    HttpResponse { status: 200, content_type: content_type.to_owned(), body: body.into_bytes() }
}

impl<S: WebService + ?Sized> Endpoint for S {
    async fn reply<'a>(&'a self, request: &'a EndpointRequest<'a>, options: &'a ServeOptions) -> Reply {
        if request.method.eq_ignore_ascii_case("GET") {
            return Reply::Send(describe(request));
        }
        let service = Injecting::new(self, &options.inject);
        let answer = dispatch(&service, &request.http()).await;
        match service.verdict() {
            Verdict::Answer => Reply::Send(answer),
            Verdict::Drop => Reply::Close,
            Verdict::Delay(d) => {
                tokio::time::sleep(d).await;
                Reply::Send(answer)
            }
            Verdict::Status(code) => Reply::Send(HttpResponse {
                status: code,
                content_type: "text/html".to_owned(),
                body: status_page(code).into_bytes(),
            }),
        }
    }
}
