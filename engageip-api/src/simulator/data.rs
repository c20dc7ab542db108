//! The simulator's data set: parsed from a JSON fixture and checked before use.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::generated::types::{Package, Service, Validate};
use crate::runtime::DateTime;

/// The built-in data set (owner `demo-isp`, see the README), as JSON.
pub const BUILTIN_JSON: &str = include_str!("demo-isp.json");

/// A fixture that cannot be used: what is wrong and where (a JSON path such as
/// `packages[2].start_date`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DataError {
    /// Where in the fixture (`$` for the whole document).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err(path: &str, message: impl Into<String>) -> DataError {
    DataError { path: path.to_owned(), message: message.into() }
}

/// A user: an owner (who defines packages) or an owner's customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    pub id: i32,
    pub username: String,
    /// The owner's user ID for a customer; `None` for an owner.
    pub owner_id: Option<i32>,
    pub card_declined: bool,
}

/// A package with what the schema's `Package` does not carry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PackageRecord {
    pub package: Package,
    /// IDs of the packages this one can be upgraded to, in offer order.
    pub upgrades: Vec<i32>,
    pub services: Vec<Service>,
}

/// A user's subscription to a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserPackageRecord {
    pub id: i32,
    pub user_id: i32,
    pub package_id: i32,
}

/// A simulator data set: owners, customers, base time unit types, invoice identifiers,
/// packages (with upgrade paths and services) and user packages.
///
/// Load one with [`DataSet::from_json`] or take [`DataSet::builtin`]; see the README for the
/// fixture format.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    pub(crate) users: Vec<User>,
    pub(crate) time_units: Vec<(i32, String)>,
    pub(crate) invoice_identifiers: Vec<(i32, String)>,
    pub(crate) packages: BTreeMap<i32, PackageRecord>,
    pub(crate) user_packages: BTreeMap<i32, UserPackageRecord>,
}

impl DataSet {
    /// The built-in data set: owner `demo-isp` with packages that show every rule (an upgrade
    /// path, an `InactiveOverride` package, an expired one, one not yet available, one without
    /// services) and customers whose packages can be upgraded (`bob`'s card is declined).
    pub fn builtin() -> DataSet {
        // The built-in fixture is checked by a unit test; an error here is a bug in it.
        DataSet::from_json(BUILTIN_JSON).unwrap_or_else(|e| panic!("the built-in simulator data set is invalid: {e}"))
    }

