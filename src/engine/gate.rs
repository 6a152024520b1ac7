//! Cost gates: a scenario's budget, and limits on how much a change may
//! raise a plan's monthly cost. A gate binds the plans a scenario declares
//! (never the "all → M" rows `compare` adds for reference), or the one plan
//! the budget or `--plan` names.

use super::diff::PlanDiff;
use super::snapshot::{PlanSnapshot, Snapshot};
use crate::money::Usd;
use crate::scenario::BudgetLimit;

/// The limits a diff is held to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    /// Largest allowed increase, USD per month.
    pub usd_per_month: Option<f64>,
    /// Largest allowed increase, as a fraction of the base cost.
    pub fraction: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateKind {
    Budget,
    IncreaseUsd,
    IncreasePct,
}

impl GateKind {
    pub fn key(self) -> &'static str {
        match self {
            GateKind::Budget => "budget",
            GateKind::IncreaseUsd => "fail_above_usd",
            GateKind::IncreasePct => "fail_above_pct",
        }
    }
}

/// One gate applied to one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub gate: GateKind,
    pub plan: String,
    /// The limit and the measured value, in the gate's unit: USD per month
    /// or per day (budget), USD per month (increase) or a fraction (pct).
    pub limit: f64,
    pub actual: f64,
    pub unit: &'static str,
    pub passed: bool,
}

fn binds(plan: &PlanSnapshot, only: Option<&str>) -> bool {
    match only {
        Some(name) => plan.plan == name,
        None => plan.declared,
    }
}

/// The run's own budget against each plan it binds.
pub fn budget_checks(run: &Snapshot) -> Vec<Check> {
    let Some(budget) = &run.budget else {
        return vec![];
    };
    run.plans
        .iter()
        .filter(|p| binds(p, budget.plan.as_deref()))
        .map(|p| {
            let (limit, actual, unit) = match budget.limit {
                BudgetLimit::PerMonth(Usd(l)) => (l, p.per_month.value(), "usd_per_month"),
                BudgetLimit::PerDay(Usd(l)) => (l, p.per_day.value(), "usd_per_day"),
            };
            Check {
                gate: GateKind::Budget,
                plan: p.plan.clone(),
                limit,
                actual,
                unit,
                passed: actual <= limit,
            }
        })
        .collect()
}

/// The increase limits against each plan present on both sides.
pub fn increase_checks(diffs: &[PlanDiff], limits: Limits, only: Option<&str>) -> Vec<Check> {
    let mut out = Vec::new();
    for d in diffs {
        let (Some(_), Some(head)) = (&d.base, &d.head) else {
            continue;
        };
        if !binds(head, only) {
            continue;
        }
        let delta = d.delta_per_month.value();
        if let Some(limit) = limits.usd_per_month {
            out.push(Check {
                gate: GateKind::IncreaseUsd,
                plan: d.plan.clone(),
                limit,
                actual: delta,
                unit: "usd_per_month",
                passed: delta <= limit,
            });
        }
        if let Some(limit) = limits.fraction {
            // A free base that now costs something has grown without bound.
            let actual = d
                .delta_fraction
                .unwrap_or(if delta > 0.0 { f64::INFINITY } else { 0.0 });
            out.push(Check {
                gate: GateKind::IncreasePct,
                plan: d.plan.clone(),
                limit,
                actual,
                unit: "fraction",
                passed: actual <= limit,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Budget;

    fn plan(name: &str, declared: bool, per_month: f64) -> PlanSnapshot {
        PlanSnapshot {
            plan: name.into(),
            routes: String::new(),
            declared,
            per_request: Usd(per_month / 1e6),
            per_day: Usd(per_month / 30.0),
            per_month: Usd(per_month),
            quality: None,
            ttft_s: None,
            e2e_s: None,
            classes: vec![],
        }
    }

    #[test]
    fn a_budget_binds_declared_plans_or_the_one_it_names() {
        let mut run = Snapshot {
            scenario: "s".into(),
            price_date: None,
            requests_per_day: 1.0,
            requests_per_month: 30.0,
            plans: vec![
                plan("a", true, 100.0),
                plan("b", true, 300.0),
                plan("all → x", false, 900.0),
            ],
            budget: Some(Budget {
                limit: BudgetLimit::PerMonth(Usd(200.0)),
                plan: None,
            }),
        };
        let checks = budget_checks(&run);
        assert_eq!(checks.len(), 2);
        assert!(checks[0].passed && !checks[1].passed);
        run.budget.as_mut().unwrap().plan = Some("a".into());
        assert!(budget_checks(&run).iter().all(|c| c.passed));
    }
}
