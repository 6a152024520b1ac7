//! `cost sensitivity [SCENARIO] [--plan NAME]`: the tornado data of one
//! plan's monthly bill (the recommended plan unless one is named).

use anyhow::Context as _;

use crate::engine::recommend::{recommend, rule};
use crate::engine::sensitivity::sensitivity;
use crate::engine::{evaluate, PlanOutcome};
use crate::settings::{ScenarioInputs, SensitivitySettings};
use crate::views;

pub fn run(settings: &SensitivitySettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let (plan, chosen) = plan_or_recommended(inputs, settings.plan.as_deref())?;
    let tornado = sensitivity(s, plan, &settings.ranges, &ctx)
        .with_context(|| format!("plan `{}`", plan.name))?;
    let rule = chosen.then(|| format!("plan `{}` is the {}", plan.name, rule()));
    inputs
        .printer
        .emit(&views::sensitivity::report(s, &tornado, &ctx, rule))
}

/// The plan named, or the recommended one (and whether it was chosen so).
pub fn plan_or_recommended<'a>(
    inputs: &'a ScenarioInputs,
    named: Option<&str>,
) -> anyhow::Result<(&'a crate::scenario::Plan, bool)> {
    let s = &inputs.scenario;
    if let Some(name) = named {
        return Ok((inputs.plans(&[name.to_string()])[0], false));
    }
    let ctx = inputs.context();
    let outcomes = s
        .plans
        .iter()
        .map(|p| evaluate(s, p, &ctx))
        .collect::<Result<Vec<PlanOutcome>, _>>()?;
    let k = recommend(&outcomes, &s.baseline)
        .ok_or_else(|| anyhow::anyhow!("scenario `{}` has no plans", s.name))?;
    Ok((&s.plans[k], true))
}
