//! Fault injection: the failures a billing integration must rehearse, applied by the hyper
//! adapter to the calls of one operation.
//!
//! A rule is written `OPERATION=ACTION[*N]` (the CLI's `serve --inject`): `N` limits it to the
//! next `N` matching calls (default: all). The actions:
//!
//! | action | what the caller sees | performed? |
//! | --- | --- | --- |
//! | `drop-after` | the connection closes without an answer | yes: the operation ran (the charge happened, the caller cannot know) |
//! | `drop-before` | the connection closes without an answer | no |
//! | `delay:MS` | the normal answer, `MS` milliseconds late | yes, before the wait (a caller that gives up still changed the data) |
//! | `status:CODE` | HTTP `CODE` with an HTML page, as IIS or a proxy sends when the application is down | no |
//!
//! The rules act after the request was read and its credentials accepted, so a call refused
//! for its credentials is answered as usual.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::generated::operations::OPERATIONS;
use crate::generated::server::{RequestHeaders, ServerFault, WebService};
use crate::generated::types::{
    GetPackageServices, GetPackageUpgrades, GetPackages, Package, Service, UpdatePackage, UpgradeUserPackage,
};

/// What an injected rule does to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// Perform the operation, then close the connection without answering.
    DropAfter,
    /// Close the connection without performing the operation.
    DropBefore,
    /// Perform the operation and answer normally, after this long.
    Delay(Duration),
    /// Answer with this HTTP status and an HTML page, without performing the operation.
    Status(u16),
}

impl fmt::Display for FaultAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultAction::DropAfter => f.write_str("drop-after"),
            FaultAction::DropBefore => f.write_str("drop-before"),
            FaultAction::Delay(d) => write!(f, "delay:{}", d.as_millis()),
            FaultAction::Status(code) => write!(f, "status:{code}"),
        }
    }
}

/// One rule: an operation, an action, and how many calls it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    /// The operation's WSDL name (`UpgradeUserPackage`).
    pub operation: String,
    /// What to do.
    pub action: FaultAction,
    /// Only the next this many matching calls; `None`: every one.
    pub times: Option<u32>,
}

impl Injection {
    /// A rule for every call of `operation`.
    pub fn new(operation: impl Into<String>, action: FaultAction) -> Self {
        Injection { operation: operation.into(), action, times: None }
    }

    /// Limits the rule to the next `n` matching calls.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}

impl fmt::Display for Injection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.operation, self.action)?;
        match self.times {
            Some(n) => write!(f, "*{n}"),
            None => Ok(()),
        }
    }
}

/// Why a rule could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InjectionError {
    /// Not `OPERATION=ACTION[*N]`.
    #[error("`{0}` is not OPERATION=ACTION[*N]")]
    Syntax(String),
    /// The operation is not one of the service's.
    #[error("unknown operation `{operation}` in `{rule}` (one of: {known})")]
    UnknownOperation {
        /// The rule as written.
        rule: String,
        /// The operation named.
        operation: String,
        /// The service's operations.
        known: String,
    },
    /// The action is not one of `drop-after`, `drop-before`, `delay:MS`, `status:CODE`.
    #[error("unknown action `{action}` in `{rule}` (drop-after, drop-before, delay:MS or status:CODE)")]
    UnknownAction {
        /// The rule as written.
        rule: String,
        /// The action written.
        action: String,
    },
    /// A number (`MS`, `CODE` or `N`) that is not valid there.
    #[error("invalid {what} `{value}` in `{rule}`")]
    Number {
        /// The rule as written.
        rule: String,
        /// Which number.
        what: &'static str,
        /// As written.
        value: String,
    },
}

impl FromStr for Injection {
    type Err = InjectionError;

