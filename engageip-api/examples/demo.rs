//! A tour of the five EngageIP operations against the in-process simulator:
//!
//! ```text
//! cargo run -p engageip-api --features server --example demo
//! ```
//!
//! Starts the simulator (built-in `demo-isp` data set) on a loopback port, then calls every
//! operation with the generated client, in SOAP 1.2, and prints what each returns, faults
//! included.

use std::sync::Arc;

use engageip_api::server::ServerHandle;
use engageip_api::simulator::Simulator;
use engageip_api::{Client, Credentials, Error, Package, SoapVersion, UpdatePackage};

fn show_packages(packages: &[Package]) {
    for p in packages {
        let expiry = p.expiry_date.map_or_else(|| "none".to_owned(), |d| d.to_string());
        println!(
            "    #{:<4} {:<18} {:>8.2} every {} x unit {}  start {}  expiry {}{}",
            p.id,
            p.name.as_deref().unwrap_or("?"),
            p.amount,
            p.frequency,
            p.base_time_unit_type_id,
            p.start_date,
            expiry,
            if p.inactive_override { "  [InactiveOverride]" } else { "" }
        );
    }
}

fn show_error(e: &Error) {
    match e.documented_fault() {
        Some(f) => println!("    fault: {f} ({e})"),
        None => println!("    error: {e}"),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new("demo", "demo-password");
    let simulator = Arc::new(Simulator::builtin(credentials.clone()));
    let server = ServerHandle::start("127.0.0.1:0", simulator.clone()).await?;
    println!("EngageIP simulator listening at {}\n", server.url());

    let client = Client::builder(server.url())
        .credentials(credentials.username(), credentials.password())
        .soap_version(SoapVersion::Soap12)
        .build()?;

    println!("1. GetPackages(\"demo-isp\")");
    show_packages(&client.get_packages("demo-isp").await?);

    println!(
        "\n2. GetPackageUpgrades(\"alice\", \"Basic Internet\")  (expired, InactiveOverride and future packages are not offered)"
    );
    show_packages(&client.get_package_upgrades("alice", "Basic Internet").await?);

    println!("\n3. GetPackageServices(\"Basic Internet\", owner \"demo-isp\")");
    for s in client.get_package_services("Basic Internet", "demo-isp").await? {
        println!(
            "    #{:<4} {:<26} {:>7.2}  sku {}",
            s.id,
            s.name.as_deref().unwrap_or("?"),
            s.base_fee,
            s.sku.as_deref().unwrap_or("-")
        );
    }
    println!("   GetPackageServices(\"Static IP Add-on\")  (a package without services)");
    println!("    {} service(s)", client.get_package_services("Static IP Add-on", None::<String>).await?.len());

    println!("\n4. UpgradeUserPackage(5001 → 102 \"Fiber 500\", charge the card)");
    client.upgrade_user_package(5001, 102, true).await?;
    let up = simulator.user_package(5001).ok_or("user package 5001")?;
    println!("    done: {}'s user package {} is now on package {}", up.username, up.id, up.package_id);
    for c in simulator.charges() {
        println!("    charged {} {:.2} for user package {}", c.username, c.amount, c.user_package_id);
    }
    println!("   UpgradeUserPackage(5002 → 102, charge the card)  (bob's card is declined)");
    if let Err(e) = client.upgrade_user_package(5002, 102, true).await {
        show_error(&e);
    }
    println!("    bob's user package is still on package {}", simulator.user_package(5002).map_or(0, |u| u.package_id));

    println!("\n5. UpdatePackage(\"Fiber 1000\" → \"Fiber 1G\", yearly)");
    let update = UpdatePackage::builder()
        .package_name("Fiber 1000")
        .new_package_name("Fiber 1G")
        .sku("NET-F1G")
        .description("1 Gbps fiber, renamed")
        .start_date(Some("2025-03-01T00:00:00Z".parse().map_err(|e| format!("{e}"))?))
        .frequency(1)
        .base_time_unit_type_name("Year")
        .in_active_override(false)
        .show_to_user_portal(true)
        .invoice_identifier("Internet")
        .build()?;
    client.update_package(&update).await?;
    println!("   GetPackages(\"demo-isp\") right after: the new name is visible at once");
    show_packages(&client.get_packages("demo-isp").await?.into_iter().filter(|p| p.id == 106).collect::<Vec<_>>());
    println!("   UpdatePackage with base unit \"Fortnight\"");
    let mut bad = update.clone();
    bad.package_name = Some("Fiber 1G".into());
    bad.base_time_unit_type_name = Some("Fortnight".into());
    if let Err(e) = client.update_package(&bad).await {
        show_error(&e);
    }

    println!("\nA wrong password:");
    let intruder = Client::builder(server.url()).credentials("demo", "guess").build()?;
    if let Err(e) = intruder.get_packages("demo-isp").await {
        show_error(&e);
    }
    server.shutdown();
    Ok(())
}
