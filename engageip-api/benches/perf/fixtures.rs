//! Deterministic ASMX-style response documents of any size, built in memory.
//!
//! The shape is that of `tests/fixtures/asmx-captures/soap11-GetPackages-ok.resp.xml` and
//! `soap11-GetPackageServices-ok.resp.xml`: ASMX writes the whole envelope on one line, the
//! body element declares `xmlns="Logisense_EngageIP"`, `DateTime?` nulls are
//! `<ExpiryDate xsi:nil="true" />`, `<Validate />` is empty, and .NET writes `DateTime` with up
//! to seven fraction digits. Values vary record by record (a fixed pseudo-random sequence, so
//! the same size always gives the same bytes): entity references in some names and
//! descriptions, non-ASCII text, three offset forms, nil and non-nil expiry dates.

use std::fmt::Write;

const ENVELOPE_START: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Body>";
const ENVELOPE_END: &str = "</soap:Body></soap:Envelope>";

/// splitmix64: a fixed sequence per record index.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "Basic",
    "Plus",
    "Fibre",
    "Business",
    "Home",
    "Unlimited",
    "Voice",
    "Static IP",
    "Premium",
    "Lite",
    "Café",
    "Nordic",
    "Extra",
];

fn name(rng: &mut Rng, out: &mut String) {
    let a = WORDS[rng.below(WORDS.len() as u64) as usize];
    let b = WORDS[rng.below(WORDS.len() as u64) as usize];
    match rng.below(8) {
        // Entity references force the decoder off its borrowing path.
        0 => write!(out, "{a} &amp; {b}"),
        1 => write!(out, "{a} &lt;{b}&gt;"),
        _ => write!(out, "{a} {b} {}", rng.below(1000)),
    }
    .unwrap_or_default();
}

fn description(rng: &mut Rng, out: &mut String) {
    let words = 4 + rng.below(10);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    match rng.below(6) {
        0 => out.push_str(" &amp; more"),
        1 => out.push_str(" – ñandú"),
        _ => out.push('.'),
    }
}

fn amount(rng: &mut Rng, out: &mut String) {
    match rng.below(5) {
        0 => out.push('0'),
        1 => write!(out, "{}", rng.below(5000)).unwrap_or_default(),
        2 => out.push_str("0.30000000000000004"),
        _ => write!(out, "{}.{:02}", rng.below(2000), rng.below(100)).unwrap_or_default(),
    }
}

/// A `DateTime` the way .NET writes one: always 7 fraction digits when `fraction`, and one of
/// the three offset forms.
fn date_time(rng: &mut Rng, out: &mut String, fraction: bool) {
    let year = 2015 + rng.below(12);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    write!(out, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}").unwrap_or_default();
    if fraction {
        write!(out, ".{:07}", rng.below(10_000_000)).unwrap_or_default();
    }
    match rng.below(3) {
        0 => {}
        1 => out.push('Z'),
        _ => out.push_str("-04:00"),
    }
}

fn bool_text(rng: &mut Rng) -> &'static str {
    if rng.below(2) == 0 { "false" } else { "true" }
}

