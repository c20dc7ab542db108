//! Typed async client for the EngageIP (Logisense) billing SOAP API, generated from its WSDL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), engageip_api::Error> {
//! use engageip_api::{Client, SoapVersion};
//!
//! let client = Client::builder("https://billing.example.com")
//!     .credentials("api-user", std::env::var("ENGAGEIP_PASSWORD").unwrap_or_default())
//!     .soap_version(SoapVersion::Soap12)
//!     .build()?;
//! for package in client.get_packages("demo-isp").await? {
//!     println!("{} {:?} {}", package.id, package.name, package.amount);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The types, operations and client methods are generated from `wsdl/engageip.wsdl` by
//! `cargo xtask regen`; this crate's hand-written parts are the transport ([`Client`]), the
//! credentials ([`Credentials`]), the error type ([`Error`]) and the XML [`runtime`].
//!
//! [`Client`] is also a [`runtime::Transport`] (and `blocking::Client` a
//! [`runtime::BlockingTransport`]): code that `engageip-codegen` generates in a build script
//! for another WSDL (or another EngageIP version) calls its operations through it, with the
//! same TLS, timeouts, retry policy and redaction (see the README, "Generating from your own
//! WSDL in `build.rs`").

//!
//! With feature `server`, the section below shows how to test an integration against the
//! built-in test doubles.
#![cfg_attr(feature = "server", doc = include_str!("testing.md"))]
#![warn(missing_docs)]

mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod client;
mod config;
#[cfg(feature = "drift")]
pub mod drift;
mod error;
// Written by `cargo xtask regen` (prettyplease's layout): `cargo fmt` leaves it as generated.
#[rustfmt::skip]
#[allow(missing_docs)]
mod generated;
mod retry;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod simulator;
mod tls;
mod transport;

pub use auth::Credentials;
pub use client::Client;
pub use config::{
    Async, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_PATH, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};
/// The XML/SOAP runtime the generated code builds on (the `engageip-runtime` crate).
#[doc(inline)]
pub use engageip_runtime as runtime;
pub use error::{Error, Outcome, TransportError};
pub use generated::faults::DocumentedFault;
pub use generated::operations;
pub use generated::types::{AuthHeader, Package, Service, UpdatePackage, Validate};
/// The reqwest version this crate uses, for [`ClientBuilder::http_client`] and for
/// downcasting a [`TransportError`]'s source.
pub use reqwest;
pub use retry::RetryPolicy;
pub use runtime::{DateTime, Fault, FaultCode, Nillable, Offset, SoapVersion};
pub use tls::{Certificate, Identity};

/// The service description this crate was generated from (`wsdl/engageip.wsdl`, byte for
/// byte): what [`Client::check_drift`] and `engageip drift` compare a live service with.
pub const WSDL: &str = include_str!("generated/engageip.wsdl");

/// Every generated schema type, request and response wrapper.
pub mod types {
    pub use crate::generated::types::*;
}

/// The workspace README's examples, compiled as doctests (its testing examples use the
/// `server` feature).
#[cfg(all(doctest, feature = "server"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
