//! `GetPackageServices`: the services of a package, and the typed fault for an unknown one.
//!
//! ```text
//! cargo run -p engageip-api --features server --example get_package_services -- "Basic Internet"
//! ```

mod common;

use engageip_api::DocumentedFault;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let package = std::env::args().nth(1).unwrap_or_else(|| "Basic Internet".to_owned());
    let (client, _server) = common::connect().await?;
    match client.get_package_services(package.as_str(), None::<String>).await {
        Ok(services) => {
            for s in services {
                println!(
                    "#{:<4} {:<26} {:>7.2}  sku {}",
                    s.id,
                    s.name.unwrap_or_default(),
                    s.base_fee,
                    s.sku.unwrap_or_default()
                );
            }
        }
        Err(e) if e.documented_fault() == Some(DocumentedFault::InvalidPackageName) => {
            println!("no package named {package:?}");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