    /// Reads `OPERATION=ACTION[*N]`; the operation must be one of the service's.
    fn from_str(rule: &str) -> Result<Self, Self::Err> {
        let (operation, rest) = rule.split_once('=').ok_or_else(|| InjectionError::Syntax(rule.to_owned()))?;
        let operation = operation.trim();
        let Some(known) = OPERATIONS.iter().find(|o| o.eq_ignore_ascii_case(operation)) else {
            return Err(InjectionError::UnknownOperation {
                rule: rule.to_owned(),
                operation: operation.to_owned(),
                known: OPERATIONS.join(", "),
            });
        };
        let (action, times) = match rest.rsplit_once('*') {
            Some((action, n)) => {
                let n = n.trim().parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| InjectionError::Number {
                    rule: rule.to_owned(),
                    what: "count N (a whole number above 0)",
                    value: n.to_owned(),
                })?;
                (action, Some(n))
            }
            None => (rest, None),
        };
        let action = action.trim();
        let number = |value: &str, what: &'static str| InjectionError::Number {
            rule: rule.to_owned(),
            what,
            value: value.to_owned(),
        };
        let action = match action.split_once(':') {
            None if action == "drop-after" => FaultAction::DropAfter,
            None if action == "drop-before" => FaultAction::DropBefore,
            Some(("delay", ms)) => FaultAction::Delay(Duration::from_millis(
                ms.trim().parse().map_err(|_| number(ms, "delay in milliseconds"))?,
            )),
            Some(("status", code)) => {
                let code = code.trim().parse::<u16>().ok().filter(|c| (100..=999).contains(c));
                FaultAction::Status(code.ok_or_else(|| number(action, "HTTP status (100 to 999)"))?)
            }
            _ => return Err(InjectionError::UnknownAction { rule: rule.to_owned(), action: action.to_owned() }),
        };
        Ok(Injection { operation: (*known).to_owned(), action, times })
    }
}

/// The rules a server applies, shared by all its connections (cheap to clone: clones share
/// the rules and their counts). The first rule that matches a call and has calls left wins.
#[derive(Debug, Clone, Default)]
pub struct FaultInjector {
    rules: Arc<Mutex<Vec<Injection>>>,
}

impl FaultInjector {
    /// An injector with these rules.
    pub fn new(rules: impl IntoIterator<Item = Injection>) -> Self {
        FaultInjector { rules: Arc::new(Mutex::new(rules.into_iter().collect())) }
    }

    /// Adds a rule (after the existing ones); the server applies it from the next call on.
    pub fn push(&self, rule: Injection) {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).push(rule);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The rules with the calls they have left.
    pub fn rules(&self) -> Vec<Injection> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The action for a call of `operation`, counting it against its rule.
    fn take(&self, operation: &str) -> Option<FaultAction> {
        let mut rules = self.rules.lock().unwrap_or_else(PoisonError::into_inner);
        let rule = rules.iter_mut().find(|r| r.operation == operation && r.times != Some(0))?;
        if let Some(n) = rule.times.as_mut() {
            *n -= 1;
        }
        Some(rule.action)
    }
}

/// What the adapter must do with one request's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send it.
    Answer,
    /// Close the connection instead.
    Drop,
    /// Wait this long, then send it.
    Delay(Duration),
    /// Send this status and an HTML page instead.
    Status(u16),
}

/// A service wrapped for one request: asks the injector once the operation is known and its
/// credentials accepted (the `authenticate` hook is the first point that knows both).
pub(crate) struct Injecting<'a, S: ?Sized> {
    pub(crate) inner: &'a S,
    pub(crate) injector: &'a FaultInjector,
    pub(crate) verdict: Mutex<Verdict>,
}

impl<'a, S: WebService + ?Sized> Injecting<'a, S> {
    pub(crate) fn new(inner: &'a S, injector: &'a FaultInjector) -> Self {
        Injecting { inner, injector, verdict: Mutex::new(Verdict::Answer) }
    }

