//! Serve the EngageIP API yourself (feature `server`).
//!
//! The generated half: the [`WebService`] trait (one async method per operation, typed
//! request in, typed result or [`ServerFault`] out, plus an authentication hook over the
//! decoded [`RequestHeaders`]) and [`dispatch`], which turns a transport-neutral
//! [`HttpRequest`] into the [`HttpResponse`] ASMX would send. The hand-written half: a small
//! hyper adapter, [`serve`] and [`ServerHandle`], which serves any [`Endpoint`]: a
//! `WebService` (answering `GET ...asmx?WSDL` with the committed WSDL at the request's own
//! address, with [`ServeOptions::inject`]'s faults), a [`Replay`] of recorded exchanges, or a
//! [`Recorder`] in front of a real EngageIP. [`crate::simulator::Simulator`] is a ready-made
//! `WebService`. See the crate documentation's "Testing your integration".

mod endpoint;
mod http;
mod inject;
mod record;
mod recording;
mod replay;

pub use crate::generated::server::{RequestHeaders, ServerFault, WebService, dispatch};
pub use crate::runtime::server::{HttpRequest, HttpResponse};
pub use endpoint::{Endpoint, EndpointRequest, Reply, describe};
pub use http::{DEFAULT_MAX_REQUEST_BYTES, ServeOptions, ServerHandle, WSDL, serve};
pub use inject::{FaultAction, FaultInjector, Injection, InjectionError};
pub use record::{Recorder, RecorderError};
pub use recording::{REDACTED, Recording, RecordingError, read_dir as read_recordings};
pub use replay::Replay;
