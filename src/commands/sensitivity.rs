//! `cost sensitivity [SCENARIO] [--plan NAME]`: the tornado data of one
//! plan's monthly bill (the recommended plan unless one is named).

use anyhow::Context as _;

use super::simulate_with_progress;
use crate::engine::recommend::{judge, needs_simulation, recommend, Recommendation};
use crate::engine::sensitivity::sensitivity;
use crate::engine::simulate::{PlanSim, SimOptions};
use crate::engine::{evaluate, PlanOutcome};
use crate::scenario::Plan;
use crate::settings::{ScenarioInputs, SensitivitySettings};
use crate::views;

pub fn run(settings: &SensitivitySettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let outcomes = evaluate_all(inputs)?;
    let sims = slo_sims(inputs, settings.plan.is_none(), &outcomes, &settings.sim)?;
    let (plan, pick) = choose(inputs, settings.plan.as_deref(), &outcomes, &sims)?;
    let tornado = sensitivity(s, plan, &settings.ranges, &ctx)
        .with_context(|| format!("plan `{}`", plan.name))?;
    let rule = pick.map(|p| views::sensitivity::recommended_note(s, &plan.name, &p));
    inputs
        .printer
        .emit(&views::sensitivity::report(s, &tornado, &ctx, rule))
}

/// Every declared plan evaluated, in declared order.
pub fn evaluate_all(inputs: &ScenarioInputs) -> anyhow::Result<Vec<PlanOutcome>> {
    let s = &inputs.scenario;
    let ctx = inputs.context();
    Ok(s.plans
        .iter()
        .map(|p| evaluate(s, p, &ctx))
        .collect::<Result<Vec<_>, _>>()?)
}

/// The simulations the SLO is judged on, when a plan is to be recommended
/// and the scenario sets an SLO (else none).
fn slo_sims(
    inputs: &ScenarioInputs,
    recommending: bool,
    outcomes: &[PlanOutcome],
    opts: &SimOptions,
) -> anyhow::Result<Vec<PlanSim>> {
    if recommending && needs_simulation(&inputs.scenario) {
        simulate_with_progress(inputs, outcomes, opts)
    } else {
        Ok(Vec::new())
    }
}

/// The plan named, or the recommended one (with how it was chosen).
pub fn choose<'a>(
    inputs: &'a ScenarioInputs,
    named: Option<&str>,
    outcomes: &[PlanOutcome],
    sims: &[PlanSim],
) -> anyhow::Result<(&'a Plan, Option<Recommendation>)> {
    let s = &inputs.scenario;
    if let Some(name) = named {
        return Ok((inputs.plans(&[name.to_string()])[0], None));
    }
    let verdicts: Vec<_> = outcomes
        .iter()
        .map(|o| judge(s, o, sims.iter().find(|x| x.plan == o.plan)))
        .collect();
    let pick = recommend(outcomes, &s.baseline, &verdicts)
        .ok_or_else(|| anyhow::anyhow!("scenario `{}` has no plans", s.name))?;
    Ok((&s.plans[pick.index], Some(pick)))
}
