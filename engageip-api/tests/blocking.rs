//! The blocking client: same methods, same wire format, no async runtime needed.
#![cfg(feature = "blocking")]

mod common;
mod replay;

use engageip_api::blocking::Client;
use engageip_api::{DocumentedFault, Error, SoapVersion};
use replay::{Reply, load, serve};

/// Starts the replay server on a runtime of its own, as a non-async program would talk to a
/// server it does not run.
fn serve_blocking(name: &str) -> (String, replay::Log, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let capture = load(name);
    let (url, log) = runtime.block_on(serve(Reply::from(&capture)));
    (url, log, runtime)
}

#[test]
fn get_packages_blocking_soap12() {
    let (url, log, _rt) = serve_blocking("soap12-GetPackages-ok");
    let client =
        Client::builder(url).credentials("admin", "secret").soap_version(SoapVersion::Soap12).build().expect("client");
    let packages = client.get_packages("owner1").expect("packages");
    assert_eq!(packages.len(), 2);
    assert_eq!(packages[1].name.as_deref(), Some("Plus & <More>"));
    let sent = log.recorded()[0].body.clone();
    assert_eq!(sent, load("soap12-GetPackages-ok").request_body, "same bytes as the async client");
}

#[test]
fn faults_are_typed_in_blocking_mode_too() {
    let (url, _log, _rt) = serve_blocking("soap11-fault-UpgradeUserPackage-INVALID_PACKAGE_ID");
    let client = Client::builder(url).credentials("admin", "secret").build().expect("client");
    let err = client.upgrade_user_package(999, 2, false).expect_err("fault");
    assert_eq!(err.documented_fault(), Some(DocumentedFault::InvalidPackageId));
}

#[test]
fn refuses_to_block_inside_an_async_runtime() {
    let (url, log, rt) = serve_blocking("soap11-GetPackages-ok");
    let client = Client::builder(url).credentials("admin", "secret").build().expect("client");
    let err = rt.block_on(async { client.get_packages("owner1") }).expect_err("must not block a runtime");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("inside an async runtime"), "{err}");
    assert!(log.recorded().is_empty(), "nothing was sent");
}
