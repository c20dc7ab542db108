//! A stateful EngageIP simulator (feature `server`): the five operations with EngageIP's
//! semantics over an in-memory store, for testing billing integrations without a production
//! EngageIP (where `UpgradeUserPackage` can charge a real credit card).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use engageip_api::Credentials;
//! use engageip_api::server::ServerHandle;
//! use engageip_api::simulator::{DataSet, Simulator};
//!
//! let simulator = Arc::new(Simulator::new(DataSet::builtin(), Credentials::new("admin", "secret")));
//! let server = ServerHandle::start("127.0.0.1:0", simulator.clone()).await?;
//! println!("EngageIP simulator at {}", server.url());
//! # Ok(())
//! # }
//! ```
//!
//! Rules (see also the README):
//! - every call needs the configured credentials in its `AuthHeader`, else `INVALID CREDENTIALS`
//!   (`soap:Client`);
//! - `GetPackages` lists an owner's packages (a customer has none); an unknown username is
//!   `INVALID USERNAME`;
//! - `GetPackageUpgrades` looks the package up among the user's owner's packages
//!   (`INVALID PACKAGE` when absent) and offers the upgrade paths that are assignable now: not
//!   `InactiveOverride`, started, not expired;
//! - `GetPackageServices` finds the package by name, within `ownerUsername`'s packages when
//!   given (`INVALID PACKAGE NAME`, `INVALID USERNAME`);
//! - `UpgradeUserPackage` moves a user package along an offered upgrade path
//!   (`INVALID PACKAGE ID`, `INVALID TARGET PACKAGE ID`); with `chargeCreditCard` it charges
//!   the target's amount plus its one-time amount first, and a declined card
//!   (`CREDIT CARD CHARGE FAILED`) changes nothing;
//! - `UpdatePackage` validates everything before changing anything (`INVALID PACKAGE`,
//!   `INVALID PACKAGE NAME`, `INVALID DATETIME`, `INVALID BASE UNIT TYPE NAME`,
//!   `INVALID INVOICE IDENTIFIER`, and the simulator's own `INVALID SKU` and
//!   `INVALID FREQUENCY`); a rename is visible to `GetPackages` at once.
//!
//! One mutex guards the store and is never held across an `.await`, so concurrent calls are
//! safe and each one is atomic.

mod data;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

pub use data::{BUILTIN_JSON, DataError, DataSet};
use data::{PackageRecord, User};

use crate::auth::Credentials;
use crate::generated::faults::DocumentedFault;
use crate::generated::server::{RequestHeaders, ServerFault, WebService};
use crate::generated::types::{
    GetPackageServices, GetPackageUpgrades, GetPackages, Package, Service, UpdatePackage, UpgradeUserPackage,
};
use crate::runtime::{DateTime, Offset};

/// The fault the simulator sends when a credit-card charge fails (not a documented text).
pub const CHARGE_FAILED: &str = "CREDIT CARD CHARGE FAILED";
/// The simulator's fault for a missing or blank `sku` in `UpdatePackage` (not documented).
pub const INVALID_SKU: &str = "INVALID SKU";
/// The simulator's fault for a `frequency` below 1 in `UpdatePackage` (not documented).
pub const INVALID_FREQUENCY: &str = "INVALID FREQUENCY";

/// A user package as the simulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPackage {
    /// The user package ID.
    pub id: i32,
    /// The customer's username.
    pub username: String,
    /// The package it is on.
    pub package_id: i32,
}

/// A credit-card charge the simulator made.
#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    /// The customer charged.
    pub username: String,
    /// The user package upgraded.
    pub user_package_id: i32,
    /// The package upgraded to.
    pub package_id: i32,
    /// The amount: the target's recurring amount plus its one-time amount.
    pub amount: f64,
}

/// The decoded request of a call the simulator received (the `AuthHeader`, which carries the
/// password, is not part of it).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CallRequest {
    /// A `GetPackages` request.
    GetPackages(GetPackages),
    /// A `GetPackageUpgrades` request.
    GetPackageUpgrades(GetPackageUpgrades),
    /// A `GetPackageServices` request.
    GetPackageServices(GetPackageServices),
    /// An `UpgradeUserPackage` request.
    UpgradeUserPackage(UpgradeUserPackage),
    /// An `UpdatePackage` request.
    UpdatePackage(UpdatePackage),
}