    /// Parses and checks a JSON fixture (format in the README): every reference resolves,
    /// every ID is unique, every date is an `xs:dateTime`.
    pub fn from_json(text: &str) -> Result<DataSet, DataError> {
        let root: Value = serde_json::from_str(text).map_err(|e| err("$", format!("not valid JSON: {e}")))?;
        let root = Obj::new(&root, "$")?;

        let mut users: Vec<User> = Vec::new();
        let mut ids = BTreeSet::new();
        for (path, o) in root.array("owners")? {
            let id = o.int("id")?;
            let username = o.string("username")?;
            if !ids.insert(id) {
                return Err(err(&path, format!("user ID {id} is used twice")));
            }
            users.push(User { id, username, owner_id: None, card_declined: false });
        }
        for (path, o) in root.array("users")? {
            let id = o.int("id")?;
            let username = o.string("username")?;
            let owner = o.string("owner")?;
            let owner_id = users
                .iter()
                .find(|u| u.owner_id.is_none() && u.username == owner)
                .map(|u| u.id)
                .ok_or_else(|| err(&format!("{path}.owner"), format!("no owner named {owner:?}")))?;
            if !ids.insert(id) {
                return Err(err(&path, format!("user ID {id} is used twice")));
            }
            let card_declined = o.opt_bool("card_declined")?.unwrap_or(false);
            users.push(User { id, username, owner_id: Some(owner_id), card_declined });
        }
        let mut names = BTreeSet::new();
        for u in &users {
            if !names.insert(u.username.to_ascii_lowercase()) {
                return Err(err("$", format!("username {:?} is used twice", u.username)));
            }
        }

        let time_units = named_ids(&root, "base_time_unit_types")?;
        let invoice_identifiers = named_ids(&root, "invoice_identifiers")?;
        let unit_id = |o: &Obj<'_>, key: &str| -> Result<i32, DataError> {
            let name = o.string(key)?;
            time_units
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(&name))
                .map(|(id, _)| *id)
                .ok_or_else(|| err(&o.at(key), format!("no base time unit type named {name:?}")))
        };
        let invoice_id = |o: &Obj<'_>, key: &str| -> Result<i32, DataError> {
            match o.opt_string(key)? {
                None => Ok(0),
                Some(name) => invoice_identifiers
                    .iter()
                    .find(|(_, n)| n.eq_ignore_ascii_case(&name))
                    .map(|(id, _)| *id)
                    .ok_or_else(|| err(&o.at(key), format!("no invoice identifier named {name:?}"))),
            }
        };

        let mut packages = BTreeMap::new();
        let mut service_ids = BTreeSet::new();
        let default_created: DateTime = "2024-01-01T00:00:00Z".parse().map_err(|e| err("$", format!("{e}")))?;
        for (path, o) in root.array("packages")? {
            let id = o.int("id")?;
            let owner = o.string("owner")?;
            let owner_id = users
                .iter()
                .find(|u| u.owner_id.is_none() && u.username == owner)
                .map(|u| u.id)
                .ok_or_else(|| err(&o.at("owner"), format!("no owner named {owner:?}")))?;
            let created = o.opt_date("created")?.unwrap_or(default_created);
            let package = Package {
                validate: Some(Validate {}),
                id,
                name: Some(o.string("name")?),
                sku: o.opt_string("sku")?,
                owner_id,
                frequency: o.int("frequency")?,
                base_time_unit_type_id: unit_id(&o, "base_time_unit")?,
                amount: o.number("amount")?,
                created_date: created,
                description: o.opt_string("description")?,
                one_time_amount: o.opt_number("one_time_amount")?.unwrap_or(0.0),
                inactive_override: o.opt_bool("inactive_override")?.unwrap_or(false),
                start_date: o.opt_date("start_date")?.unwrap_or(created),
                expiry_date: o.opt_date("expiry_date")?,
                invoice_identifier_id: invoice_id(&o, "invoice_identifier")?,
                show_to_user_portal: o.opt_bool("show_to_user_portal")?.unwrap_or(true),
            };
            let mut upgrades = Vec::new();
            for (i, v) in o.opt_array_values("upgrades")?.iter().enumerate() {
                let target = v
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(|| err(&format!("{path}.upgrades[{i}]"), "expected a package ID"))?;
                upgrades.push(target);
            }
            let mut services = Vec::new();
            for (spath, s) in o.array("services")? {
                let sid = s.int("id")?;
                if !service_ids.insert(sid) {
                    return Err(err(&spath, format!("service ID {sid} is used twice")));
                }
                services.push(Service {
                    validate: Some(Validate {}),
                    id: sid,
                    service_type_id: s.opt_int("service_type_id")?.unwrap_or(1),
                    name: Some(s.string("name")?),
                    owner_id,
                    base_time_unit_type_id: unit_id(&s, "base_time_unit")?,
                    base_time_unit: s.opt_int("frequency")?.unwrap_or(1),
                    created_date: s.opt_date("created")?.unwrap_or(created),
                    base_fee: s.opt_number("base_fee")?.unwrap_or(0.0),
                    description: s.opt_string("description")?,
                    invoice_identifier_id: invoice_id(&s, "invoice_identifier")?,
                    inactive: s.opt_bool("inactive")?.unwrap_or(false),
                    billing_period_type_id: s.opt_int("billing_period_type_id")?.unwrap_or(1),
                    show_on_ticket_transaction: s.opt_bool("show_on_ticket_transaction")?.unwrap_or(false),
                    sku: s.opt_string("sku")?,
                });
            }
            if packages.insert(id, PackageRecord { package, upgrades, services }).is_some() {
                return Err(err(&path, format!("package ID {id} is used twice")));
            }
        }
        for (id, record) in &packages {
            for target in &record.upgrades {
                match packages.get(target) {
                    None => {
                        return Err(err("$", format!("package {id} lists upgrade {target}, which is not a package")));
                    }
                    Some(t) if t.package.owner_id != record.package.owner_id => {
                        return Err(err("$", format!("package {id} lists upgrade {target}, which has another owner")));
                    }
                    Some(_) => {}
                }
            }
        }

        let mut user_packages = BTreeMap::new();
        for (path, o) in root.array("user_packages")? {
            let id = o.int("id")?;
            let user = o.string("user")?;
            let user_id = users
                .iter()
                .find(|u| u.username == user)
                .map(|u| u.id)
                .ok_or_else(|| err(&o.at("user"), format!("no user named {user:?}")))?;
            let package_id = o.int("package")?;
            if !packages.contains_key(&package_id) {
                return Err(err(&o.at("package"), format!("no package with ID {package_id}")));
            }
            if user_packages.insert(id, UserPackageRecord { id, user_id, package_id }).is_some() {
                return Err(err(&path, format!("user package ID {id} is used twice")));
            }
        }
        Ok(DataSet { users, time_units, invoice_identifiers, packages, user_packages })
    }
}

