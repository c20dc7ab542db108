//! The clients as the runtime's transports: code that `engageip-codegen` generates for any
//! WSDL (its `client` module's extension traits) calls its operations through them.

use std::future::Future;

use crate::runtime::{Operation, Transport};
use crate::{Client, Error};

impl Transport for Client {
    type Error = Error;

    fn call<O: Operation>(&self, request: &O::Request) -> impl Future<Output = Result<O::Response, Error>> + Send {
        Client::call::<O>(self, request)
    }
}

#[cfg(feature = "blocking")]
impl crate::runtime::BlockingTransport for crate::blocking::Client {
    type Error = Error;

    fn call<O: Operation>(&self, request: &O::Request) -> Result<O::Response, Error> {
        crate::blocking::Client::call::<O>(self, request)
    }
}
