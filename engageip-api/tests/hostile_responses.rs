//! Hostile and malformed responses, through the public client over loopback HTTP: every case
//! must end in the expected typed error with a clear message, without a panic, within a
//! generous hang guard, within a memory bound, and without the password showing up in the
//! error or in any log line.
//!
//! One `#[test]` runs the whole table in order, so the allocator's peak measures one case at a
//! time (no other test of this binary runs beside it).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{
    CountingAlloc, NS, PASSWORD, Reply, Request, Responder, SOAP11, USERNAME, fault11, get_packages_response,
    leaks_password, package_with, soap11,
};
use engageip_api::runtime::DecodeErrorKind;
use engageip_api::{Client, DocumentedFault, Error, RetryPolicy};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// A hang guard, not a timing assertion: only a case that never ends trips it.
const HANG_GUARD: Duration = Duration::from_secs(180);
/// The response limit configured for most cases.
const LIMIT: usize = 1024 * 1024;
/// The response limit of the cases that send large documents to the decoder.
const BIG_LIMIT: usize = 16 * 1024 * 1024;
/// Memory a case may use on top of what was live before it (bodies stay far below this;
/// without the streamed limit the endless body would blow through it).
const MEMORY_BOUND: usize = 48 * 1024 * 1024;

#[derive(Clone, Copy, Debug)]
enum Call {
    GetPackages,
    Upgrade,
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

struct Case {
    name: &'static str,
    call: Call,
    reply: Handler,
    limit: usize,
    timeout: Duration,
    expect: fn(&Error) -> bool,
    /// Text the error's `Display` must contain: the message must say what happened.
    says: &'static str,
}

fn case(name: &'static str, reply: Reply, expect: fn(&Error) -> bool, says: &'static str) -> Case {
    Case {
        name,
        call: Call::GetPackages,
        reply: Arc::new(move |_| reply.clone()),
        limit: LIMIT,
        timeout: Duration::from_secs(30),
        expect,
        says,
    }
}

/// A case whose document is large on purpose (megabytes of nesting, siblings or
/// declarations): it gets a limit that lets the document through to the decoder.
fn big(case: Case) -> Case {
    Case { limit: BIG_LIMIT, ..case }
}

fn ok_xml(body: impl Into<Vec<u8>>) -> Reply {
    Reply::xml(200, body)
}

fn decode_kind(e: &Error, f: fn(&DecodeErrorKind) -> bool) -> bool {
    matches!(e, Error::Decode { operation: "GetPackages", source } if f(source.kind()))
}

fn is_dtd(e: &Error) -> bool {
    decode_kind(e, |k| matches!(k, DecodeErrorKind::Dtd))
}
fn is_malformed(e: &Error) -> bool {
    decode_kind(e, |k| matches!(k, DecodeErrorKind::Malformed(_)))
}
fn is_unexpected_element(e: &Error) -> bool {
    decode_kind(e, |k| matches!(k, DecodeErrorKind::UnexpectedElement { .. }))
}
fn is_invalid_value(e: &Error) -> bool {
    decode_kind(e, |k| matches!(k, DecodeErrorKind::InvalidValue { .. }))
}
fn is_transport(e: &Error) -> bool {
    matches!(e, Error::Transport { operation: "GetPackages", .. })
}
fn is_too_large(e: &Error) -> bool {
    matches!(e, Error::ResponseTooLarge { limit, .. } if *limit == LIMIT)
}

fn cases() -> Vec<Case> {
    let billion_laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">{}]>{}",
        (1..10)
            .map(|i| format!(
                "<!ENTITY lol{i} \"{}\">",
                format!("&lol{};", i - 1).replace("&lol0;", "&lol;").repeat(10)
            ))
            .collect::<String>(),
        get_packages_response(&package_with("Name", "<Name>&lol9;</Name>"))
            .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "")
    );
    let xxe = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}",
        get_packages_response(&package_with("Name", "<Name>&xxe;</Name>"))
            .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "")
    );
    let valid = get_packages_response(&package_with("", ""));
    let deep = format!(
        "<soap:Envelope xmlns:soap=\"{SOAP11}\"><soap:Body><GetPackagesResponse xmlns=\"{NS}\"><GetPackagesResult><Package>{}",
        "<Validate>".repeat(1_000_000)
    );
    // In a header, which the decoder skips without looking: the limit holds there too.
    let deep_unknown = soap11("").replace("<soap:Body>", &format!("<soap:Header>{}", "<x>".repeat(1_000_000)));
    let many_siblings = {
        let header: String = (0..400_000).map(|i| format!("<h{i}/>")).collect();
        soap11("<Wrong xmlns=\"urn:x\"/>")
            .replace("<soap:Body>", &format!("<soap:Header>{header}</soap:Header><soap:Body>"))
    };
    let many_namespaces = {
        let decls: String = (0..20_000).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
        let children = "<x/>".repeat(200_000);
        soap11(&format!(
            "<GetPackagesResponse xmlns=\"{NS}\"{decls}><GetPackagesResult />{children}</GetPackagesResponse>"
        ))
    };
    let many_attributes = {
        let attrs: String = (0..200_000).map(|i| format!(" a{i}=\"\"")).collect();
        soap11(&format!(
            "<GetPackagesResponse xmlns=\"{NS}\"{attrs} a7=\"\"><GetPackagesResult /></GetPackagesResponse>"
        ))
    };

    let mut cases = vec![
        // --- DTDs and entities
        case("billion laughs (internal entities)", ok_xml(billion_laughs), is_dtd, "DTD"),
        case("external entity file:///etc/passwd", ok_xml(xxe), is_dtd, "DTD"),
        case(
            "external DTD subset",
            ok_xml(
                format!("<!DOCTYPE x SYSTEM \"http://127.0.0.1:1/evil.dtd\">{valid}")
                    .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", ""),
            ),
            is_dtd,
            "DTD",
        ),
        case(
            "unknown entity reference in a value",
            ok_xml(get_packages_response(&package_with("Name", "<Name>&secret;</Name>"))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnknownEntity(n) if n == "secret")),
            "unknown entity reference `&secret;`",
        ),
        case(
            "entity reference in element-only content",
            ok_xml(get_packages_response(&package_with("Name", "&lol;"))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnexpectedText(_))),
            "&lol;",
        ),
        case(
            "character reference to U+0000",
            ok_xml(get_packages_response(&package_with("Name", "<Name>a&#0;b</Name>"))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::InvalidCharRef(_))),
            "not an XML 1.0 character",
        ),
        case(
            "raw control character U+0001 in a value",
            ok_xml(get_packages_response(&package_with("Name", "<Name>a\u{1}b</Name>"))),
            is_malformed,
            "U+0001",
        ),
        case(
            "U+FFFF in a value",
            ok_xml(get_packages_response(&package_with("Name", "<Name>a\u{FFFF}b</Name>"))),
            is_malformed,
            "U+FFFF",
        ),
        // --- broken documents
        case(
            "truncated XML",
            ok_xml(valid[..valid.len() / 2].to_owned()),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnexpectedEof | DecodeErrorKind::Malformed(_))),
            "GetPackages: could not decode the response",
        ),
        case(
            "truncated inside a start tag",
            ok_xml(format!("<soap:Envelope xmlns:soap=\"{}\"><soap:Bo", SOAP11)),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnexpectedEof | DecodeErrorKind::Malformed(_))),
            "could not decode the response",
        ),
        case("mismatched end tag", ok_xml(valid.replace("</Name>", "</Nome>")), is_malformed, "malformed XML"),
        case(
            "undeclared namespace prefix",
            ok_xml(
                valid
                    .replace("<GetPackagesResponse", "<x:GetPackagesResponse")
                    .replace("</GetPackagesResponse", "</x:GetPackagesResponse"),
            ),
            is_malformed,
            "undeclared namespace prefix `x`",
        ),
        case(
            "content after the document element",
            ok_xml(format!("{valid}<more/>")),
            is_malformed,
            "after the document element",
        ),
        big(case("200,000 attributes with a duplicate", ok_xml(many_attributes), is_malformed, "malformed XML")),
        // --- the wrong document
        case(
            "wrong envelope namespace",
            ok_xml(valid.replace(SOAP11, "http://example.com/not-soap")),
            is_unexpected_element,
            "expected element `{http://schemas.xmlsoap.org/soap/envelope/}Envelope",
        ),
        case(
            "wrong body element",
            ok_xml(soap11(&format!("<GetPackageServicesResponse xmlns=\"{NS}\" />"))),
            is_unexpected_element,
            "expected element `{Logisense_EngageIP}GetPackagesResponse`, found `{Logisense_EngageIP}GetPackageServicesResponse`",
        ),
        case(
            "body element in the wrong namespace",
            ok_xml(valid.replace(&format!("xmlns=\"{NS}\""), "xmlns=\"urn:other\"")),
            is_unexpected_element,
            "{urn:other}GetPackagesResponse",
        ),
        case(
            "envelope without a body",
            ok_xml(format!("<soap:Envelope xmlns:soap=\"{}\"><soap:Header/></soap:Envelope>", SOAP11)),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::MissingElement { element: "Body", .. })),
            "missing required element `Body`",
        ),
        case(
            "HTML error page with status 200",
            Reply::with_type(200, "text/html; charset=utf-8", "<html><body><h1>Service Unavailable</h1></body></html>"),
            |e| matches!(e, Error::Http { status: 200, .. }),
            "HTTP 200 with content type `text/html; charset=utf-8`",
        ),
        case(
            "HTML page labelled text/xml",
            ok_xml("<html><body>Gateway error</body></html>"),
            is_unexpected_element,
            "found `html`",
        ),
        // --- status codes
        case(
            "status 500 with a fault",
            Reply::xml(500, fault11("Server", "Server was unable to process request. ---&gt; INVALID USERNAME")),
            |e| {
                matches!(e, Error::Fault { status: 500, .. })
                    && e.documented_fault() == Some(DocumentedFault::InvalidUsername)
            },
            "INVALID USERNAME",
        ),
        case(
            "status 200 with a fault",
            ok_xml(fault11("Client", "Not allowed")),
            |e| matches!(e, Error::Fault { status: 200, documented: None, .. }),
            "fault Client: Not allowed",
        ),
        case(
            "status 500 with an HTML page",
            Reply::with_type(500, "text/html", "<html><body>Runtime Error</body></html>"),
            |e| matches!(e, Error::Http { status: 500, .. }),
            "HTTP 500",
        ),
        case(
            "status 500 with an empty body",
            Reply::xml(500, ""),
            |e| matches!(e, Error::Http { status: 500, .. }),
            "HTTP 500",
        ),
        case(
            "status 500 with a response that is not a fault",
            Reply::xml(500, valid.clone()),
            |e| matches!(e, Error::Http { status: 500, .. }),
            "HTTP 500",
        ),
        case(
            "status 500 with a fault missing its faultcode",
            Reply::xml(500, soap11("<soap:Fault><faultstring>x</faultstring></soap:Fault>")),
            |e| matches!(e, Error::Http { status: 500, .. }),
            "HTTP 500",
        ),
        case(
            "status 404 with a fault",
            Reply::xml(404, fault11("Server", "x")),
            |e| matches!(e, Error::Http { status: 404, .. }),
            "HTTP 404",
        ),
        case(
            "redirect to another server",
            Reply::Fixed {
                status: 307,
                headers: vec![("Location".to_owned(), "http://127.0.0.1:9/elsewhere".to_owned())],
                body: Vec::new(),
            },
            |e| matches!(e, Error::Http { status: 307, .. }),
            "HTTP 307",
        ),
        case("empty body with status 200", ok_xml(""), |e| matches!(e, Error::Http { status: 200, .. }), "HTTP 200"),
        case("whitespace-only body", ok_xml(" \r\n\t "), |e| matches!(e, Error::Http { status: 200, .. }), "HTTP 200"),
        // --- encodings
        case(
            "invalid UTF-8",
            ok_xml([valid.as_bytes()[..200].to_vec(), vec![0xC3, 0x28], valid.as_bytes()[200..].to_vec()].concat()),
            |e| matches!(e, Error::InvalidUtf8 { offset: 200, .. }),
            "not valid UTF-8 (at byte 200)",
        ),
        case(
            "UTF-16 without a charset",
            Reply::with_type(200, "text/xml", {
                let mut b = vec![0xFF, 0xFE];
                b.extend(valid.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }),
            |e| matches!(e, Error::InvalidUtf8 { offset: 0, .. }),
            "not valid UTF-8",
        ),
        case(
            "charset ISO-8859-1",
            Reply::with_type(200, "text/xml; charset=ISO-8859-1", valid.clone()),
            |e| matches!(e, Error::UnsupportedCharset { charset, .. } if charset == "ISO-8859-1"),
            "charset `ISO-8859-1`",
        ),
        case(
            "XML declaration with encoding windows-1252",
            ok_xml(valid.replace("encoding=\"utf-8\"", "encoding=\"windows-1252\"")),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnsupportedEncoding(_))),
            "unsupported document encoding `windows-1252`",
        ),
        case(
            "truncated gzip body",
            Reply::Fixed {
                status: 200,
                headers: vec![
                    ("Content-Type".to_owned(), "text/xml; charset=utf-8".to_owned()),
                    ("Content-Encoding".to_owned(), "gzip".to_owned()),
                ],
                body: vec![0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xCB, 0x48, 0xCD],
            },
            |e| matches!(e, Error::Transport { .. }) && !e.is_retryable(),
            "could not be decompressed",
        ),
        // --- values
        case(
            "int out of range",
            ok_xml(get_packages_response(&package_with("ID", "<ID>2147483648</ID>"))),
            is_invalid_value,
            "invalid xs:int value \"2147483648\": out of range",
        ),
        case(
            "NaN where an int is expected",
            ok_xml(get_packages_response(&package_with("ID", "<ID>NaN</ID>"))),
            is_invalid_value,
            "invalid xs:int value \"NaN\"",
        ),
        case(
            "INF where an int is expected",
            ok_xml(get_packages_response(&package_with("OwnerID", "<OwnerID>INF</OwnerID>"))),
            is_invalid_value,
            "invalid xs:int value \"INF\"",
        ),
        case(
            "int with a fraction",
            ok_xml(get_packages_response(&package_with("Frequency", "<Frequency>1.5</Frequency>"))),
            is_invalid_value,
            "not an integer",
        ),
        case(
            "double with a decimal comma",
            ok_xml(get_packages_response(&package_with("Amount", "<Amount>19,99</Amount>"))),
            is_invalid_value,
            "invalid xs:double value \"19,99\"",
        ),
        case(
            "boolean yes",
            ok_xml(get_packages_response(&package_with(
                "InactiveOverride",
                "<InactiveOverride>yes</InactiveOverride>",
            ))),
            is_invalid_value,
            "invalid xs:boolean value \"yes\"",
        ),
        case(
            "date-time February 30",
            ok_xml(get_packages_response(&package_with(
                "CreatedDate",
                "<CreatedDate>2024-02-30T00:00:00</CreatedDate>",
            ))),
            is_invalid_value,
            "invalid xs:dateTime value \"2024-02-30T00:00:00\"",
        ),
        case(
            "date-time hour 25",
            ok_xml(get_packages_response(&package_with("StartDate", "<StartDate>2024-01-01T25:00:00Z</StartDate>"))),
            is_invalid_value,
            "invalid xs:dateTime value",
        ),
        case(
            "date-time in prose",
            ok_xml(get_packages_response(&package_with("CreatedDate", "<CreatedDate>yesterday</CreatedDate>"))),
            is_invalid_value,
            "invalid xs:dateTime value \"yesterday\"",
        ),
        case(
            "date-time offset +25:00",
            ok_xml(get_packages_response(&package_with(
                "CreatedDate",
                "<CreatedDate>2024-01-01T00:00:00+25:00</CreatedDate>",
            ))),
            is_invalid_value,
            "invalid xs:dateTime value",
        ),
        // --- structure
        big(case(
            "a million nested elements",
            ok_xml(deep),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::TooDeep(_))),
            "nest deeper than the limit",
        )),
        big(case(
            "a million nested unknown elements",
            ok_xml(deep_unknown),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::TooDeep(_))),
            "nest deeper than the limit",
        )),
        case(
            "duplicate single-valued element",
            ok_xml(get_packages_response(&package_with("ID", "<ID>1</ID><ID>2</ID>"))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::DuplicateElement { element: "ID", .. })),
            "element `ID` appears more than once in `Package`",
        ),
        case(
            "duplicate result element",
            ok_xml(valid.replace("</GetPackagesResponse>", "<GetPackagesResult /></GetPackagesResponse>")),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::DuplicateElement { element: "GetPackagesResult", .. })),
            "appears more than once",
        ),
        case(
            "missing required element",
            ok_xml(get_packages_response(&package_with("ID", ""))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::MissingElement { element: "ID", .. })),
            "missing required element `ID` in `Package`",
        ),
        case(
            "nil on a required int",
            ok_xml(get_packages_response(&package_with("ID", "<ID xsi:nil=\"true\" />"))),
            |e| decode_kind(e, |k| matches!(k, DecodeErrorKind::UnexpectedNil(_))),
            "is nil but is not nillable",
        ),
        big(case(
            "400,000 distinct siblings before an error",
            ok_xml(many_siblings),
            is_unexpected_element,
            "{urn:x}Wrong",
        )),
        big(case(
            "20,000 namespace declarations in scope",
            ok_xml(many_namespaces),
            is_malformed,
            "namespace declarations",
        )),
        // --- size
        case(
            "Content-Length over the limit",
            ok_xml(vec![b' '; LIMIT + 1]),
            is_too_large,
            "exceeds the limit of 1048576 bytes",
        ),
        case(
            "endless chunked body without Content-Length",
            Reply::Chunked {
                status: 200,
                content_type: "text/xml; charset=utf-8".to_owned(),
                head: valid.as_bytes()[..valid.find("<Package>").unwrap_or(0)].to_vec(),
                chunk: format!("<Package>{}</Package>", package_with("", "")).into_bytes(),
                count: None,
            },
            is_too_large,
            "exceeds the limit",
        ),
        // --- transport
        case(
            "Content-Length longer than the body",
            Reply::Raw(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<soap:Envelope".to_vec(),
            ),
            is_transport,
            "failed in transit",
        ),
        case("not HTTP at all", Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()), is_transport, "failed in transit"),
        case(
            "a one-megabyte header",
            Reply::Raw(format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(1024 * 1024)).into_bytes()),
            is_transport,
            "failed in transit",
        ),
        case("connection closed without a reply", Reply::Close, is_transport, "failed in transit"),
        Case {
            timeout: Duration::from_secs(2),
            ..case("no reply at all", Reply::Hang, is_transport, "failed in transit")
        },
        Case {
            timeout: Duration::from_secs(2),
            ..case(
                "a body trickling one byte at a time",
                Reply::Trickle { interval: Duration::from_millis(100) },
                is_transport,
                "failed in transit",
            )
        },
        Case {
            call: Call::Upgrade,
            ..case(
                "UpgradeUserPackage: connection closed without a reply",
                Reply::Close,
                |e| matches!(e, Error::OutcomeUnknown { operation: "UpgradeUserPackage", .. }),
                "whether the service performed it is unknown",
            )
        },
        Case {
            call: Call::Upgrade,
            timeout: Duration::from_secs(2),
            ..case(
                "UpgradeUserPackage: no reply at all",
                Reply::Hang,
                |e| matches!(e, Error::OutcomeUnknown { operation: "UpgradeUserPackage", .. }),
                "whether the service performed it is unknown",
            )
        },
        // --- peers that echo the request: the password must not come back in an error
        Case {
            reply: Arc::new(|req: &Request| {
                let body = req.body_text();
                let from = body.find("<AuthHeader").unwrap_or(0);
                Reply::with_type(400, "text/html", format!("<p>Bad request: {}</p>", &body[from..]))
            }),
            ..case(
                "HTML page echoing the request",
                Reply::Close,
                |e| matches!(e, Error::Http { status: 400, .. }),
                "HTTP 400",
            )
        },
        Case {
            call: Call::Upgrade,
            reply: Arc::new(|req: &Request| {
                let body = req.body_text();
                let from = body.find("<AuthHeader").unwrap_or(0);
                Reply::with_type(502, "text/html", format!("<p>Bad gateway for: {}</p>", &body[from..]))
            }),
            ..case(
                "UpgradeUserPackage: a gateway's 502 echoing the request",
                Reply::Close,
                |e| matches!(e, Error::OutcomeUnknown { source, .. } if matches!(**source, Error::Http { status: 502, .. })),
                "<Password><redacted></Password>",
            )
        },
        case(
            "fault echoing the password",
            Reply::xml(
                500,
                fault11("Client", &format!("bad password {}", PASSWORD.replace('&', "&amp;").replace('<', "&lt;"))),
            ),
            |e| matches!(e, Error::Fault { .. }),
            "bad password <redacted>",
        ),
        case(
            "invalid value echoing the password",
            ok_xml(get_packages_response(&package_with(
                "ID",
                &format!("<ID>{}</ID>", PASSWORD.replace('&', "&amp;").replace('<', "&lt;")),
            ))),
            is_invalid_value,
            "invalid xs:int value \"<redacted>\"",
        ),
    ];
    // The default limit holds too, on a body that never ends.
    cases.push(Case {
        limit: engageip_api::DEFAULT_MAX_RESPONSE_BYTES,
        expect: |e| matches!(e, Error::ResponseTooLarge { limit, .. } if *limit == engageip_api::DEFAULT_MAX_RESPONSE_BYTES),
        ..case(
            "endless body, default limit",
            Reply::Chunked {
                status: 200,
                content_type: "text/xml".to_owned(),
                head: Vec::new(),
                chunk: vec![b' '; 64 * 1024],
                count: None,
            },
            |_| false,
            "exceeds the limit of 67108864 bytes",
        )
    });
    cases
}

