//! `UpdatePackage`: renames a package and sets its billing frequency, through the generated
//! request type (eleven arguments).
//!
//! ```text
//! cargo run -p engageip-api --features server --example update_package -- "Basic Internet" "Basic Internet Plus"
//! ```

mod common;

use engageip_api::UpdatePackage;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "Basic Internet".to_owned());
    let new_name = args.next().unwrap_or_else(|| format!("{name} (renamed)"));
    let (client, _server) = common::connect().await?;
    // Only what the schema requires is mandatory; `expiry_date` stays `None`, sent as
    // xsi:nil: no expiry.
    let request = UpdatePackage::builder()
        .package_name(name.as_str())
        .new_package_name(new_name.as_str())
        .sku("BASIC-2")
        .description("Updated by the update_package example")
        .start_date("2024-01-01T00:00:00Z".parse::<engageip_api::DateTime>()?)
        .frequency(1)
        .base_time_unit_type_name("Month")
        .in_active_override(false)
        .show_to_user_portal(true)
        .build()?;
    client.update_package(&request).await?;
    println!("{name:?} is now {new_name:?}");
    let owner = std::env::var("ENGAGEIP_OWNER").unwrap_or_else(|_| "demo-isp".to_owned());
    let renamed =
        client.get_packages(owner.as_str()).await?.into_iter().find(|p| p.name.as_deref() == Some(new_name.as_str()));
    println!("visible to GetPackages: {}", renamed.is_some());
    Ok(())
}
