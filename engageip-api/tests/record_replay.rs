//! Record and replay in the library: a `Recorder` in front of the simulator writes every
//! exchange (never the password), a `Replay` of that directory answers the same calls with
//! the same results, and the recorded ASMX captures replay through the client.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use engageip_api::server::{Recorder, Replay, ServerHandle};
use engageip_api::simulator::Simulator;
use engageip_api::{Client, Credentials, DocumentedFault, SoapVersion, UpdatePackage};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("engageip-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn client(url: &str, version: SoapVersion, password: &str) -> Client {
    Client::builder(url).credentials("admin", password).soap_version(version).build().expect("client")
}

/// A session of calls, each result as text: successes, documented faults, a wrong password,
/// a repeated request whose answer changes in between.
async fn session(url: &str, version: SoapVersion) -> Vec<String> {
    let c = client(url, version, "s3cret&<pw>");
    let wrong = client(url, version, "wrong-password");
    let show = |r: Result<String, engageip_api::Error>| match r {
        Ok(v) => format!("ok {v}"),
        Err(e) => format!("err {e}"),
    };
    let mut out = Vec::new();
    out.push(show(c.get_packages("demo-isp").await.map(|p| format!("{p:?}"))));
    out.push(show(c.get_packages("nobody").await.map(|p| format!("{p:?}"))));
    out.push(show(wrong.get_packages("demo-isp").await.map(|p| format!("{p:?}"))));
    out.push(show(c.get_package_upgrades("alice", "Basic Internet").await.map(|p| format!("{p:?}"))));
    out.push(show(c.get_package_services("Basic Internet", "demo-isp").await.map(|s| format!("{s:?}"))));
    out.push(show(c.upgrade_user_package(5001, 999, false).await.map(|()| "()".to_owned())));
    let rename = UpdatePackage {
        package_name: Some("Fiber 1000".into()),
        new_package_name: Some("Fiber 1G".into()),
        sku: Some("NET-F1G".into()),
        description: None,
        start_date: None,
        expiry_date: None,
        frequency: 1,
        base_time_unit_type_name: Some("Year".into()),
        in_active_override: false,
        show_to_user_portal: true,
        invoice_identifier: Some("Internet".into()),
    };
    // The same request twice: the first renames, the second finds no "Fiber 1000".
    out.push(show(c.update_package(&rename).await.map(|()| "()".to_owned())));
    out.push(show(c.update_package(&rename).await.map(|()| "()".to_owned())));
    out.push(show(c.get_packages("demo-isp").await.map(|p| format!("{p:?}"))));
    out
}

fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| String::from_utf8_lossy(&std::fs::read(e.path()).expect("file")).contains(needle))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn record_then_replay_gives_the_same_results_in_both_versions() {
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let dir = scratch(&format!("record-{version:?}"));
        let simulator = Arc::new(Simulator::builtin(Credentials::new("admin", "s3cret&<pw>")));
        let upstream = ServerHandle::start("127.0.0.1:0", simulator).await.expect("upstream");
        let recorder = Recorder::to_url(&upstream.url(), &dir).expect("recorder");
        let recording = ServerHandle::start("127.0.0.1:0", Arc::new(recorder)).await.expect("recorder serves");
        let live = session(&recording.url(), version).await;
        recording.shutdown();
        upstream.shutdown();
        assert!(live[0].starts_with("ok [Package"), "{live:?}");
        assert!(live[2].contains("INVALID CREDENTIALS"), "{live:?}");
        assert!(live[7].contains("INVALID PACKAGE"), "the repeated request failed the second time: {live:?}");

        let stored = std::fs::read_dir(&dir).expect("dir").count();
        assert_eq!(stored, 3 * live.len(), "three files per exchange");
        for secret in ["s3cret", "s3cret&amp;&lt;pw&gt;", "wrong-password"] {
            assert!(
                files_containing(&dir, secret).is_empty(),
                "{secret} stored in {:?}",
                files_containing(&dir, secret)
            );
        }
        assert_eq!(files_containing(&dir, "<Password>REDACTED</Password>").len(), live.len());

        let replay = ServerHandle::start("127.0.0.1:0", Arc::new(Replay::from_dir(&dir).expect("replay")))
            .await
            .expect("replay serves");
        let replayed = session(&replay.url(), version).await;
        assert_eq!(replayed, live, "{version}");
        // Once the recordings are used up, or for a request never recorded: the fault.
        let err = client(&replay.url(), version, "x").get_packages("carol").await.expect_err("unmatched");
        let fault = err.fault().expect("a SOAP fault");
        assert_eq!(fault.reason, "No recording matches this GetPackages request.");
        let again = client(&replay.url(), version, "x").get_package_upgrades("alice", "Basic Internet").await;
        let reason = again.expect_err("used up").fault().map(|f| f.reason.clone()).unwrap_or_default();
        assert_eq!(
            reason,
            "No recording matches this GetPackageUpgrades request: its one recorded answer was already replayed."
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test]
async fn the_recorded_wsdl_names_the_recorder() {
    let dir = scratch("record-wsdl");
    let simulator = Arc::new(Simulator::builtin(Credentials::new("admin", "secret")));
    let upstream = ServerHandle::start("127.0.0.1:0", simulator).await.expect("upstream");
    let recording =
        ServerHandle::start("127.0.0.1:0", Arc::new(Recorder::to_url(&upstream.url(), &dir).expect("recorder")))
            .await
            .expect("recorder serves");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let wsdl = reqwest::get(format!("{}?WSDL", recording.url())).await.expect("GET").text().await.expect("text");
    assert_eq!(wsdl.matches(&format!("location=\"{}\"", recording.url())).count(), 2, "{wsdl}");
    let replay = ServerHandle::start("127.0.0.1:0", Arc::new(Replay::from_dir(&dir).expect("replay")))
        .await
        .expect("replay serves");
    let wsdl = reqwest::get(format!("{}?wsdl", replay.url())).await.expect("GET").text().await.expect("text");
    assert_eq!(wsdl.matches(&format!("location=\"{}\"", replay.url())).count(), 2, "{wsdl}");
    let head = reqwest::Client::new().head(replay.url()).send().await.expect("HEAD");
    assert_eq!(head.status(), 405, "as the dispatcher answers");
    let _ = std::fs::remove_dir_all(&dir);
}

fn captures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asmx-captures")
}

/// The recorded ASMX exchanges read as a replay directory: the client's calls match them and
/// get what ASMX answered.
#[tokio::test]
async fn the_asmx_captures_replay_through_the_client() {
    let replay = Replay::from_dir(captures()).expect("the captures read as a replay directory");
    assert!(replay.recordings().len() > 50, "{}", replay.recordings().len());
    let server = ServerHandle::start("127.0.0.1:0", Arc::new(replay)).await.expect("serves");
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let c = client(&server.url(), version, "secret");
        let packages = c.get_packages("owner1").await.expect("GetPackages");
        assert_eq!(packages.iter().filter_map(|p| p.name.as_deref()).collect::<Vec<_>>(), ["Basic", "Plus & <More>"]);
        assert_eq!(packages[0].created_date.to_string(), "2024-02-29T12:00:00.1234567");
        let err = c.get_packages("nobody").await.expect_err("INVALID USERNAME");
        assert_eq!(err.documented_fault(), Some(DocumentedFault::InvalidUsername), "{version}: {err}");
        let services = c.get_package_services("Basic", "owner1").await;
        if version == SoapVersion::Soap11 {
            assert_eq!(services.expect("GetPackageServices")[0].name.as_deref(), Some("Email"));
        }
        c.upgrade_user_package(11, 2, false).await.expect("UpgradeUserPackage");
        let bad_password = client(&server.url(), version, "wrong").get_packages("owner1").await.expect_err("refused");
        assert_eq!(bad_password.fault().map(|f| f.message()), Some("INVALID CREDENTIALS"));
    }
    let soap11 = client(&server.url(), SoapVersion::Soap11, "secret");
    let err = soap11.upgrade_user_package(99, 2, true).await.expect_err("INVALID PACKAGE ID");
    assert_eq!(err.documented_fault(), Some(DocumentedFault::InvalidPackageId), "{err}");
    let soap12 = client(&server.url(), SoapVersion::Soap12, "secret");
    let err = soap12.upgrade_user_package(11, 1, true).await.expect_err("INVALID TARGET PACKAGE ID");
    assert_eq!(err.documented_fault(), Some(DocumentedFault::InvalidTargetPackageId), "{err}");
}
