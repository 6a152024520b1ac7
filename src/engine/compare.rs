//! `cost compare`: every plan of a scenario plus "all traffic to model X" for
//! a set of models, each with its savings against the scenario's baseline.

use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::evaluate;
use super::segments::month_segments;
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
    /// Models asked for as "all → M" rows that a declared plan already
    /// sends all traffic to, with that plan: (model id, plan name).
    pub covered: Vec<(String, String)>,
}

/// Evaluates the scenario's plans and a single-model plan for each of
/// `models` that no declared single-model plan already covers.
pub fn compare(
    scenario: &Scenario,
    models: &[String],
    ctx: &Context,
) -> Result<Comparison, EngineError> {
    let mut plans: Vec<(Plan, bool)> = scenario.plans.iter().map(|p| (p.clone(), true)).collect();
    let mut covered = Vec::new();
    for model in models {
        let id = &ctx.catalog.lookup(model)?.id;
        let by = plans
            .iter()
            .find(|(p, _)| p.tier.is_none() && matches!(&p.kind, PlanKind::Single(m) if m == id));
        match by {
            Some((plan, true)) => covered.push((id.clone(), plan.name.clone())),
            Some((_, false)) => {}
            None => plans.push((Plan::single(id), false)),
        }
    }
    let outcomes = plans
        .iter()
        .map(|(plan, declared)| {
            evaluate(scenario, plan, ctx).map(|o| (split_month(scenario, plan, o, ctx), *declared))
        })
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
        covered,
    })
}

/// A month that crosses a price change (or a release or retirement) of a
/// model the plan calls is priced in pieces, each at its own prices; the
/// per-request and per-day figures stay those of the price date.
fn split_month(
    scenario: &Scenario,
    plan: &Plan,
    mut outcome: PlanOutcome,
    ctx: &Context,
) -> PlanOutcome {
    let pieces = month_segments(&outcome, ctx, scenario.days_per_month);
    if pieces.len() < 2 {
        return outcome;
    }
    let mut month = Usd::ZERO;
    let mut described = Vec::new();
    for (first, days) in &pieces {
        let at = Context {
            date: *first,
            ..*ctx
        };
        match evaluate(scenario, plan, &at) {
            Ok(o) => {
                month += o.per_request * (scenario.requests_per_day * days);
                described.push(format!(
                    "{days} days from {first} at {}/request",
                    crate::human::usd(o.per_request.value())
                ));
            }
            Err(e) => {
                outcome.notes.push(format!(
                    "the month from {} crosses {first}, from which it cannot be priced ({}): $/month assumes the price date's prices throughout",
                    ctx.date,
                    e.to_string().lines().next().unwrap_or_default()
                ));
                return outcome;
            }
        }
    }
    outcome.per_month = month;
    outcome.notes.push(format!(
        "the month from {} crosses a price change: $/month is priced in pieces ({})",
        ctx.date,
        described.join("; ")
    ));
    outcome
}
