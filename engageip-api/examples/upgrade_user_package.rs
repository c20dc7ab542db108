//! `UpgradeUserPackage`: moves a user package to another package, optionally charging the
//! card. Never retried automatically; an `OutcomeUnknown` error means "it may or may not have
//! happened": no API operation can confirm an upgrade, so check in EngageIP before retrying.
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
        Err(e @ Error::OutcomeUnknown { .. }) => {
            let cause = std::error::Error::source(&e).map(|c| c.to_string()).unwrap_or_default();
            println!("{e} ({cause}): check the user's packages and charges in EngageIP before retrying");
        }
        Err(e) => match e.documented_fault() {
            Some(fault) => println!("refused: {fault}"),
            None => return Err(e.into()),
        },
    }
    Ok(())
}
