//! The build.rs path end to end: the code this crate's build script generated from
//! `wsdl/calculator.wsdl` is called through `engageip_api::Client` (the generated client trait,
//! no newtype), against the generated server side served on loopback by a minimal HTTP/1.1
//! responder started here; and through a transport of the test's own.

use std::net::SocketAddr;
use std::sync::Arc;

use engageip_api::{Client, Error, FaultCode, SoapVersion};
use engageip_codegen_build_rs::calculator::client::CalculatorClient as _;
use engageip_codegen_build_rs::calculator::server::{self, Calculator, RequestHeaders, ServerFault};
use engageip_codegen_build_rs::calculator::types::{Describe, Sign, Summary};
use engageip_runtime::server::HttpRequest;
use engageip_runtime::{Body, Operation, Transport, decode_response, encode_request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The service the generated dispatcher serves.
struct Service;

impl Calculator for Service {
    async fn authenticate(&self, _operation: &'static str, _headers: &RequestHeaders) -> Result<(), ServerFault> {
        Ok(())
    }

    async fn add(&self, request: engageip_codegen_build_rs::calculator::types::Add) -> Result<i32, ServerFault> {
        request.a.checked_add(request.b).ok_or_else(|| ServerFault::sender("the sum overflows an int"))
    }

    async fn describe(&self, request: Describe) -> Result<Option<Summary>, ServerFault> {
        let total: i64 = request.value.iter().sum();
        let sign = match total.signum() {
            -1 => Sign::Negative,
            0 => Sign::Zero,
            _ => Sign::Positive,
        };
        let count = i32::try_from(request.value.len()).map_err(|_| ServerFault::sender("too many values"))?;
        Ok(Some(Summary { label: request.label, count, total, sign }))
    }
}

/// The value of header `name` (case-insensitive) in an HTTP head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Reads one HTTP/1.1 request, dispatches it, writes the response and closes.
async fn serve_one(mut stream: TcpStream, service: Arc<Service>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = header(&head, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let method = head.split(' ').next().unwrap_or_default();
    let body = &buf[head_end..buf.len().min(head_end + length)];
    let request = HttpRequest {
        method,
        content_type: header(&head, "content-type"),
        soap_action: header(&head, "soapaction"),
        body,
    };
    let response = if body.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()) {
        engageip_runtime::server::HttpResponse {
            status: 400,
            content_type: "text/plain".to_owned(),
            body: b"credentials sent".to_vec(),
        }
    } else {
        server::dispatch(service.as_ref(), &request).await
    };
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&response.body).await?;
    stream.shutdown().await
}

/// Starts the responder on 127.0.0.1 (an ephemeral port); it stops with the test's runtime.
async fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let service = Arc::new(Service);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_one(stream, Arc::clone(&service)));
        }
    });
    addr
}

/// The password the client holds: this service declares no `AuthHeader`, so it is never sent
/// (the responder refuses any request that carries it).
const PASSWORD: &str = "not-for-this-service";

fn client(addr: SocketAddr, version: SoapVersion) -> Client {
    Client::builder(format!("http://{addr}"))
        .path("/calculator")
        .credentials("api-user", PASSWORD)
        .soap_version(version)
        .build()
        .expect("client")
}

#[tokio::test]
async fn an_operation_is_called_through_engageip_api_client() {
    let addr = start().await;
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let sum = client(addr, version).add(2, 40).await.unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(sum, 42, "{version}");
    }
}

#[tokio::test]
async fn structured_results_round_trip_and_carry_the_build_script_attributes() {
    let addr = start().await;
    let summary = client(addr, SoapVersion::Soap12)
        .describe("three", vec![1, 2, -5])
        .await
        .expect("describe")
        .expect("a summary");
    assert_eq!(summary, Summary { label: Some("three".to_owned()), count: 3, total: -2, sign: Sign::Negative });
    // `type_attribute(".", "#[derive(serde::Serialize)]")` in build.rs reached every type.
    let json = serde_json::to_value(&summary).expect("serializes");
    assert_eq!(json, serde_json::json!({"label": "three", "count": 3, "total": -2, "sign": "Negative"}));
    let empty = client(addr, SoapVersion::Soap11).describe(None::<String>, Vec::new()).await.expect("describe");
    assert_eq!(empty.map(|s| (s.label, s.count, s.sign)), Some((None, 0, Sign::Zero)));
}

#[tokio::test]
async fn a_fault_comes_back_as_engageip_api_error() {
    let addr = start().await;
    let err = client(addr, SoapVersion::Soap11).add(i32::MAX, 1).await.expect_err("overflow");
    let Error::Fault { operation, fault, status, .. } = &err else { panic!("not a fault: {err}") };
    assert_eq!((*operation, *status), ("Add", 500));
    assert_eq!(fault.code, FaultCode::Sender);
    assert!(fault.reason.contains("the sum overflows an int"), "{}", fault.reason);
}

/// A transport of the test's own, with no HTTP: the envelope goes straight to the generated
/// dispatcher. Implementing the runtime's `Transport` is all it takes to get the generated
/// client trait's methods.
struct InProcess;

impl Transport for InProcess {
    type Error = String;

    async fn call<O: Operation>(&self, request: &O::Request) -> Result<O::Response, String> {
        let body = encode_request(SoapVersion::Soap11, None::<&O::Request>, request).map_err(|e| e.to_string())?;
        let action = format!("\"{}\"", O::SOAP_ACTION);
        let http = HttpRequest::post(Some("text/xml; charset=utf-8"), Some(&action), body.as_bytes());
        let response = server::dispatch(&Service, &http).await;
        let text = String::from_utf8(response.body).map_err(|e| e.to_string())?;
        match decode_response::<O::Response>(&text).map_err(|e| e.to_string())? {
            Body::Response(r) => Ok(r),
            Body::Fault(f) => Err(format!("fault: {}", f.reason)),
        }
    }
}

#[tokio::test]
async fn a_transport_of_your_own_gets_the_same_methods() {
    assert_eq!(InProcess.add(-3, 5).await, Ok(2));
    let summary = InProcess.describe("none", Vec::new()).await.expect("describe").expect("a summary");
    assert_eq!((summary.count, summary.sign), (0, Sign::Zero));
    let err = InProcess.add(i32::MIN, -1).await.expect_err("overflow");
    assert!(err.contains("the sum overflows an int"), "{err}");
}
