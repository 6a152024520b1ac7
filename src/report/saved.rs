//! Reads a saved `cost compare --format json` report back into a `Snapshot`, so
//! `cost diff base.json head.json` compares what two branches computed. A
//! report from another schema version, or of another command, is refused:
//! guessing at renamed fields would make a gate pass or fail for nothing.
//! So is a report that contradicts itself (`saved_check`).

use jiff::civil::Date;
use serde_json::{Map, Value};

use super::columns::scenario::{PART_RATES, PART_TOKENS};
use super::saved_check;
use super::{READABLE_VERSIONS, SCHEMA_VERSION};
use crate::engine::snapshot::{ClassSnapshot, PlanSnapshot, Snapshot};
use crate::money::{Money, Rate, Usd};
use crate::pricing::ServiceTier;
use crate::scenario::{Budget, BudgetLimit};
use crate::source::Source;

#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    #[error("{file}: not a `cost` JSON report ({reason})\n  hint: save one with `cost compare SCENARIO --format json -o FILE`")]
    NotAReport { file: String, reason: String },
    #[error("{file}: report schema_version {found}, but this `cost` reads versions 1 to {SCHEMA_VERSION}\n  hint: make both reports with the same `cost` version (re-run `cost compare --format json` on the base branch)")]
    Version { file: String, found: String },
    #[error("{file}: a `cost {command}` report; `cost diff` compares `cost compare` reports\n  hint: save one with `cost compare SCENARIO --format json -o FILE`")]
    Command { file: String, command: String },
    #[error("{file}: `{key}`: the report contradicts itself: {message}\n  hint: a saved report is not to be edited: save it again with `cost compare SCENARIO --format json -o FILE`")]
    Contradiction {
        file: String,
        key: String,
        message: String,
    },
    #[error("{file}: `{key}`: {message}")]
    Field {
        file: String,
        key: String,
        message: String,
    },
}

/// Whether `source` looks like a JSON report rather than a TOML scenario.
pub fn is_json(source: &Source) -> bool {
    source.text.trim_start().starts_with('{')
}

pub fn read(source: &Source) -> Result<Snapshot, SavedError> {
    let file = source.name.clone();
    let root: Value = serde_json::from_str(&source.text).map_err(|e| SavedError::NotAReport {
        file: file.clone(),
        reason: format!("invalid JSON: {e}"),
    })?;
    let root = compare_report(&root, &file)?;
    let fields = Fields {
        file: &file,
        at: "",
    };
    let plans = fields.array(root, "plans")?;
    let classes = match root.get("classes") {
        Some(_) => fields.array(root, "classes")?,
        None => &[][..],
    };
    let requests_per_day = fields.number(root, "requests_per_day")?;
    let requests_per_month = fields.number(root, "requests_per_month")?;
    let contradiction = |c: saved_check::Contradiction| SavedError::Contradiction {
        file: file.clone(),
        key: c.key,
        message: c.message,
    };
    let mut runs = Vec::with_capacity(plans.len());
    for (i, plan) in plans.iter().enumerate() {
        let key = format!("plans[{i}]");
        let f = Fields {
            file: &file,
            at: &key,
        };
        let plan = f.object(plan)?;
        let name = f.text(plan, "plan")?;
        let mut class_runs = Vec::new();
        let mut declared = None;
        for (j, row) in classes.iter().enumerate() {
            let key = format!("classes[{j}]");
            let f = Fields {
                file: &file,
                at: &key,
            };
            let row = f.object(row)?;
            if f.text(row, "plan")? != name {
                continue;
            }
            declared = row.get("declared").and_then(Value::as_bool).or(declared);
            let class = f.class(row)?;
            saved_check::class(j, &class).map_err(contradiction)?;
            class_runs.push(class);
        }
        let run = PlanSnapshot {
            routes: f.text(plan, "routes").unwrap_or_default(),
            declared: declared.unwrap_or(!name.starts_with("all → ")),
            per_request: Usd(f.number(plan, "cost_per_request_usd")?),
            per_day: Usd(f.number(plan, "cost_per_day_usd")?),
            per_month: Usd(f.number(plan, "cost_per_month_usd")?),
            quality: optional_number(plan, "quality"),
            ttft_s: optional_number(plan, "ttft_s"),
            e2e_s: optional_number(plan, "e2e_s"),
            classes: class_runs,
            plan: name,
        };
        let in_pieces = priced_in_pieces(root, &run.plan);
        saved_check::plan(i, &run, requests_per_day, requests_per_month, in_pieces)
            .map_err(contradiction)?;
        runs.push(run);
    }
    let budget_plan = root
        .get("budget_plan")
        .and_then(Value::as_str)
        .map(String::from);
    let budget = match (
        optional_number(root, "budget_usd_per_month"),
        optional_number(root, "budget_usd_per_day"),
    ) {
        (Some(m), _) => Some(BudgetLimit::PerMonth(Usd(m))),
        (None, Some(d)) => Some(BudgetLimit::PerDay(Usd(d))),
        _ => None,
    }
    .map(|limit| Budget {
        limit,
        plan: budget_plan,
    });
    Ok(Snapshot {
        scenario: fields.text(root, "scenario")?,
        price_date: root
            .get("price_date")
            .and_then(Value::as_str)
            .and_then(|d| d.parse::<Date>().ok()),
        requests_per_day,
        requests_per_month,
        plans: runs,
        budget,
    })
}

