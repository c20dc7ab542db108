//! TLS settings: extra trusted roots, a client identity for mutual TLS, and the rustls
//! configuration built from them with an explicit crypto provider (ring), so that building a
//! client never installs a process-wide default provider.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::Error;

/// A trusted root certificate (a certificate authority), for
/// [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate).
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate(CertificateDer<'static>);

impl Certificate {
    /// Every certificate of a PEM file (`-----BEGIN CERTIFICATE-----` sections; other
    /// sections are skipped). An error when there is none or one is malformed.
    pub fn from_pem_bundle(pem: &[u8]) -> Result<Vec<Certificate>, Error> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .map(|c| c.map(Certificate))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Config(format!("invalid PEM certificate: {e}")))?;
        if certs.is_empty() {
            return Err(Error::Config("no PEM certificate (-----BEGIN CERTIFICATE-----) found".to_owned()));
        }
        Ok(certs)
    }

    /// One DER-encoded certificate (checked when the client is built).
    pub fn from_der(der: impl Into<Vec<u8>>) -> Certificate {
        Certificate(CertificateDer::from(der.into()))
    }

    /// The DER encoding.
    pub fn as_der(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Certificate({} bytes of DER)", self.0.len())
    }
}

/// A client certificate chain and its private key, for mutual TLS
/// ([`ClientBuilder::identity`](crate::ClientBuilder::identity)). `Debug` never shows the key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Identity {
    /// From PEM: `certificate` holds the client certificate first, then any intermediates;
    /// `key` its private key (PKCS#8, PKCS#1 or SEC1). The two may be the same file.
    pub fn from_pem(certificate: &[u8], key: &[u8]) -> Result<Identity, Error> {
        let chain = Certificate::from_pem_bundle(certificate)?.into_iter().map(|c| c.0).collect();
        let key = PrivateKeyDer::from_pem_slice(key).map_err(|e| match e {
            rustls::pki_types::pem::Error::NoItemsFound => {
                Error::Config("no PEM private key (-----BEGIN PRIVATE KEY-----) found".to_owned())
            }
            e => Error::Config(format!("invalid PEM private key: {e}")),
        })?;
        Ok(Identity { chain, key })
    }
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Identity { chain: self.chain.clone(), key: self.key.clone_key() }
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({} certificates, private key redacted)", self.chain.len())
    }
}

/// What the TLS layer is configured with.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsSettings {
    pub(crate) roots: Vec<Certificate>,
    pub(crate) only_added_roots: bool,
    pub(crate) identity: Option<Identity>,
    pub(crate) danger_accept_invalid_certs: bool,
}

impl TlsSettings {
    /// The rustls configuration (HTTP/1.1 only, ring as the explicit provider). `need_system`
    /// says whether a missing system trust store is an error (an `https` endpoint) or merely
    /// leaves TLS with nothing to trust (an `http` endpoint never uses it).
    pub(crate) fn client_config(&self, need_system: bool) -> Result<rustls::ClientConfig, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls_error = |e: rustls::Error| Error::Config(format!("TLS: {e}"));
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?;
        let roots = self.roots.iter().map(|c| c.0.clone());
        let builder = if self.danger_accept_invalid_certs {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate {
                algorithms: provider.signature_verification_algorithms,
            }))
        } else if self.only_added_roots {
            if self.roots.is_empty() {
                return Err(Error::Config(
                    "trust_only_added_roots(true) needs at least one add_root_certificate(..)".to_owned(),
                ));
            }
            let mut store = rustls::RootCertStore::empty();
            for cert in roots {
                store.add(cert).map_err(|e| Error::Config(format!("invalid root certificate: {e}")))?;
            }
            builder.with_root_certificates(store)
        } else {
            match rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone()) {
                Ok(verifier) => builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)),
                Err(e @ rustls::Error::General(_)) if !need_system => {
                    // No system roots on this machine; plain HTTP never needs them.
                    tracing::debug!(error = %e, "no system trust store; TLS would trust nothing");
                    builder.with_root_certificates(rustls::RootCertStore::empty())
                }
                Err(e) => return Err(Error::Config(format!("TLS trust store: {e}"))),
            }
        };
        let mut config = match &self.identity {
            Some(id) => builder
                .with_client_auth_cert(id.chain.clone(), id.key.clone_key())
                .map_err(|e| Error::Config(format!("invalid client identity: {e}")))?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// `danger_accept_invalid_certs`: any server certificate is accepted; the handshake's
/// signatures are still checked, so the connection is encrypted, just not authenticated.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