async fn run(case: &Case) -> Result<(), String> {
    let reply = case.reply.clone();
    let server = Responder::start_with(move |req, _| reply(req)).await;
    let client = Client::builder(server.url())
        .credentials(USERNAME, PASSWORD)
        .max_response_bytes(case.limit)
        .timeout(case.timeout)
        .retry_policy(RetryPolicy::none())
        .build()
        .map_err(|e| format!("build: {e}"))?;
    let error = match case.call {
        Call::GetPackages => client.get_packages("demo-isp").await.map(|p| format!("{p:?}")).err(),
        Call::Upgrade => client.upgrade_user_package(1, 2, true).await.map(|()| "()".to_owned()).err(),
    };
    let requests = server.request_count();
    drop(server);
    let Some(error) = error else { return Err("the call succeeded".to_owned()) };
    // The whole chain, as `{:#}` with anyhow prints it.
    let mut display = error.to_string();
    let mut next = std::error::Error::source(&error);
    while let Some(e) = next {
        display = format!("{display}: {e}");
        next = e.source();
    }
    let debug = format!("{error:?}");
    if !(case.expect)(&error) {
        return Err(format!("unexpected error: {display}\n{debug}"));
    }
    if !display.contains(case.says) {
        return Err(format!("the message does not say {:?}: {display}", case.says));
    }
    if leaks_password(&display) || leaks_password(&debug) {
        return Err(format!("the error shows the password: {debug}"));
    }
    if requests > 1 {
        return Err(format!("{requests} requests were sent, expected at most one"));
    }
    Ok(())
}