fn package(i: usize, out: &mut String) {
    let mut rng = Rng::new(i as u64);
    out.push_str("<Package><Validate /><ID>");
    write!(out, "{}", i + 1).unwrap_or_default();
    out.push_str("</ID><Name>");
    name(&mut rng, out);
    out.push_str("</Name><SKU>");
    write!(out, "PKG-{:06}", rng.below(1_000_000)).unwrap_or_default();
    write!(out, "</SKU><OwnerID>{}</OwnerID>", 1 + rng.below(500)).unwrap_or_default();
    write!(out, "<Frequency>{}</Frequency>", 1 + rng.below(12)).unwrap_or_default();
    write!(out, "<BaseTimeUnitTypeID>{}</BaseTimeUnitTypeID><Amount>", 1 + rng.below(4)).unwrap_or_default();
    amount(&mut rng, out);
    out.push_str("</Amount><CreatedDate>");
    date_time(&mut rng, out, true);
    out.push_str("</CreatedDate><Description>");
    description(&mut rng, out);
    out.push_str("</Description><OneTimeAmount>");
    amount(&mut rng, out);
    write!(out, "</OneTimeAmount><InactiveOverride>{}</InactiveOverride><StartDate>", bool_text(&mut rng))
        .unwrap_or_default();
    let fraction = rng.below(2) == 0;
    date_time(&mut rng, out, fraction);
    out.push_str("</StartDate>");
    if rng.below(3) == 0 {
        out.push_str("<ExpiryDate>");
        date_time(&mut rng, out, false);
        out.push_str("</ExpiryDate>");
    } else {
        out.push_str("<ExpiryDate xsi:nil=\"true\" />");
    }
    write!(out, "<InvoiceIdentifierID>{}</InvoiceIdentifierID>", rng.below(10)).unwrap_or_default();
    write!(out, "<ShowToUserPortal>{}</ShowToUserPortal></Package>", bool_text(&mut rng)).unwrap_or_default();
}

fn service(i: usize, out: &mut String) {
    let mut rng = Rng::new(0x5E2 ^ ((i as u64) << 20));
    write!(out, "<Service><Validate /><ID>{}</ID>", i + 1).unwrap_or_default();
    write!(out, "<ServiceTypeID>{}</ServiceTypeID><Name>", 1 + rng.below(40)).unwrap_or_default();
    name(&mut rng, out);
    write!(out, "</Name><OwnerID>{}</OwnerID>", 1 + rng.below(500)).unwrap_or_default();
    write!(out, "<BaseTimeUnitTypeID>{}</BaseTimeUnitTypeID>", 1 + rng.below(4)).unwrap_or_default();
    write!(out, "<BaseTimeUnit>{}</BaseTimeUnit><CreatedDate>", 1 + rng.below(12)).unwrap_or_default();
    date_time(&mut rng, out, true);
    out.push_str("</CreatedDate><BaseFee>");
    amount(&mut rng, out);
    out.push_str("</BaseFee>");
    // ASMX leaves a null string out (minOccurs="0"): some services have no description.
    if rng.below(4) != 0 {
        out.push_str("<Description>");
        description(&mut rng, out);
        out.push_str("</Description>");
    }
    write!(out, "<InvoiceIdentifierID>{}</InvoiceIdentifierID>", rng.below(10)).unwrap_or_default();
    write!(out, "<Inactive>{}</Inactive>", bool_text(&mut rng)).unwrap_or_default();
    write!(out, "<BillingPeriodTypeID>{}</BillingPeriodTypeID>", 1 + rng.below(3)).unwrap_or_default();
    write!(out, "<ShowOnTicketTransaction>{}</ShowOnTicketTransaction>", bool_text(&mut rng)).unwrap_or_default();
    write!(out, "<SKU>SVC-{:05}</SKU></Service>", rng.below(100_000)).unwrap_or_default();
}

fn response(n: usize, operation: &str, item: fn(usize, &mut String)) -> String {
    let mut out = String::with_capacity(300 + n * 800);
    out.push_str(ENVELOPE_START);
    write!(out, "<{operation}Response xmlns=\"Logisense_EngageIP\"><{operation}Result>").unwrap_or_default();
    for i in 0..n {
        item(i, &mut out);
    }
    write!(out, "</{operation}Result></{operation}Response>").unwrap_or_default();
    out.push_str(ENVELOPE_END);
    out
}

/// A SOAP 1.1 `GetPackagesResponse` holding `n` packages.
pub fn get_packages_response(n: usize) -> String {
    response(n, "GetPackages", package)
}

/// A SOAP 1.1 `GetPackageServicesResponse` holding `n` services.
pub fn get_package_services_response(n: usize) -> String {
    response(n, "GetPackageServices", service)
}
