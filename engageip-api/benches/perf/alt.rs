//! The usual Rust alternative: quick-xml's serde support with hand-written
//! `#[derive(Deserialize, Serialize)]` structs of the same shape as the generated ones.
//!
//! Kept as fair as serde allows: dates are parsed into the same `DateTime` (from the borrowed
//! text, no extra `String`), numbers and booleans by serde's own parsers, `xsi:nil` by
//! quick-xml's built-in handling. What serde cannot do (namespace checks, required-element
//! errors naming the path, duplicate detection) it simply does not do.

use engageip_api::DateTime;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `DateTime` parsed from the element's text without an intermediate `String`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dt(pub DateTime);

impl<'de> Deserialize<'de> for Dt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Dt;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an xs:dateTime")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Dt, E> {
                s.parse().map(Dt).map_err(|e| E::custom(format!("{e:?}")))
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for Dt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
pub struct Validate {}

#[derive(Debug, Deserialize, Serialize)]
pub struct Package {
    #[serde(rename = "Validate")]
    pub validate: Option<Validate>,
    #[serde(rename = "ID")]
    pub id: i32,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "SKU", skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(rename = "OwnerID")]
    pub owner_id: i32,
    #[serde(rename = "Frequency")]
    pub frequency: i32,
    #[serde(rename = "BaseTimeUnitTypeID")]
    pub base_time_unit_type_id: i32,
    #[serde(rename = "Amount")]
    pub amount: f64,
    #[serde(rename = "CreatedDate")]
    pub created_date: Dt,
    #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "OneTimeAmount")]
    pub one_time_amount: f64,
    #[serde(rename = "InactiveOverride")]
    pub inactive_override: bool,
    #[serde(rename = "StartDate")]
    pub start_date: Dt,
    /// serde's serializer cannot write `xsi:nil`: `None` is left out (a small advantage to it).
    #[serde(rename = "ExpiryDate", skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<Dt>,
    #[serde(rename = "InvoiceIdentifierID")]
    pub invoice_identifier_id: i32,
    #[serde(rename = "ShowToUserPortal")]
    pub show_to_user_portal: bool,
}

#[derive(Debug, Deserialize)]
pub struct Service {
    #[serde(rename = "Validate")]
    pub validate: Option<Validate>,
    #[serde(rename = "ID")]
    pub id: i32,
    #[serde(rename = "ServiceTypeID")]
    pub service_type_id: i32,
    #[serde(rename = "Name")]
    pub name: Option<String>,
    #[serde(rename = "OwnerID")]
    pub owner_id: i32,
    #[serde(rename = "BaseTimeUnitTypeID")]
    pub base_time_unit_type_id: i32,
    #[serde(rename = "BaseTimeUnit")]
    pub base_time_unit: i32,
    #[serde(rename = "CreatedDate")]
    pub created_date: Dt,
    #[serde(rename = "BaseFee")]
    pub base_fee: f64,
    #[serde(rename = "Description")]
    pub description: Option<String>,
    #[serde(rename = "InvoiceIdentifierID")]
    pub invoice_identifier_id: i32,
    #[serde(rename = "Inactive")]
    pub inactive: bool,
    #[serde(rename = "BillingPeriodTypeID")]
    pub billing_period_type_id: i32,
    #[serde(rename = "ShowOnTicketTransaction")]
    pub show_on_ticket_transaction: bool,
    #[serde(rename = "SKU")]
    pub sku: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Envelope<B> {
    #[serde(rename = "Body")]
    pub body: B,
}

#[derive(Debug, Deserialize)]
pub struct PackagesBody {
    #[serde(rename = "GetPackagesResponse")]
    pub response: PackagesResponse,
}

#[derive(Debug, Deserialize)]
pub struct PackagesResponse {
    #[serde(rename = "GetPackagesResult")]
    pub result: Option<ArrayOfPackage>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ArrayOfPackage {
    #[serde(rename = "Package", default)]
    pub items: Vec<Package>,
}

#[derive(Debug, Deserialize)]
pub struct ServicesBody {
    #[serde(rename = "GetPackageServicesResponse")]
    pub response: ServicesResponse,
}

#[derive(Debug, Deserialize)]
pub struct ServicesResponse {
    #[serde(rename = "GetPackageServicesResult")]
    pub result: Option<ArrayOfService>,
}

#[derive(Debug, Deserialize)]
pub struct ArrayOfService {
    #[serde(rename = "Service", default)]
    pub items: Vec<Service>,
}

pub fn decode_packages(xml: &str) -> Vec<Package> {
    let env: Envelope<PackagesBody> = quick_xml::de::from_str(xml).expect("serde decodes the fixture");
    env.body.response.result.map(|r| r.items).unwrap_or_default()
}

pub fn decode_services(xml: &str) -> Vec<Service> {
    let env: Envelope<ServicesBody> = quick_xml::de::from_str(xml).expect("serde decodes the fixture");
    env.body.response.result.map(|r| r.items).unwrap_or_default()
}

/// The ASMX response envelope written with quick-xml's serde serializer.
#[derive(Serialize)]
struct SerEnvelope<'a> {
    #[serde(rename = "@xmlns:soap")]
    soap: &'static str,
    #[serde(rename = "@xmlns:xsi")]
    xsi: &'static str,
    #[serde(rename = "@xmlns:xsd")]
    xsd: &'static str,
    #[serde(rename = "soap:Body")]
    body: SerBody<'a>,
}

#[derive(Serialize)]
struct SerBody<'a> {
    #[serde(rename = "GetPackagesResponse")]
    response: SerResponse<'a>,
}