fn named_ids(root: &Obj<'_>, key: &str) -> Result<Vec<(i32, String)>, DataError> {
    let mut out: Vec<(i32, String)> = Vec::new();
    for (path, o) in root.array(key)? {
        let id = o.int("id")?;
        let name = o.string("name")?;
        if out.iter().any(|(i, n)| *i == id || n.eq_ignore_ascii_case(&name)) {
            return Err(err(&path, format!("ID {id} or name {name:?} is used twice")));
        }
        out.push((id, name));
    }
    Ok(out)
}

/// A JSON object and its path, with typed accessors that name the path on error.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Value, path: &str) -> Result<Self, DataError> {
        match value {
            Value::Object(map) => Ok(Obj { map, path: path.to_owned() }),
            _ => Err(err(path, "expected an object")),
        }
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn required(&self, key: &str) -> Result<&'a Value, DataError> {
        self.get(key).ok_or_else(|| err(&self.at(key), "missing"))
    }

    fn array(&self, key: &str) -> Result<Vec<(String, Obj<'a>)>, DataError> {
        self.opt_array_values(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let path = format!("{}[{i}]", self.at(key));
                Obj::new(v, &path).map(|o| (path, o))
            })
            .collect()
    }

    fn opt_array_values(&self, key: &str) -> Result<&'a [Value], DataError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(err(&self.at(key), "expected an array")),
        }
    }

    fn string(&self, key: &str) -> Result<String, DataError> {
        self.required(key)?.as_str().map(str::to_owned).ok_or_else(|| err(&self.at(key), "expected a string"))
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, DataError> {
        self.get(key).map(|_| self.string(key)).transpose()
    }

    fn int(&self, key: &str) -> Result<i32, DataError> {
        self.required(key)?
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| err(&self.at(key), "expected a 32-bit integer"))
    }

    fn opt_int(&self, key: &str) -> Result<Option<i32>, DataError> {
        self.get(key).map(|_| self.int(key)).transpose()
    }

    fn number(&self, key: &str) -> Result<f64, DataError> {
        self.required(key)?.as_f64().ok_or_else(|| err(&self.at(key), "expected a number"))
    }

    fn opt_number(&self, key: &str) -> Result<Option<f64>, DataError> {
        self.get(key).map(|_| self.number(key)).transpose()
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>, DataError> {
        self.get(key).map(|v| v.as_bool().ok_or_else(|| err(&self.at(key), "expected true or false"))).transpose()
    }

    fn opt_date(&self, key: &str) -> Result<Option<DateTime>, DataError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                let text = v.as_str().ok_or_else(|| err(&self.at(key), "expected an xs:dateTime string"))?;
                text.parse::<DateTime>()
                    .map(Some)
                    .map_err(|e| err(&self.at(key), format!("invalid xs:dateTime {text:?}: {e}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_set_is_valid() {
        let data = DataSet::from_json(BUILTIN_JSON).unwrap_or_else(|e| panic!("{e}"));
        assert!(data.users.iter().any(|u| u.username == "demo-isp" && u.owner_id.is_none()));
        let demo = data.packages.values().filter(|p| p.package.owner_id == 1001).count();
        assert!(demo >= 4);
        assert!(data.packages.values().any(|p| p.services.is_empty()));
    }

    #[test]
    fn errors_name_the_path() {
        let e = DataSet::from_json(r#"{"owners":[{"id":1,"username":"o"}],"packages":[{"id":1,"owner":"x"}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "$.packages[0].owner");
        let e = DataSet::from_json("[").unwrap_err();
        assert_eq!(e.path, "$");
        let e = DataSet::from_json(
            r#"{"owners":[{"id":1,"username":"o"}],"base_time_unit_types":[{"id":3,"name":"Month"}],
               "packages":[{"id":1,"owner":"o","name":"p","frequency":1,"base_time_unit":"Month","amount":1,"created":"2024-13-01T00:00:00"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "$.packages[0].created");
    }
}
