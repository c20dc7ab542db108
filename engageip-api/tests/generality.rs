//! The golden case `generality` (`tests/golden/generality/`): the constructs real WSDLs use
//! beyond ASMX's document/literal wrapped style, compiled and exercised. Its `service.wsdl`
//! imports `contract.wsdl` (`wsdl:import`); it has a one-way operation, messages without
//! parts, an rpc/literal operation, an `xml:lang` attribute, a derived type that declares an
//! inherited element again, and Cyrillic and accented names.
//!
//! The XML round trips run always; with feature `server`, the generated server (behind a
//! small hyper loop on loopback) and the generated client trait (`GeneralityClient`, on
//! `engageip_api::Client`) call every operation end to end.

#[rustfmt::skip]
#[allow(clippy::all, missing_docs, dead_code)]
#[path = "golden/generality/generated/mod.rs"]
mod generality;

use engageip_api::runtime::{self, Body, Operation, SoapVersion, XmlElement};
use generality::types::{self as g, Статус};

fn special() -> g::Special {
    g::Special {
        id: 7,
        name: Some("Größe & Co".to_owned()),
        größe: 42,
        status: Статус::Закрыт,
        label: Some(g::Label { value: "Привет".to_owned(), lang: Some("ru".to_owned()) }),
    }
}

fn response<B: XmlElement + std::fmt::Debug>(xml: &str) -> B {
    match runtime::decode_response::<B>(xml) {
        Ok(Body::Response(b)) => b,
        other => panic!("expected a response body: {other:?}"),
    }
}

#[test]
fn non_ascii_names_and_xml_lang_round_trip() {
    let body = g::LookupResponse { item: special() };
    let xml = runtime::encode_response(SoapVersion::Soap11, &body).expect("encodes");
    // The rpc wrapper is in the binding's namespace, the part unqualified, the part's type's
    // children in the schema's; `xml:lang` uses the predefined prefix, undeclared.
    assert!(xml.contains("<LookupResponse xmlns=\"urn:generality:rpc\"><item xmlns=\"\">"), "{xml}");
    assert!(xml.contains("<Größe xmlns=\"urn:generality\">42</Größe>"), "{xml}");
    assert!(xml.contains("<Status xmlns=\"urn:generality\">Закрыт</Status>"), "{xml}");
    assert!(xml.contains("xml:lang=\"ru\">Привет</Label>"), "{xml}");
    assert!(!xml.contains("xmlns:xml") && !xml.contains("XML/1998"), "{xml}");
    assert_eq!(response::<g::LookupResponse>(&xml), body);
    assert_eq!(Статус::Активный.as_str(), "Активный");
    assert_eq!(<Статус as runtime::XmlText>::parse_text("Café").ok(), Some(Статус::Café));
}

#[test]
fn a_redeclared_inherited_element_is_one_field_read_from_either_place() {
    // `Name` as the base `Item` places it, and again where `Special` declares it: the last wins.
    let xml = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r:LookupResponse xmlns:r="urn:generality:rpc"><item xmlns:t="urn:generality"><t:Id>1</t:Id><t:Name>base</t:Name><t:Name>derived</t:Name><t:Größe>2</t:Größe><t:Status>Активный</t:Status></item></r:LookupResponse></soap:Body></soap:Envelope>"#;
    let item = response::<g::LookupResponse>(xml).item;
    assert_eq!(item.name.as_deref(), Some("derived"));
    assert_eq!((item.id, item.größe, item.status), (1, 2, Статус::Активный));
}

#[test]
fn empty_messages_write_and_read_an_empty_body() {
    let request =
        runtime::encode_request::<g::Reset, g::PingIn>(SoapVersion::Soap11, None, &g::PingIn {}).expect("encodes");
    assert!(request.ends_with("<soap:Body></soap:Body></soap:Envelope>"), "{request}");
    let reply = runtime::encode_response(SoapVersion::Soap12, &g::ResetOut {}).expect("encodes");
    assert!(reply.ends_with("<soap:Body></soap:Body></soap:Envelope>"), "{reply}");
    assert_eq!(response::<g::ResetOut>(&reply), g::ResetOut {});
    let self_closing =
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>"#;
    assert_eq!(response::<g::ResetOut>(self_closing), g::ResetOut {});
    const { assert!(<generality::operations::Notify as Operation>::ONE_WAY) };
    const { assert!(!<generality::operations::Ping as Operation>::ONE_WAY) };
    assert_eq!(runtime::empty_message::<g::NotifyResponse>().ok(), Some(g::NotifyResponse {}));
}

#[cfg(feature = "server")]
mod end_to_end {
    use std::convert::Infallible;
    use std::sync::{Arc, Mutex};

    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    use hyper_util::rt::TokioIo;

    use super::generality::client::GeneralityClient;
    use super::generality::server::{Generality, RequestHeaders, ServerFault, dispatch};
    use super::generality::types as g;
    use super::special;
    use engageip_api::runtime::server::HttpRequest;

    /// Records what it was sent.
    #[derive(Default)]
    struct Service {
        notes: Mutex<Vec<String>>,
        resets: Mutex<Vec<i32>>,
    }

    impl Generality for Service {
        async fn authenticate(&self, _operation: &'static str, _headers: &RequestHeaders) -> Result<(), ServerFault> {
            Ok(())
        }

