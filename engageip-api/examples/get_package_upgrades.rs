//! `GetPackageUpgrades`: the packages a user can move to from one of theirs.
//!
//! ```text
//! cargo run -p engageip-api --features server --example get_package_upgrades -- alice "Basic Internet"
//! ```

mod common;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let user = args.next().unwrap_or_else(|| "alice".to_owned());
    let package = args.next().unwrap_or_else(|| "Basic Internet".to_owned());
    let (client, _server) = common::connect().await?;
    let upgrades = client.get_package_upgrades(user.as_str(), package.as_str()).await?;
    println!("{} upgrade(s) for {user} from {package:?}:", upgrades.len());
    for p in upgrades {
        println!("  #{:<4} {:<20} {:>8.2}", p.id, p.name.unwrap_or_default(), p.amount);
    }
    Ok(())
}