/// Field access that names the file and key of anything missing or malformed.
struct Fields<'a> {
    file: &'a str,
    at: &'a str,
}

impl Fields<'_> {
    fn error(&self, key: &str, message: &str) -> SavedError {
        SavedError::Field {
            file: self.file.to_string(),
            key: if self.at.is_empty() {
                key.to_string()
            } else {
                format!("{}.{key}", self.at)
            },
            message: message.to_string(),
        }
    }

    fn object<'v>(&self, v: &'v Value) -> Result<&'v Map<String, Value>, SavedError> {
        v.as_object()
            .ok_or_else(|| self.error("", "expected an object"))
    }

    fn array<'v>(&self, o: &'v Map<String, Value>, key: &str) -> Result<&'v [Value], SavedError> {
        o.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .ok_or_else(|| self.error(key, "missing, or not an array"))
    }

    fn text(&self, o: &Map<String, Value>, key: &str) -> Result<String, SavedError> {
        o.get(key)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| self.error(key, "missing, or not text"))
    }

    fn number(&self, o: &Map<String, Value>, key: &str) -> Result<f64, SavedError> {
        o.get(key)
            .and_then(Value::as_f64)
            .ok_or_else(|| self.error(key, "missing, or not a number"))
    }

    fn count(&self, o: &Map<String, Value>, key: &str) -> Result<u64, SavedError> {
        o.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| self.error(key, "missing, or not a token count"))
    }

    fn money(&self, o: &Map<String, Value>, key: &str) -> Result<Money, SavedError> {
        Money::from_usd(self.number(o, key)?)
            .ok_or_else(|| self.error(key, "not an exact dollar amount"))
    }

    fn class(&self, row: &Map<String, Value>) -> Result<ClassSnapshot, SavedError> {
        let mut tokens = [0; 6];
        let mut rates = [Rate::ZERO; 6];
        for i in 0..6 {
            tokens[i] = self.count(row, &PART_TOKENS[i].key)?;
            let key = &PART_RATES[i].key;
            rates[i] = Rate::per_million(self.number(row, key)?)
                .ok_or_else(|| self.error(key, "not a price in USD per 1M tokens"))?;
        }
        let tier = self.text(row, "tier")?;
        Ok(ClassSnapshot {
            class: self.text(row, "class")?,
            share: self.number(row, "share")?,
            model: self.text(row, "model")?,
            tier: ServiceTier::from_key(&tier)
                .ok_or_else(|| self.error("tier", "not a service tier"))?,
            prompt: self.count(row, "prompt_tokens")?,
            tokens,
            rates,
            fee: self.money(row, "per_request_fee_usd")?,
            long_context: row.get("long_context_above").and_then(Value::as_u64),
            cost: self.money(row, "cost_per_request_usd")?,
            expected: match row
                .get("expected_cost_per_request_usd")
                .and_then(Value::as_f64)
            {
                Some(v) => Usd(v),
                None => self.money(row, "cost_per_request_usd")?.usd(),
            },
        })
    }
}
/// The report's top-level object, if it is a `compare` report of a
/// version this `cost` reads.
fn compare_report<'v>(root: &'v Value, file: &str) -> Result<&'v Map<String, Value>, SavedError> {
    let file = file.to_string();
    let Some(root) = root.as_object() else {
        return Err(SavedError::NotAReport {
            file,
            reason: "the top level is not an object".into(),
        });
    };
    let version = root
        .get("schema_version")
        .ok_or_else(|| SavedError::NotAReport {
            file: file.clone(),
            reason: "no `schema_version`".into(),
        })?;
    if !READABLE_VERSIONS
        .iter()
        .any(|v| version.as_u64() == Some(u64::from(*v)))
    {
        return Err(SavedError::Version {
            file,
            found: version.to_string(),
        });
    }
    let command = root.get("command").and_then(Value::as_str).unwrap_or("?");
    if command != "compare" {
        return Err(SavedError::Command {
            file,
            command: command.to_string(),
        });
    }
    Ok(root)
}

/// Whether the report's notes say that `plan`'s month crosses a price
/// change and was priced in pieces (`engine::compare::split_month`; the
/// assumptions prefix a plan's notes with its name).
fn priced_in_pieces(root: &Map<String, Value>, plan: &str) -> bool {
    let prefix = format!("plan `{plan}`: ");
    root.get("notes")
        .and_then(Value::as_array)
        .is_some_and(|notes| {
            notes
                .iter()
                .filter_map(Value::as_str)
                .any(|n| n.starts_with(&prefix) && n.contains("priced in pieces"))
        })
}

/// A number that may be absent (quality and latency of plans without them).
fn optional_number(o: &Map<String, Value>, key: &str) -> Option<f64> {
    o.get(key).and_then(Value::as_f64)
}
