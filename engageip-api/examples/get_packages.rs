//! `GetPackages`: the packages an owner defines.
//!
//! ```text
//! cargo run -p engageip-api --features server --example get_packages -- demo-isp
//! ```

mod common;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let owner = std::env::args().nth(1).unwrap_or_else(|| "demo-isp".to_owned());
    let (client, _server) = common::connect().await?;
    for p in client.get_packages(owner.as_str()).await? {
        let expiry = p.expiry_date.map_or_else(|| "never".to_owned(), |d| d.to_string());
        println!(
            "#{:<4} {:<20} {:>8.2}  starts {}  expires {expiry}",
            p.id,
            p.name.unwrap_or_default(),
            p.amount,
            p.start_date
        );
    }
    Ok(())
}
