//! How gate results read, for `cost compare --check` and `cost diff`: a
//! `gates` table, a note per gate and a `gate` verdict field.

use crate::engine::gate::{Check, GateKind};
use crate::human::{signed_usd, usd};
use crate::report::columns::gates::{ACTUAL, GATE, LIMIT, PASSED, UNIT};
use crate::report::columns::{PLAN, REASON};
use crate::report::{Column, Report, Table, Value};

pub fn table(checks: &[Check]) -> Table {
    let mut table = Table::new("gates", columns());
    for c in checks {
        table.push(vec![
            c.gate.key().into(),
            c.plan.clone().into(),
            c.unit.into(),
            c.limit.into(),
            if c.actual.is_finite() {
                c.actual.into()
            } else {
                Value::Empty
            },
            Value::Bool(c.passed),
            describe(c).into(),
        ]);
    }
    table
}

/// One sentence: which gate, which plan, the limit and by how much.
pub fn describe(c: &Check) -> String {
    let verdict = if c.passed { "within" } else { "over" };
    match c.gate {
        GateKind::Budget => {
            let per = if c.unit == "usd_per_day" {
                "day"
            } else {
                "month"
            };
            format!(
                "plan `{}` costs {}/{per}, {verdict} the budget of {}/{per}{}",
                c.plan,
                usd(c.actual),
                usd(c.limit),
                if c.passed {
                    String::new()
                } else {
                    format!(" by {}", usd(c.actual - c.limit))
                }
            )
        }
        GateKind::IncreaseUsd => format!(
            "plan `{}` changes by {}/month, {verdict} the limit of +{}/month (--fail-above-usd)",
            c.plan,
            signed_usd(c.actual),
            usd(c.limit)
        ),
        GateKind::IncreasePct => format!(
            "plan `{}` changes by {}, {verdict} the limit of +{:.1}% (--fail-above-pct)",
            c.plan,
            if c.actual.is_finite() {
                format!("{:+.1}%", c.actual * 100.0)
            } else {
                "an unbounded share (its base cost was zero)".into()
            },
            c.limit * 100.0
        ),
    }
}

/// `passed` or `failed` for a report field; `None` when no gate applied.
pub fn verdict(checks: &[Check]) -> Option<&'static str> {
    if checks.is_empty() {
        None
    } else if checks.iter().all(|c| c.passed) {
        Some("passed")
    } else {
        Some("failed")
    }
}

/// The gates' notes, verdict field and table, added to a report.
pub fn add(report: &mut Report, checks: &[Check]) {
    report.notes.extend(checks.iter().map(describe));
    if let Some(verdict) = verdict(checks) {
        report.fields.push(("gate", verdict.into()));
    }
    report.tables.push(table(checks));
}

/// The `gates` table's columns.
pub fn columns() -> Vec<Column> {
    vec![GATE, PLAN, UNIT, LIMIT, ACTUAL, PASSED, REASON]
}
