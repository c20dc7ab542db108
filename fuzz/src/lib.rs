//! Fuzz harnesses for engageip-rs. The functions live in plain modules so that the workspace's
//! ordinary tests can include them (`#[path]`) and replay `seeds/` and `regressions/`.

mod api;
mod wsdl;

pub use api::{covered_operations, fault, request, response};
pub use wsdl::{ANNOTATIONS_SEPARATOR, wsdl};
