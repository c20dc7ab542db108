//! A blocking client with the same methods as the async [`crate::Client`], for scripts and
//! programs without an async runtime (cargo feature `blocking`).
//!
//! ```no_run
//! # fn run() -> Result<(), engageip_api::Error> {
//! let client = engageip_api::blocking::Client::builder("https://billing.example.com")
//!     .credentials("api-user", "secret")
//!     .build()?;
//! let packages = client.get_packages("demo-isp")?;
//! println!("{} packages", packages.len());
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use crate::error::Error;
use crate::runtime::{Operation, SoapVersion};
use crate::{ClientBuilder as AsyncBuilder, RetryPolicy};

/// Builds a blocking [`Client`]; the same settings as [`crate::ClientBuilder`].
#[derive(Debug)]
pub struct ClientBuilder(AsyncBuilder);

impl ClientBuilder {
    /// See [`crate::ClientBuilder::path`].
    pub fn path(self, path: impl Into<String>) -> Self {
        ClientBuilder(self.0.path(path))
    }
    /// See [`crate::ClientBuilder::credentials`].
    pub fn credentials(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        ClientBuilder(self.0.credentials(username, password))
    }
    /// See [`crate::ClientBuilder::soap_version`].
    pub fn soap_version(self, version: SoapVersion) -> Self {
        ClientBuilder(self.0.soap_version(version))
    }
    /// See [`crate::ClientBuilder::connect_timeout`].
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        ClientBuilder(self.0.connect_timeout(timeout))
    }
    /// See [`crate::ClientBuilder::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        ClientBuilder(self.0.timeout(timeout))
    }
    /// See [`crate::ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(self, limit: usize) -> Self {
        ClientBuilder(self.0.max_response_bytes(limit))
    }
    /// See [`crate::ClientBuilder::retry_policy`].
    pub fn retry_policy(self, retry: RetryPolicy) -> Self {
        ClientBuilder(self.0.retry_policy(retry))
    }
    /// See [`crate::ClientBuilder::danger_accept_invalid_certs`].
    pub fn danger_accept_invalid_certs(self, accept: bool) -> Self {
        ClientBuilder(self.0.danger_accept_invalid_certs(accept))
    }

    /// Builds the client and its single-threaded runtime.
    pub fn build(self) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the blocking client's runtime: {e}")))?;
        // reqwest's client must be built inside a runtime context to bind its timers.
        let inner = {
            let _guard = runtime.enter();
            self.0.build()?
        };
        Ok(Client { inner, runtime })
    }
}

/// A blocking EngageIP client. Calls block the current thread; do not use it from inside an
/// async runtime (such calls fail with [`Error::Config`] instead of deadlocking).
#[derive(Debug)]
pub struct Client {
    inner: crate::Client,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    /// A builder for the service at `url`; see [`crate::Client::builder`].
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder(crate::Client::builder(url))
    }

    /// The endpoint URL calls go to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint()
    }

    /// Calls operation `O`, blocking until it completes: the generated methods wrap this.
    pub fn call<O: Operation>(&self, request: &O::Request) -> Result<O::Response, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(format!(
                "{}: the blocking client was called from inside an async runtime; use engageip_api::Client there",
                O::NAME
            )));
        }
        self.runtime.block_on(self.inner.call::<O>(request))
    }
}
