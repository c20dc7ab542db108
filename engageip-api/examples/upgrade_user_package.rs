//! `UpgradeUserPackage`: moves a user package to another package, optionally charging the
//! card. Never retried automatically; an `OutcomeUnknown` error means "check before retrying".
//!
//! ```text
//! cargo run -p engageip-api --features server --example upgrade_user_package -- 5001 102
//! ```

mod common;

use engageip_api::Error;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let user_package: i32 = args.next().as_deref().unwrap_or("5001").parse()?;
    let target: i32 = args.next().as_deref().unwrap_or("102").parse()?;
    let (client, _server) = common::connect().await?;
    match client.upgrade_user_package(user_package, target, true).await {
        Ok(()) => println!("user package {user_package} now on package {target}"),
        Err(e @ Error::OutcomeUnknown { .. }) => println!("unknown outcome, reconcile first: {e}"),
        Err(e) => match e.documented_fault() {
            Some(fault) => println!("refused: {fault}"),
            None => return Err(e.into()),
        },
    }
    Ok(())
}
