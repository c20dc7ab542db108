//! Test certificates made fresh by each test (rcgen): a CA, a server certificate it signs for
//! `localhost` and `127.0.0.1`, and a client certificate it signs for mutual TLS; and the
//! rustls server configurations of a loopback TLS server that trusts that CA.
#![allow(dead_code)]

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA with one server and one client certificate.
pub struct Pki {
    /// The CA certificate, PEM.
    pub ca_pem: String,
    /// The server certificate (for `localhost` and `127.0.0.1`), PEM.
    pub server_pem: String,
    server_der: CertificateDer<'static>,
    server_key: Vec<u8>,
    /// The client certificate, PEM.
    pub client_pem: String,
    /// The client's private key, PEM (PKCS#8).
    pub client_key_pem: String,
    ca_der: CertificateDer<'static>,
}

impl Pki {
    /// A new CA named `name` and its certificates.
    pub fn new(name: &str) -> Pki {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, name);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key")).expect("CA");

        let mut server_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("server params");
        server_params.distinguished_name.push(DnType::CommonName, "localhost");
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().expect("server key");
        let server = server_params.signed_by(&server_key, &ca).expect("server certificate");

        let mut client_params = CertificateParams::new(Vec::<String>::new()).expect("client params");
        client_params.distinguished_name.push(DnType::CommonName, "engageip test client");
        client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate().expect("client key");
        let client = client_params.signed_by(&client_key, &ca).expect("client certificate");

        Pki {
            ca_pem: ca.pem(),
            ca_der: ca.der().clone(),
            server_pem: server.pem(),
            server_der: server.der().clone(),
            server_key: server_key.serialize_der(),
            client_pem: client.pem(),
            client_key_pem: client_key.serialize_pem(),
        }
    }

    /// A TLS acceptor serving the server certificate; when `require_client_cert`, the
    /// handshake fails unless the client presents a certificate this CA signed.
    pub fn acceptor(&self, require_client_cert: bool) -> tokio_rustls::TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("versions");
        let builder = if require_client_cert {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(self.ca_der.clone()).expect("CA root");
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.clone()));
        let mut config = builder.with_single_cert(vec![self.server_der.clone()], key).expect("server config");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }
}
