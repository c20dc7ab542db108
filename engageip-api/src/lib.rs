#![doc = include_str!("lib.md")]
// docs.rs (`--cfg docsrs`, see `[package.metadata.docs.rs]`): a badge on every item a feature
// gates.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The testing guide (simulator, fault injection, record and replay): its examples need the
// server side.
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

/// The transport guide moved out of the README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/transport.md")]
pub struct TransportDoctests;

/// This crate's README (its registry page), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
