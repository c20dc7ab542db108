//! `engageip`: call the EngageIP SOAP API from the command line, or serve the simulator.
//!
//! ```text
//! engageip --url URL --username USER [--soap-version 1.1|1.2] [TRANSPORT FLAGS] COMMAND ...
//! engageip --username USER serve [--addr 127.0.0.1:0] [--data FIXTURE] [--inject OPERATION=ACTION[*N]]...
//! engageip serve --replay DIR [--addr 127.0.0.1:0]
//! engageip record --upstream URL --out DIR [--addr 127.0.0.1:0] [TRANSPORT FLAGS]
//! engageip drift --against URL_OR_FILE [--json | --markdown]
//! ```
//!
//! Transport flags (see `transport_flags`): `--ca-cert PATH` (repeatable), `--client-cert PATH
//! --client-key PATH`, `--proxy URL`, `--no-proxy`, `--timeout SECS`, `--connect-timeout SECS`.
//!
//! The password is read from `ENGAGEIP_PASSWORD`, never from a flag. Results are JSON on
//! stdout. Exit status: 0 on success, 1 for a fault, transport or decode error (on stderr),
//! 2 for bad usage, 3 when a non-idempotent call may or may not have been performed (stderr
//! says what to check before running it again).

#[path = "engageip/transport_flags.rs"]
mod transport_flags;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use engageip_api::server::serve;
use engageip_api::simulator::{DataSet, Simulator};
use engageip_api::{Client, Credentials, DEFAULT_PATH, DateTime, Package, Service, SoapVersion, UpdatePackage};
use serde_json::{Value, json};

// Each subcommand beyond the calls lives in its own file under `engageip/`.
#[path = "engageip/doubles.rs"]
mod doubles;
#[path = "engageip/drift.rs"]
mod drift;

const PASSWORD_VAR: &str = "ENGAGEIP_PASSWORD";

fn cli() -> Command {
    let date =
        |s: &str| s.parse::<DateTime>().map_err(|e| format!("not an xs:dateTime ({e}), e.g. 2025-01-31T00:00:00Z"));
    transport_flags::add(Command::new("engageip"))
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call the EngageIP billing SOAP API, or serve a local simulator of it")
        .after_help(format!("The password is read from the {PASSWORD_VAR} environment variable, never from a flag."))
        .subcommand_required(true)
        .arg(
            Arg::new("url")
                .long("url")
                .value_name("URL")
                .global(true)
                .help("The service's URL (the default path is /adminportal/webservice.asmx)"),
        )
        .arg(
            Arg::new("username")
                .long("username")
                .value_name("USER")
                .global(true)
                .help("The API username (serve: the username it accepts)"),
        )
        .arg(
            Arg::new("soap-version")
                .long("soap-version")
                .value_name("VERSION")
                .value_parser(["1.1", "1.2"])
                .default_value("1.1")
                .global(true)
                .help("SOAP version"),
        )
        .subcommand(
            Command::new("get-packages")
                .about("GetPackages: the packages an owner defines")
                .arg(Arg::new("USERNAME").required(true).help("The owner's username")),
        )
        .subcommand(
            Command::new("get-package-upgrades")
                .about("GetPackageUpgrades: the packages a user can upgrade a package to")
                .arg(Arg::new("USERNAME").required(true))
                .arg(Arg::new("PACKAGENAME").required(true)),
        )
        .subcommand(
            Command::new("get-package-services")
                .about("GetPackageServices: the services of a package")
                .arg(Arg::new("PACKAGENAME").required(true))
                .arg(Arg::new("owner").long("owner").value_name("USERNAME").help("The package's owner")),
        )
        .subcommand(
            Command::new("upgrade-user-package")
                .about("UpgradeUserPackage: move a user package to an upgrade package")
                .arg(Arg::new("USER_PACKAGE_ID").required(true).value_parser(value_parser!(i32)))
                .arg(Arg::new("TARGET_PACKAGE_ID").required(true).value_parser(value_parser!(i32)))
                .arg(
                    Arg::new("charge-credit-card")
                        .long("charge-credit-card")
                        .action(ArgAction::SetTrue)
                        .help("Charge the user's credit card for the upgrade"),
                ),
        )
        .subcommand(
            Command::new("update-package")
                .about("UpdatePackage: change (and rename) a package")
                .arg(Arg::new("PACKAGENAME").required(true))
                .arg(Arg::new("new-name").long("new-name").value_name("N").required(true))
                .arg(Arg::new("sku").long("sku").value_name("S").required(true))
                .arg(
                    Arg::new("frequency")
                        .long("frequency")
                        .value_name("F")
                        .required(true)
                        .value_parser(value_parser!(i32)),
                )
                .arg(
                    Arg::new("base-unit")
                        .long("base-unit")
                        .value_name("NAME")
                        .required(true)
                        .help("Base time unit type: Day, Week, Month, Year, ..."),
                )
                .arg(Arg::new("description").long("description").value_name("D"))
                .arg(Arg::new("start-date").long("start-date").value_name("T").value_parser(date))
                .arg(Arg::new("expiry-date").long("expiry-date").value_name("T").value_parser(date))
                .arg(Arg::new("inactive-override").long("inactive-override").action(ArgAction::SetTrue))
                .arg(Arg::new("show-to-user-portal").long("show-to-user-portal").action(ArgAction::SetTrue))
                .arg(Arg::new("invoice-identifier").long("invoice-identifier").value_name("I")),
        )
        .subcommand(drift::command())
        .subcommand(doubles::record_command())
        .subcommand(doubles::serve_args(
            Command::new("serve")
                .about("Serve the simulator, accepting --username and ENGAGEIP_PASSWORD; prints its URL first")
                .arg(
                    Arg::new("addr")
                        .long("addr")
                        .value_name("ADDR")
                        .default_value("127.0.0.1:0")
                        .value_parser(value_parser!(SocketAddr)),
                )
                .arg(
                    Arg::new("data")
                        .long("data")
                        .value_name("FIXTURE")
                        .help("A JSON data set (default: the built-in demo-isp data)"),
                ),
        ))
}

