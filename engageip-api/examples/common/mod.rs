//! Shared by the per-operation examples: a client for `ENGAGEIP_URL` when it is set (with
//! `ENGAGEIP_USERNAME` and `ENGAGEIP_PASSWORD`), otherwise for the simulator started
//! in-process with its built-in `demo-isp` data set.

use std::sync::Arc;

use engageip_api::server::ServerHandle;
use engageip_api::simulator::Simulator;
use engageip_api::{Client, Credentials, SoapVersion};

/// The client, and the simulator's server when one was started (keep it alive).
pub async fn connect() -> Result<(Client, Option<ServerHandle>), Box<dyn std::error::Error>> {
    let version = match std::env::var("ENGAGEIP_SOAP_VERSION").as_deref() {
        Ok("1.2") => SoapVersion::Soap12,
        _ => SoapVersion::Soap11,
    };
    if let Ok(url) = std::env::var("ENGAGEIP_URL") {
        let username = std::env::var("ENGAGEIP_USERNAME")?;
        let password = std::env::var("ENGAGEIP_PASSWORD")?;
        let client = Client::builder(url).credentials(username, password).soap_version(version).build()?;
        return Ok((client, None));
    }
    let credentials = Credentials::new("demo", "demo-password");
    let simulator = Arc::new(Simulator::builtin(credentials.clone()));
    let server = ServerHandle::start("127.0.0.1:0", simulator).await?;
    eprintln!("(no ENGAGEIP_URL: using the built-in simulator at {})", server.url());
    let client = Client::builder(server.url())
        .credentials(credentials.username(), credentials.password())
        .soap_version(version)
        .build()?;
    Ok((client, Some(server)))
}