        async fn notify(&self, request: g::Notify) -> Result<(), ServerFault> {
            self.notes.lock().map_err(|_| ServerFault::receiver("poisoned"))?.push(request.message.unwrap_or_default());
            Ok(())
        }

        async fn ping(&self, request: g::PingIn) -> Result<bool, ServerFault> {
            let g::PingIn {} = request;
            Ok(true)
        }

        async fn reset(&self, request: g::Reset) -> Result<(), ServerFault> {
            if request.id < 0 {
                return Err(ServerFault::sender("NEGATIVE ID"));
            }
            self.resets.lock().map_err(|_| ServerFault::receiver("poisoned"))?.push(request.id);
            Ok(())
        }

        async fn describe(&self, request: g::Describe) -> Result<Option<g::Label>, ServerFault> {
            Ok(request.item.label)
        }

        async fn lookup(&self, request: g::Lookup) -> Result<g::Special, ServerFault> {
            let mut item = special();
            item.id = request.id;
            item.label = Some(g::Label { value: format!("item {}", request.id), lang: Some(request.language) });
            Ok(item)
        }
    }

    /// The generated dispatcher behind HTTP/1.1 on 127.0.0.1, one task per connection; the
    /// server stops when the returned task is aborted.
    async fn start(service: Arc<Service>) -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let url = format!("http://{}/generality.asmx", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let service = service.clone();
                connections.spawn(async move {
                    let svc = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                        let service = service.clone();
                        async move {
                            let header = |name: &str| {
                                request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
                            };
                            let (content_type, action) = (header("content-type"), header("soapaction"));
                            let method = request.method().as_str().to_owned();
                            let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                            let answer = dispatch(
                                &*service,
                                &HttpRequest {
                                    method: &method,
                                    content_type: content_type.as_deref(),
                                    soap_action: action.as_deref(),
                                    body: &body,
                                },
                            )
                            .await;
                            let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
                            *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
                                .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
                            if let Ok(v) = hyper::header::HeaderValue::from_str(&answer.content_type) {
                                response.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
                            }
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ =
                        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
                });
            }
        });
        (url, task)
    }

    /// `engageip_api::Client` (its transport, TLS, retry and redaction) calls the generated
    /// operations through the generated `GeneralityClient` trait.
    fn client(url: &str, version: engageip_api::SoapVersion) -> engageip_api::Client {
        engageip_api::Client::builder(url)
            .credentials("unused", "unused")
            .soap_version(version)
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn every_operation_end_to_end() {
        let service = Arc::new(Service::default());
        let (url, task) = start(service.clone()).await;
        for version in [engageip_api::SoapVersion::Soap11, engageip_api::SoapVersion::Soap12] {
            let client = client(&url, version);
            // One-way: the server answers 202 with no body, the call returns ().
            client.notify("hello").await.expect("one-way notify");
            // An input message without parts: an empty body, routed by the action.
            assert!(client.ping().await.expect("ping"));
            // An output message without parts: `()`; a fault still comes back as one.
            client.reset(3).await.expect("reset");
            let fault = client.reset(-1).await.expect_err("a fault");
            assert!(fault.to_string().contains("NEGATIVE ID"), "{fault}");
            // rpc/literal: wrapper `Lookup` / `LookupResponse` in the binding's namespace.
            let item = client.lookup(11, "de").await.expect("rpc/literal lookup");
            assert_eq!(item.id, 11);
            assert_eq!(item.label, Some(g::Label { value: "item 11".to_owned(), lang: Some("de".to_owned()) }));
            assert_eq!(item.status, g::Статус::Закрыт);
            let label = client.describe(special()).await.expect("describe");
            assert_eq!(label.and_then(|l| l.lang).as_deref(), Some("ru"));
        }
        assert_eq!(*service.notes.lock().expect("notes"), ["hello", "hello"]);
        assert_eq!(*service.resets.lock().expect("resets"), [3, 3]);
        task.abort();
    }

    /// What goes over the wire for the one-way and the empty-input operations.
    #[tokio::test]
    async fn one_way_is_202_without_body_and_an_empty_body_needs_an_empty_input() {
        let service = Arc::new(Service::default());
        let (url, task) = start(service.clone()).await;
        // reqwest is built without a default TLS provider (the crate's client installs ring).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let post = |action: &'static str, body: &'static str| {
            http.post(&url)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", action)
                .body(body)
                .send()
        };
        let notify = post(
            "\"urn:generality/Notify\"",
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Notify xmlns="urn:generality"><Message>x</Message></Notify></soap:Body></soap:Envelope>"#,
        )
        .await
        .expect("POST");
        assert_eq!(notify.status(), 202);
        assert_eq!(notify.bytes().await.expect("body").len(), 0);
        let empty =
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body /></soap:Envelope>"#;
        let ping = post("\"urn:generality/Ping\"", empty).await.expect("POST");
        assert_eq!(ping.status(), 200);
        assert!(ping.text().await.expect("text").contains("<Alive>true</Alive>"));
        // Reset needs its element: an empty body is the fault ASMX sends for a missing one.
        let reset = post("\"urn:generality/Reset\"", empty).await.expect("POST");
        assert_eq!(reset.status(), 500);
        assert!(reset.text().await.expect("text").contains("soap:Client"));
        task.abort();
    }
}