/// What the simulator did with a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// The operation ran and succeeded (for `UpgradeUserPackage` and `UpdatePackage`: the
    /// change, and any charge, were made).
    Performed,
    /// The operation ran and answered with this fault message; nothing changed.
    Faulted(String),
    /// The credentials were refused (`INVALID CREDENTIALS`); the operation did not run.
    Refused,
}

/// One call the simulator received, in the order received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The operation's WSDL name.
    pub operation: &'static str,
    /// The decoded request; `None` when the credentials were refused before it was read.
    pub request: Option<CallRequest>,
    /// What the simulator did.
    pub outcome: CallOutcome,
}

struct State {
    data: DataSet,
    charges: Vec<Charge>,
    all_charges_fail: bool,
    calls: Vec<Call>,
}

/// The simulator: implements [`WebService`] over an in-memory [`DataSet`].
pub struct Simulator {
    credentials: Credentials,
    now: Option<DateTime>,
    state: Mutex<State>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("credentials", &self.credentials)
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

fn fault(f: DocumentedFault) -> ServerFault {
    ServerFault::Documented(f)
}

/// Seconds and ticks since the epoch; an offset-less value is taken as UTC (the simulator's
/// clock is UTC).
fn instant(dt: &DateTime) -> (i64, u32) {
    dt.unix_timestamp().or_else(|| dt.with_offset(Offset::Utc).unix_timestamp()).unwrap_or((0, 0))
}

/// The system clock as (seconds, ticks) since the Unix epoch, UTC.
fn system_now() -> (i64, u32) {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or((0, 0), |d| (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos() / 100))
}

fn is_offered(p: &Package, now: (i64, u32)) -> bool {
    !p.inactive_override
        && instant(&p.start_date) <= now
        && p.expiry_date.as_ref().is_none_or(|expiry| now < instant(expiry))
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

impl State {
    fn user(&self, username: Option<&str>) -> Result<&User, ServerFault> {
        let username = username.unwrap_or_default();
        self.data
            .users
            .iter()
            .find(|u| !username.is_empty() && u.username.eq_ignore_ascii_case(username))
            .ok_or_else(|| fault(DocumentedFault::InvalidUsername))
    }

    /// The owner whose packages a user sees: itself for an owner, its owner for a customer.
    fn scope(user: &User) -> i32 {
        user.owner_id.unwrap_or(user.id)
    }

    fn package_named(&self, name: &str, owner: Option<i32>) -> Option<&PackageRecord> {
        self.data
            .packages
            .values()
            .find(|p| p.package.name.as_deref() == Some(name) && owner.is_none_or(|o| p.package.owner_id == o))
    }
}

impl Simulator {
    /// A simulator over `data`, accepting exactly `credentials`.
    pub fn new(data: DataSet, credentials: Credentials) -> Self {
        Simulator {
            credentials,
            now: None,
            state: Mutex::new(State { data, charges: Vec::new(), all_charges_fail: false, calls: Vec::new() }),
        }
    }

    /// A simulator over the built-in `demo-isp` data set.
    pub fn builtin(credentials: Credentials) -> Self {
        Simulator::new(DataSet::builtin(), credentials)
    }

    /// Pins the simulator's clock (start and expiry dates are checked against it); the system
    /// clock (UTC) is used otherwise.
    pub fn with_now(mut self, now: DateTime) -> Self {
        self.now = Some(now);
        self
    }

    fn now(&self) -> (i64, u32) {
        self.now.as_ref().map_or_else(system_now, instant)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a half-applied change: every operation
        // validates first and mutates last.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes every credit-card charge fail (`true`) or follow each customer's card (`false`).
    pub fn set_all_charges_fail(&self, fail: bool) {
        self.lock().all_charges_fail = fail;
    }

    /// Declines (`true`) or accepts a customer's card. Returns whether the user exists.
    pub fn set_card_declined(&self, username: &str, declined: bool) -> bool {
        let mut state = self.lock();
        match state.data.users.iter_mut().find(|u| u.username.eq_ignore_ascii_case(username)) {
            Some(u) => {
                u.card_declined = declined;
                true
            }
            None => false,
        }
    }

    /// A user package, as it is now.
    pub fn user_package(&self, id: i32) -> Option<UserPackage> {
        let state = self.lock();
        let up = state.data.user_packages.get(&id)?;
        let username = state.data.users.iter().find(|u| u.id == up.user_id)?.username.clone();
        Some(UserPackage { id: up.id, username, package_id: up.package_id })
    }

    /// A package, as it is now.
    pub fn package(&self, id: i32) -> Option<Package> {
        self.lock().data.packages.get(&id).map(|p| p.package.clone())
    }

    /// Every credit-card charge made so far, in order.
    pub fn charges(&self) -> Vec<Charge> {
        self.lock().charges.clone()
    }

    /// Every call received so far, in order: the operation, the decoded request (never the
    /// password) and what the simulator did. A call an injected `drop-before` or `status`
    /// stopped never reaches the simulator and is not here.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// How many calls of `operation` were performed (ran and succeeded).
    pub fn performed(&self, operation: &str) -> usize {
        self.lock().calls.iter().filter(|c| c.operation == operation && c.outcome == CallOutcome::Performed).count()
    }

    fn log<T>(
        &self,
        operation: &'static str,
        request: CallRequest,
        result: Result<T, ServerFault>,
    ) -> Result<T, ServerFault> {
        let outcome = match &result {
            Ok(_) => CallOutcome::Performed,
            Err(f) => CallOutcome::Faulted(f.message().to_owned()),
        };
        self.lock().calls.push(Call { operation, request: Some(request), outcome });
        result
    }

    fn get_packages_now(&self, request: &GetPackages) -> Result<Vec<Package>, ServerFault> {
        let state = self.lock();
        let user = state.user(request.username.as_deref())?;
        if user.owner_id.is_some() {
            return Ok(Vec::new());
        }
        Ok(state.data.packages.values().filter(|p| p.package.owner_id == user.id).map(|p| p.package.clone()).collect())
    }

    fn get_package_upgrades_now(&self, request: &GetPackageUpgrades) -> Result<Vec<Package>, ServerFault> {
        let now = self.now();
        let state = self.lock();
        let user = state.user(request.username.as_deref())?;
        let name = request.packagename.as_deref().unwrap_or_default();
        let record = state
            .package_named(name, Some(State::scope(user)))
            .ok_or_else(|| fault(DocumentedFault::InvalidPackage))?;
        Ok(record
            .upgrades
            .iter()
            .filter_map(|id| state.data.packages.get(id))
            .map(|p| &p.package)
            .filter(|p| is_offered(p, now))
            .cloned()
            .collect())
    }

    fn get_package_services_now(&self, request: &GetPackageServices) -> Result<Vec<Service>, ServerFault> {
        let state = self.lock();
        let owner = match request.owner_username.as_deref() {
            Some(o) if !o.is_empty() => Some(State::scope(state.user(Some(o))?)),
            _ => None,
        };
        let name = request.package_name.as_deref().unwrap_or_default();
        let record = state.package_named(name, owner).ok_or_else(|| fault(DocumentedFault::InvalidPackageName))?;
        Ok(record.services.clone())
    }

    fn upgrade_user_package_now(&self, request: &UpgradeUserPackage) -> Result<(), ServerFault> {
        let now = self.now();
        let mut state = self.lock();
        let up = *state
            .data
            .user_packages
            .get(&request.user_package_id)
            .ok_or_else(|| fault(DocumentedFault::InvalidPackageId))?;
        let current =
            state.data.packages.get(&up.package_id).ok_or_else(|| fault(DocumentedFault::InvalidPackageId))?;
        let target = state
            .data
            .packages
            .get(&request.target_package_id)
            .filter(|t| current.upgrades.contains(&t.package.id) && is_offered(&t.package, now))
            .ok_or_else(|| fault(DocumentedFault::InvalidTargetPackageId))?;
        let amount = target.package.amount + target.package.one_time_amount;
        let user = state
            .data
            .users
            .iter()
            .find(|u| u.id == up.user_id)
            .ok_or_else(|| fault(DocumentedFault::InvalidPackageId))?;
        let charge = if request.charge_credit_card {
            if state.all_charges_fail || user.card_declined {
                return Err(ServerFault::receiver(CHARGE_FAILED));
            }
            Some(Charge {
                username: user.username.clone(),
                user_package_id: up.id,
                package_id: request.target_package_id,
                amount,
            })
        } else {
            None
        };
        // Validated: now change everything at once.
        if let Some(up) = state.data.user_packages.get_mut(&request.user_package_id) {
            up.package_id = request.target_package_id;
        }
        state.charges.extend(charge);
        Ok(())
    }

    fn update_package_now(&self, request: &UpdatePackage) -> Result<(), ServerFault> {
        let mut state = self.lock();
        let name = request.package_name.as_deref().unwrap_or_default();
        let record = state.package_named(name, None).ok_or_else(|| fault(DocumentedFault::InvalidPackage))?;
        let (id, owner, old_start) = (record.package.id, record.package.owner_id, record.package.start_date);
        let new_name = request.new_package_name.as_deref().map(str::trim).unwrap_or_default();
        if new_name.is_empty() {
            return Err(fault(DocumentedFault::InvalidPackageName));
        }
        let taken =
            state.data.packages.values().any(|p| {
                p.package.id != id && p.package.owner_id == owner && p.package.name.as_deref() == Some(new_name)
            });
        if taken {
            return Err(fault(DocumentedFault::InvalidPackageName));
        }
        if blank(request.sku.as_deref()) {
            return Err(ServerFault::receiver(INVALID_SKU));
        }
        // SQL Server's datetime starts in 1753; an expiry must follow the start.
        let in_range = |d: &Option<DateTime>| d.as_ref().is_none_or(|d| d.year() >= 1753);
        if !in_range(&request.start_date) || !in_range(&request.expiry_date) {
            return Err(fault(DocumentedFault::InvalidDatetime));
        }
        let start = request.start_date.unwrap_or(old_start);
        if request.expiry_date.as_ref().is_some_and(|e| instant(e) <= instant(&start)) {
            return Err(fault(DocumentedFault::InvalidDatetime));
        }
        if request.frequency < 1 {
            return Err(ServerFault::receiver(INVALID_FREQUENCY));
        }
        let unit_name = request.base_time_unit_type_name.as_deref().unwrap_or_default();
        let unit = state
            .data
            .time_units
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(unit_name.trim()))
            .map(|(id, _)| *id)
            .ok_or_else(|| fault(DocumentedFault::InvalidBaseUnitTypeName))?;
        let invoice = match request.invoice_identifier.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(i) => state
                .data
                .invoice_identifiers
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(i))
                .map(|(id, _)| *id)
                .ok_or_else(|| fault(DocumentedFault::InvalidInvoiceIdentifier))?,
        };
        // Validated: now change everything at once.
        let Some(record) = state.data.packages.get_mut(&id) else { return Err(fault(DocumentedFault::InvalidPackage)) };
        let p = &mut record.package;
        p.name = Some(new_name.to_owned());
        p.sku = request.sku.clone();
        p.description = request.description.clone();
        p.start_date = start;
        p.expiry_date = request.expiry_date;
        p.frequency = request.frequency;
        p.base_time_unit_type_id = unit;
        p.inactive_override = request.in_active_override;
        p.show_to_user_portal = request.show_to_user_portal;
        p.invoice_identifier_id = invoice;
        Ok(())
    }
}