    pub(crate) fn verdict(&self) -> Verdict {
        *self.verdict.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The fault returned (never sent) to keep the dispatcher from running an operation that an
/// injected `drop-before` or `status` stops.
const STOPPED: &str = "stopped by an injected fault";

impl<S: WebService + ?Sized> WebService for Injecting<'_, S> {
    async fn authenticate(&self, operation: &'static str, headers: &RequestHeaders) -> Result<(), ServerFault> {
        self.inner.authenticate(operation, headers).await?;
        let (verdict, stop) = match self.injector.take(operation) {
            None => return Ok(()),
            Some(FaultAction::DropAfter) => (Verdict::Drop, false),
            Some(FaultAction::Delay(d)) => (Verdict::Delay(d), false),
            Some(FaultAction::DropBefore) => (Verdict::Drop, true),
            Some(FaultAction::Status(code)) => (Verdict::Status(code), true),
        };
        *self.verdict.lock().unwrap_or_else(PoisonError::into_inner) = verdict;
        if stop { Err(ServerFault::receiver(STOPPED)) } else { Ok(()) }
    }

    async fn get_packages(&self, request: GetPackages) -> Result<Vec<Package>, ServerFault> {
        self.inner.get_packages(request).await
    }

    async fn get_package_upgrades(&self, request: GetPackageUpgrades) -> Result<Vec<Package>, ServerFault> {
        self.inner.get_package_upgrades(request).await
    }

    async fn get_package_services(&self, request: GetPackageServices) -> Result<Vec<Service>, ServerFault> {
        self.inner.get_package_services(request).await
    }

    async fn upgrade_user_package(&self, request: UpgradeUserPackage) -> Result<(), ServerFault> {
        self.inner.upgrade_user_package(request).await
    }

    async fn update_package(&self, request: UpdatePackage) -> Result<(), ServerFault> {
        self.inner.update_package(request).await
    }
}

/// The HTML page sent for an injected `status:CODE`, shaped like IIS's error pages.
pub(crate) fn status_page(code: u16) -> String {
    let reason = match code {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>{code} - {reason}</title></head>\r\n\
         <body><h1>Server Error</h1><h2>{code} - {reason}.</h2></body></html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_print() {
        let r: Injection = "UpgradeUserPackage=drop-after*1".parse().expect("rule");
        assert_eq!(r, Injection::new("UpgradeUserPackage", FaultAction::DropAfter).times(1));
        assert_eq!(r.to_string(), "UpgradeUserPackage=drop-after*1");
        let r: Injection = "getpackages=delay:250".parse().expect("rule");
        assert_eq!(r, Injection::new("GetPackages", FaultAction::Delay(Duration::from_millis(250))));
        let r: Injection = "UpdatePackage=status:503*2".parse().expect("rule");
        assert_eq!((r.action, r.times), (FaultAction::Status(503), Some(2)));
        for bad in [
            "GetPackages",
            "Nope=drop-after",
            "GetPackages=explode",
            "GetPackages=delay:x",
            "GetPackages=status:42",
            "GetPackages=drop-before*0",
        ] {
            assert!(bad.parse::<Injection>().is_err(), "{bad}");
        }
        let e = "Nope=drop-after".parse::<Injection>().expect_err("unknown");
        assert!(e.to_string().contains("UpgradeUserPackage"), "{e}");
    }

    #[test]
    fn counted_rules_run_out_and_the_first_match_wins() {
        let injector = FaultInjector::new([
            Injection::new("GetPackages", FaultAction::DropBefore).times(2),
            Injection::new("GetPackages", FaultAction::Status(503)),
        ]);
        assert_eq!(injector.take("GetPackages"), Some(FaultAction::DropBefore));
        assert_eq!(injector.take("UpdatePackage"), None);
        assert_eq!(injector.take("GetPackages"), Some(FaultAction::DropBefore));
        assert_eq!(injector.take("GetPackages"), Some(FaultAction::Status(503)));
        assert_eq!(injector.rules()[0].times, Some(0));
    }
}
