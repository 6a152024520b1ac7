//! `cost compare`: every plan of a scenario plus "all traffic to model X" for
//! a set of models, each with its savings against the scenario's baseline.

use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::evaluate;
use crate::money::Usd;
use crate::scenario::{Plan, PlanKind, Scenario};

#[derive(Debug, Clone)]
pub struct CompareRow {
    pub outcome: PlanOutcome,
    pub is_baseline: bool,
    /// Declared in the scenario (rather than added as a single-model row).
    pub declared: bool,
    /// Baseline cost minus this plan's, per month: positive = saves money.
    pub savings_per_month: Usd,
    /// Savings as a fraction of the baseline's cost (`None` for a free baseline).
    pub savings_fraction: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub baseline: String,
    /// Sorted by cost per request, cheapest first; ties by name.
    pub rows: Vec<CompareRow>,
}

/// Evaluates the scenario's plans and a single-model plan for each of
/// `models` that no declared single-model plan already covers.
pub fn compare(
    scenario: &Scenario,
    models: &[String],
    ctx: &Context,
) -> Result<Comparison, EngineError> {
    let mut plans: Vec<(Plan, bool)> = scenario.plans.iter().map(|p| (p.clone(), true)).collect();
    for model in models {
        let id = &ctx.catalog.lookup(model)?.id;
        let covered = plans
            .iter()
            .any(|(p, _)| p.tier.is_none() && matches!(&p.kind, PlanKind::Single(m) if m == id));
        if !covered {
            plans.push((Plan::single(id), false));
        }
    }
    let outcomes = plans
        .iter()
        .map(|(plan, declared)| evaluate(scenario, plan, ctx).map(|o| (o, *declared)))
        .collect::<Result<Vec<_>, _>>()?;
    let baseline_cost = outcomes
        .iter()
        .find(|(o, _)| o.plan == scenario.baseline)
        .map(|(o, _)| o.per_month)
        .unwrap_or_default();
    let mut rows: Vec<CompareRow> = outcomes
        .into_iter()
        .map(|(outcome, declared)| CompareRow {
            is_baseline: outcome.plan == scenario.baseline,
            declared,
            savings_per_month: baseline_cost - outcome.per_month,
            savings_fraction: (baseline_cost.value() > 0.0)
                .then(|| (baseline_cost - outcome.per_month).value() / baseline_cost.value()),
            outcome,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.outcome
            .per_request
            .value()
            .total_cmp(&b.outcome.per_request.value())
            .then_with(|| a.outcome.plan.cmp(&b.outcome.plan))
    });
    Ok(Comparison {
        baseline: scenario.baseline.clone(),
        rows,
    })
}