/// Why the program stops.
enum Failure {
    /// Bad usage: exit 2.
    Usage(String),
    /// The call (or the server) failed: exit 1.
    Failed(String),
    /// A call failed: its exit status (1, or 3 when the outcome is unknown) and message.
    Call(transport_flags::CallFailure),
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            // `drift` keeps 2 for breaking drift: its usage errors are "could not compare".
            let usage = if drift::invoked() { drift::CANNOT_COMPARE } else { 2 };
            return if e.use_stderr() { ExitCode::from(usage) } else { ExitCode::SUCCESS };
        }
    };
    if let Some(("drift", sub)) = matches.subcommand() {
        return drift::main(sub);
    }
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("engageip: error: {}", one_line(&message));
            eprintln!("Run `engageip --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("engageip: {}", one_line(&message));
            ExitCode::from(1)
        }
        Err(Failure::Call(failure)) => {
            for line in &failure.lines {
                eprintln!("engageip: {}", one_line(line));
            }
            ExitCode::from(failure.exit_status)
        }
    }
}

fn required<'a>(m: &'a ArgMatches, id: &str, what: &str) -> Result<&'a str, Failure> {
    m.get_one::<String>(id).map(String::as_str).ok_or_else(|| Failure::Usage(format!("{what} is required")))
}

fn run(m: &ArgMatches) -> Result<(), Failure> {
    if let Some(result) = m.subcommand().and_then(|(command, sub)| doubles::run_standalone(command, sub)) {
        return result;
    }
    let username = required(m, "username", "--username USER")?.to_owned();
    let password = match std::env::var(PASSWORD_VAR) {
        Ok(p) => p,
        Err(std::env::VarError::NotPresent) => {
            return Err(Failure::Usage(format!("set the password in the {PASSWORD_VAR} environment variable")));
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Failure::Usage(format!("{PASSWORD_VAR} is not valid Unicode")));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(format!("cannot start the async runtime: {e}")))?;
    let Some((command, sub)) = m.subcommand() else { return Err(Failure::Usage("a command is required".to_owned())) };
    if command == "serve" {
        return runtime.block_on(run_serve(sub, Credentials::new(username, password)));
    }
    let url = required(m, "url", "--url URL")?;
    let version = match m.get_one::<String>("soap-version").map(String::as_str) {
        Some("1.2") => SoapVersion::Soap12,
        _ => SoapVersion::Soap11,
    };
    let builder = Client::builder(url).credentials(username, password).soap_version(version);
    let client = transport_flags::configure(builder, m)
        .map_err(Failure::Usage)?
        .build()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let value = runtime.block_on(call(&client, command, sub))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| Failure::Failed(format!("cannot write JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Failure::Failed(format!("cannot write to stdout: {e}")))?;
    Ok(())
}

fn arg<'a>(m: &'a ArgMatches, id: &str) -> Option<&'a str> {
    m.get_one::<String>(id).map(String::as_str)
}

