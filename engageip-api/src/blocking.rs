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

use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::runtime::{Operation, SoapVersion};

/// The blocking client's mode of [`crate::ClientBuilder`]: `build()` makes a [`Client`].
#[derive(Debug, Clone, Copy)]
pub enum Blocking {}

/// Builds a blocking [`Client`]: the same builder, settings and documentation as
/// [`crate::ClientBuilder`], whose `build()` here makes a blocking client.
pub type ClientBuilder = crate::ClientBuilder<Blocking>;

impl crate::ClientBuilder<Blocking> {
    /// Builds the client and its single-threaded runtime.
    pub fn build(self) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the blocking client's runtime: {e}")))?;
        // reqwest's client must be built inside a runtime context to bind its timers.
        let inner = {
            let _guard = runtime.enter();
            self.into_mode::<crate::Async>().build()?
        };
        Ok(Client { inner, runtime: Arc::new(runtime) })
    }
}

/// A blocking EngageIP client. Calls block the current thread; do not use it from inside an
/// async runtime (such calls fail with [`Error::Config`] instead of deadlocking). Clones share
/// the connection pool and the runtime.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Client {
    /// A builder for the service at `url`; see [`crate::Client::builder`].
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        crate::Client::builder(url).into_mode()
    }

    /// The endpoint URL calls go to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint()
    }

    /// The SOAP version in use.
    pub fn soap_version(&self) -> SoapVersion {
        self.inner.soap_version()
    }

    /// This client with another per-call deadline; see [`crate::Client::with_timeout`].
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { inner: self.inner.with_timeout(timeout), runtime: self.runtime.clone() }
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