impl WebService for Simulator {
    async fn authenticate(&self, operation: &'static str, headers: &RequestHeaders) -> Result<(), ServerFault> {
        match &headers.auth_header {
            Some(h) if self.credentials.matches(h) => Ok(()),
            _ => {
                self.lock().calls.push(Call { operation, request: None, outcome: CallOutcome::Refused });
                Err(ServerFault::sender(DocumentedFault::InvalidCredentials.message()))
            }
        }
    }

    async fn get_packages(&self, request: GetPackages) -> Result<Vec<Package>, ServerFault> {
        let result = self.get_packages_now(&request);
        self.log("GetPackages", CallRequest::GetPackages(request), result)
    }

    async fn get_package_upgrades(&self, request: GetPackageUpgrades) -> Result<Vec<Package>, ServerFault> {
        let result = self.get_package_upgrades_now(&request);
        self.log("GetPackageUpgrades", CallRequest::GetPackageUpgrades(request), result)
    }

    async fn get_package_services(&self, request: GetPackageServices) -> Result<Vec<Service>, ServerFault> {
        let result = self.get_package_services_now(&request);
        self.log("GetPackageServices", CallRequest::GetPackageServices(request), result)
    }

    async fn upgrade_user_package(&self, request: UpgradeUserPackage) -> Result<(), ServerFault> {
        let result = self.upgrade_user_package_now(&request);
        self.log("UpgradeUserPackage", CallRequest::UpgradeUserPackage(request), result)
    }

    async fn update_package(&self, request: UpdatePackage) -> Result<(), ServerFault> {
        let result = self.update_package_now(&request);
        self.log("UpdatePackage", CallRequest::UpdatePackage(request), result)
    }
}