async fn call(client: &Client, command: &str, m: &ArgMatches) -> Result<Value, Failure> {
    let failed = |e: engageip_api::Error| Failure::Call(transport_flags::failure(&e));
    match command {
        "get-packages" => {
            let packages = client.get_packages(arg(m, "USERNAME")).await.map_err(failed)?;
            Ok(Value::Array(packages.iter().map(package_json).collect()))
        }
        "get-package-upgrades" => {
            let packages =
                client.get_package_upgrades(arg(m, "USERNAME"), arg(m, "PACKAGENAME")).await.map_err(failed)?;
            Ok(Value::Array(packages.iter().map(package_json).collect()))
        }
        "get-package-services" => {
            let services = client.get_package_services(arg(m, "PACKAGENAME"), arg(m, "owner")).await.map_err(failed)?;
            Ok(Value::Array(services.iter().map(service_json).collect()))
        }
        "upgrade-user-package" => {
            let id = m.get_one::<i32>("USER_PACKAGE_ID").copied().unwrap_or_default();
            let target = m.get_one::<i32>("TARGET_PACKAGE_ID").copied().unwrap_or_default();
            let charge = m.get_flag("charge-credit-card");
            client.upgrade_user_package(id, target, charge).await.map_err(failed)?;
            Ok(json!({ "ok": true, "userPackageID": id, "targetPackageID": target, "chargeCreditCard": charge }))
        }
        "update-package" => {
            let request = UpdatePackage {
                package_name: arg(m, "PACKAGENAME").map(str::to_owned),
                new_package_name: arg(m, "new-name").map(str::to_owned),
                sku: arg(m, "sku").map(str::to_owned),
                description: arg(m, "description").map(str::to_owned),
                start_date: m.get_one::<DateTime>("start-date").copied(),
                expiry_date: m.get_one::<DateTime>("expiry-date").copied(),
                frequency: m.get_one::<i32>("frequency").copied().unwrap_or_default(),
                base_time_unit_type_name: arg(m, "base-unit").map(str::to_owned),
                in_active_override: m.get_flag("inactive-override"),
                show_to_user_portal: m.get_flag("show-to-user-portal"),
                invoice_identifier: arg(m, "invoice-identifier").map(str::to_owned),
            };
            client.update_package(&request).await.map_err(failed)?;
            Ok(json!({ "ok": true, "packageName": request.package_name, "newPackageName": request.new_package_name }))
        }
        other => Err(Failure::Usage(format!("unknown command `{other}`"))),
    }
}

fn date(d: &DateTime) -> Value {
    Value::String(d.to_string())
}

/// A package as JSON, keyed by its XML element names.
fn package_json(p: &Package) -> Value {
    json!({
        "ID": p.id,
        "Name": p.name,
        "SKU": p.sku,
        "OwnerID": p.owner_id,
        "Frequency": p.frequency,
        "BaseTimeUnitTypeID": p.base_time_unit_type_id,
        "Amount": p.amount,
        "CreatedDate": date(&p.created_date),
        "Description": p.description,
        "OneTimeAmount": p.one_time_amount,
        "InactiveOverride": p.inactive_override,
        "StartDate": date(&p.start_date),
        "ExpiryDate": p.expiry_date.as_ref().map(date),
        "InvoiceIdentifierID": p.invoice_identifier_id,
        "ShowToUserPortal": p.show_to_user_portal,
    })
}

/// A service as JSON, keyed by its XML element names.
fn service_json(s: &Service) -> Value {
    json!({
        "ID": s.id,
        "ServiceTypeID": s.service_type_id,
        "Name": s.name,
        "OwnerID": s.owner_id,
        "BaseTimeUnitTypeID": s.base_time_unit_type_id,
        "BaseTimeUnit": s.base_time_unit,
        "CreatedDate": date(&s.created_date),
        "BaseFee": s.base_fee,
        "Description": s.description,
        "InvoiceIdentifierID": s.invoice_identifier_id,
        "Inactive": s.inactive,
        "BillingPeriodTypeID": s.billing_period_type_id,
        "ShowOnTicketTransaction": s.show_on_ticket_transaction,
        "SKU": s.sku,
    })
}

async fn run_serve(m: &ArgMatches, credentials: Credentials) -> Result<(), Failure> {
    let data = match arg(m, "data") {
        None => DataSet::builtin(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Usage(format!("cannot read data set {path}: {e}")))?;
            DataSet::from_json(&text).map_err(|e| Failure::Usage(format!("invalid data set {path}: {e}")))?
        }
    };
    let addr = m.get_one::<SocketAddr>("addr").copied().unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Failed(format!("cannot listen on {addr}: {e}")))?;
    let local =
        listener.local_addr().map_err(|e| Failure::Failed(format!("cannot read the listening address: {e}")))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{local}{DEFAULT_PATH}")
            .and_then(|()| out.flush())
            .map_err(|e| Failure::Failed(format!("cannot write to stdout: {e}")))?;
    }
    eprintln!("engageip: serving the EngageIP simulator for user {}; stop with Ctrl-C", credentials.username());
    let simulator = Arc::new(Simulator::new(data, credentials));
    serve(listener, simulator, doubles::serve_options(m))
        .await
        .map_err(|e| Failure::Failed(format!("the server stopped: {e}")))
}