#[test]
fn hostile_responses_give_typed_errors() {
    let capture = common::capture();
    let cases = cases();
    let count = cases.len();
    assert!(count >= 30, "only {count} cases");
    let mut failures = Vec::new();
    for case in cases {
        let (name, limit) = (case.name, case.limit);
        let before = common::reset_peak();
        // Each case on its own thread and runtime, so that the guard also catches a decoder
        // stuck in synchronous work (a hung case's thread is left behind; the test fails).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            let _ = tx.send(runtime.block_on(run(&case)));
        });
        match rx.recv_timeout(HANG_GUARD) {
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                failures.push(format!("{name}: no result within {HANG_GUARD:?} (hang)"));
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => failures.push(format!("{name}: panicked")),
            Ok(Err(why)) => failures.push(format!("{name}: {why}")),
            Ok(Ok(())) => {}
        }
        let used = common::peak().saturating_sub(before);
        let bound = MEMORY_BOUND + limit * 3;
        if used > bound {
            failures.push(format!("{name}: used {used} bytes of memory, bound {bound}"));
        }
    }
    let lines = capture.lines();
    for line in &lines {
        if leaks_password(line) {
            failures.push(format!("a log line shows the password: {line}"));
        }
    }
    // The capture saw the calls (so the check above is not vacuous): spans with their status,
    // and request envelopes with the password replaced.
    if !lines.iter().any(|l| l.contains("http_status=200")) {
        failures.push("no span recorded an HTTP status".to_owned());
    }
    let span_fields =
        ["engageip.call", "operation=UpgradeUserPackage", "endpoint=http://127.0.0.1:", "soap_version=SOAP 1.1"];
    if !lines.iter().any(|l| span_fields.iter().all(|f| l.contains(f))) {
        failures.push(format!("no call span with {span_fields:?}"));
    }
    if !lines.iter().any(|l| l.contains("duration_ms=")) {
        failures.push("no span recorded a duration".to_owned());
    }
    if !lines.iter().any(|l| l.contains("request envelope") && l.contains("<Password><redacted></Password>")) {
        failures.push("no request envelope was logged with the password redacted".to_owned());
    }
    assert!(failures.is_empty(), "{} of {} checks failed:\n{}", failures.len(), count, failures.join("\n"));
}