#[derive(Serialize)]
struct SerResponse<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'static str,
    #[serde(rename = "GetPackagesResult")]
    result: SerArray<'a>,
}

#[derive(Serialize)]
struct SerArray<'a> {
    #[serde(rename = "Package")]
    items: &'a [Package],
}

pub fn encode_packages(items: &[Package]) -> String {
    let env = SerEnvelope {
        soap: "http://schemas.xmlsoap.org/soap/envelope/",
        xsi: "http://www.w3.org/2001/XMLSchema-instance",
        xsd: "http://www.w3.org/2001/XMLSchema",
        body: SerBody { response: SerResponse { xmlns: "Logisense_EngageIP", result: SerArray { items } } },
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    quick_xml::se::to_writer_with_root(&mut out, "soap:Envelope", &env).expect("serde encodes");
    out
}

/// Converts to the generated type, to check both decoders read the same values.
pub fn to_generated(p: &Package) -> engageip_api::Package {
    engageip_api::Package::builder()
        .validate(p.validate.as_ref().map(|_| engageip_api::Validate::new()))
        .id(p.id)
        .name(p.name.clone())
        .sku(p.sku.clone())
        .owner_id(p.owner_id)
        .frequency(p.frequency)
        .base_time_unit_type_id(p.base_time_unit_type_id)
        .amount(p.amount)
        .created_date(p.created_date.0)
        .description(p.description.clone())
        .one_time_amount(p.one_time_amount)
        .inactive_override(p.inactive_override)
        .start_date(p.start_date.0)
        .expiry_date(p.expiry_date.map(|d| d.0))
        .invoice_identifier_id(p.invoice_identifier_id)
        .show_to_user_portal(p.show_to_user_portal)
        .build()
        .expect("every required field is set")
}

/// Converts to the generated type, to check both decoders read the same values.
pub fn to_generated_service(s: &Service) -> engageip_api::Service {
    engageip_api::Service::builder()
        .validate(s.validate.as_ref().map(|_| engageip_api::Validate::new()))
        .id(s.id)
        .service_type_id(s.service_type_id)
        .name(s.name.clone())
        .owner_id(s.owner_id)
        .base_time_unit_type_id(s.base_time_unit_type_id)
        .base_time_unit(s.base_time_unit)
        .created_date(s.created_date.0)
        .base_fee(s.base_fee)
        .description(s.description.clone())
        .invoice_identifier_id(s.invoice_identifier_id)
        .inactive(s.inactive)
        .billing_period_type_id(s.billing_period_type_id)
        .show_on_ticket_transaction(s.show_on_ticket_transaction)
        .sku(s.sku.clone())
        .build()
        .expect("every required field is set")
}
