//! The client's configuration, one for the async and the blocking client alike:
//! [`ClientBuilder`] holds it, and [`ClientBuilder::build`] turns it into a
//! [`Client`](crate::Client) or (with `Blocking`) a `blocking::Client`.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::auth::Credentials;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::runtime::SoapVersion;
use crate::tls::{Certificate, Identity, TlsSettings};

/// The ASMX endpoint path the API reference documents; used when the URL has no path.
pub const DEFAULT_PATH: &str = "/adminportal/webservice.asmx";
/// Default limit on a response body: 64 MiB (after decompression).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Default time to establish a connection (TCP, proxy and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline of a whole call (request, response and any retries).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("engageip-api/", env!("CARGO_PKG_VERSION"));

/// Which proxy calls go through.
#[derive(Clone, Default)]
pub(crate) enum ProxySetting {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (and lower-case forms).
    #[default]
    Environment,
    /// None, whatever the environment says.
    None,
    /// This one, for every call.
    Url(String),
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::None => f.write_str("None"),
            // A proxy URL may carry its own password: never shown.
            ProxySetting::Url(url) => match reqwest::Url::parse(url) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("redacted"));
                    }
                    write!(f, "Url({u})")
                }
                Err(_) => f.write_str("Url(<unparsable>)"),
            },
        }
    }
}

/// Every setting of a client.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) url: String,
    pub(crate) path: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) version: SoapVersion,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) tls: TlsSettings,
    pub(crate) proxy: ProxySetting,
    pub(crate) user_agent: String,
}

/// What [`Config::build_parts`] makes.
pub(crate) struct Parts {
    pub(crate) http: reqwest::Client,
    pub(crate) endpoint: reqwest::Url,
    pub(crate) credentials: Credentials,
    pub(crate) user_agent: reqwest::header::HeaderValue,
}

impl Config {
    /// Checks the settings and builds the HTTP client (unless the caller supplied one).
    pub(crate) fn build_parts(&self) -> Result<Parts, Error> {
        let mut url =
            reqwest::Url::parse(&self.url).map_err(|e| Error::Config(format!("invalid URL `{}`: {e}", self.url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!("URL scheme `{}` is not http or https", url.scheme())));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config("put credentials in `credentials(..)`, not in the URL".to_owned()));
        }
        match &self.path {
            Some(p) => url.set_path(p),
            None if url.path() == "/" || url.path().is_empty() => url.set_path(DEFAULT_PATH),
            None => {}
        }
        let credentials =
            self.credentials.clone().ok_or_else(|| Error::Config("credentials are required".to_owned()))?;
        let user_agent = reqwest::header::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config(format!("User-Agent `{}` is not a valid header value", self.user_agent)))?;
        let http = match &self.http {
            Some(c) => c.clone(),
            None => self.build_http(url.scheme() == "https")?,
        };
        Ok(Parts { http, endpoint: url, credentials, user_agent })
    }

    fn build_http(&self, https: bool) -> Result<reqwest::Client, Error> {
        let proxy_is_https = matches!(&self.proxy, ProxySetting::Url(u) if u.starts_with("https:"));
        let tls = self.tls.client_config(https || proxy_is_https)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            // Calls set their own deadline per request (which overrides this); this one bounds
            // other requests made with the same client, such as the drift check's GET.
            .timeout(self.timeout)
            // A redirect would re-send the body, password included, to wherever the Location
            // header points (and repeat a charge): report it instead.
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls);
        builder = match &self.proxy {
            ProxySetting::Environment => builder,
            ProxySetting::None => builder.no_proxy(),
            ProxySetting::Url(u) => builder.proxy(
                reqwest::Proxy::all(u.as_str())
                    .map_err(|e| Error::Config(format!("invalid proxy URL: {}", crate::error::chain(&e))))?,
            ),
        };
        builder.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", crate::error::chain(&e))))
    }
}

/// The async client's mode of [`ClientBuilder`]: `build()` makes a [`crate::Client`].
#[derive(Debug, Clone, Copy)]
pub enum Async {}

/// Builds a client: [`crate::Client`] (`ClientBuilder<Async>`, the default) or, with feature
/// `blocking`, `blocking::Client` (`ClientBuilder<Blocking>`). Both take the same settings.
///
/// ```no_run
/// # fn f() -> Result<(), engageip_api::Error> {
/// use std::time::Duration;
/// use engageip_api::{Certificate, Client, Identity};
///
/// let ca = std::fs::read("internal-ca.pem").expect("CA file");
/// let client = Client::builder("https://billing.internal.example")
///     .credentials("api-user", std::env::var("ENGAGEIP_PASSWORD").unwrap_or_default())
///     .add_root_certificates(Certificate::from_pem_bundle(&ca)?)
///     .identity(Identity::from_pem(&std::fs::read("client.pem").expect("cert"), &std::fs::read("client.key").expect("key"))?)
///     .proxy("http://proxy.internal.example:3128")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok(()) }
/// ```
pub struct ClientBuilder<Mode = Async> {
    pub(crate) config: Config,
    mode: PhantomData<Mode>,
}

impl<Mode> fmt::Debug for ClientBuilder<Mode> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientBuilder").field(&self.config).finish()
    }
}

impl<Mode> Clone for ClientBuilder<Mode> {
    fn clone(&self) -> Self {
        ClientBuilder { config: self.config.clone(), mode: PhantomData }
    }
}

impl ClientBuilder<Async> {
    pub(crate) fn new(url: String) -> Self {
        ClientBuilder {
            config: Config {
                url,
                path: None,
                credentials: None,
                version: SoapVersion::Soap11,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                timeout: DEFAULT_TIMEOUT,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                retry: RetryPolicy::default(),
                http: None,
                tls: TlsSettings::default(),
                proxy: ProxySetting::Environment,
                user_agent: DEFAULT_USER_AGENT.to_owned(),
            },
            mode: PhantomData,
        }
    }

    /// Builds the async client.
    pub fn build(self) -> Result<crate::Client, Error> {
        crate::Client::from_config(self.config)
    }
}

impl<Mode> ClientBuilder<Mode> {
    /// The HTTP client these settings describe, and the response size limit: what calls and
    /// the drift check (`crate::drift`) share. The URL is not checked beyond its scheme.
    #[cfg(feature = "drift")]
    pub(crate) fn transport(&self) -> Result<(reqwest::Client, usize), Error> {
        let https = !self.config.url.trim_start().to_ascii_lowercase().starts_with("http://");
        let http = match &self.config.http {
            Some(c) => c.clone(),
            None => self.config.build_http(https)?,
        };
        Ok((http, self.config.max_response_bytes))
    }

    /// The same settings for a client of another mode (for example a blocking one).
    #[cfg(feature = "blocking")]
    pub(crate) fn into_mode<Other>(self) -> ClientBuilder<Other> {
        ClientBuilder { config: self.config, mode: PhantomData }
    }

    /// The endpoint path, such as `/BOSS/WebService.asmx` (the reference shows both that and
    /// `/adminportal/webservice.asmx`). Replaces any path in the base URL.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.config.path = Some(path.into());
        self
    }

    /// The credentials sent in the `AuthHeader` of every call.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.config.credentials = Some(Credentials::new(username, password));
        self
    }

    /// SOAP 1.1 (the default) or SOAP 1.2.
    pub fn soap_version(mut self, version: SoapVersion) -> Self {
        self.config.version = version;
        self
    }

    /// Time to establish a connection: TCP, the proxy's tunnel and the TLS handshake (default
    /// 10 s). A call that times out here was not sent ([`Error::Connect`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Deadline of a whole call: request, response body and any retries (default 60 s).
    /// [`crate::Client::with_timeout`] overrides it per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Largest response body accepted, counted after decompression and enforced while
    /// reading, so memory stays bounded by it (default 64 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Retry policy for read-only operations (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// Trusts `certificate` as a root (a certificate authority) besides the system's trust
    /// store, or instead of it with [`Self::trust_only_added_roots`]. See
    /// [`Certificate::from_pem_bundle`] and [`Certificate::from_der`].
    pub fn add_root_certificate(mut self, certificate: Certificate) -> Self {
        self.config.tls.roots.push(certificate);
        self
    }

    /// [`Self::add_root_certificate`] for each of `certificates`.
    pub fn add_root_certificates(mut self, certificates: impl IntoIterator<Item = Certificate>) -> Self {
        self.config.tls.roots.extend(certificates);
        self
    }

    /// Trusts only the roots added with [`Self::add_root_certificate`], not the system's
    /// (default `false`: the system's trust store and the added roots).
    pub fn trust_only_added_roots(mut self, only: bool) -> Self {
        self.config.tls.only_added_roots = only;
        self
    }

    /// Presents this client certificate to servers that ask for one (mutual TLS).
    pub fn identity(mut self, identity: Identity) -> Self {
        self.config.tls.identity = Some(identity);
        self
    }

    /// Sends every call through this HTTP proxy (`http://host:port`, optionally
    /// `http://user:password@host:port`), whatever the environment says. An `https://`
    /// endpoint goes through a `CONNECT` tunnel, so the proxy sees only the host name; an
    /// `http://` endpoint is forwarded in the clear, so the proxy sees the envelope, and
    /// with it the password.
    ///
    /// Without this call (or [`Self::no_proxy`]) the environment decides, as curl does:
    /// `HTTPS_PROXY` for `https://` endpoints, `HTTP_PROXY` for `http://` ones, `ALL_PROXY`
    /// for both (lower-case names too), except for hosts listed in `NO_PROXY`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.config.proxy = ProxySetting::Url(url.into());
        self
    }

    /// Connects directly, ignoring any proxy the environment names.
    pub fn no_proxy(mut self) -> Self {
        self.config.proxy = ProxySetting::None;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`], `engageip-api/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Accepts any server certificate, even expired, self-signed or for another host (the
    /// connection is encrypted but not authenticated). Dangerous: only for test servers,
    /// never in production.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.config.tls.danger_accept_invalid_certs = accept;
        self
    }

    /// Uses a caller-built reqwest client ([`crate::reqwest`] is the version this crate
    /// uses). Kept: the per-call deadline ([`Self::timeout`], applied to each request), the
    /// size limit, the `User-Agent`, retries and outcome classification; a response that
    /// comes from another URL than the endpoint is an [`Error::Redirected`], never used.
    /// Lost: everything the client itself decides, namely its redirect policy (reqwest
    /// follows up to 10 by default, re-sending the envelope, password included, and possibly
    /// repeating a charge before this crate sees the answer: build it with
    /// `.redirect(reqwest::redirect::Policy::none())`), its TLS roots and identity, its
    /// proxies, its connect timeout and whether it decompresses gzip; the builder's settings for
    /// those are ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http = Some(client);
        self
    }
}
