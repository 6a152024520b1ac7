//! `cost report [SCENARIO] -o report.html`: every plan evaluated and
//! simulated, the recommended (or named) plan's sensitivity, the routing
//! plans' break-even points and the frontier, built into the board and
//! written as one self-contained HTML file.

use anyhow::Context as _;

use super::sensitivity::plan_or_recommended;
use super::simulate_with_progress;
use crate::engine::placement::place;
use crate::engine::route::analyse;
use crate::engine::sensitivity::sensitivity;
use crate::engine::{evaluate, EngineError, PlanOutcome};
use crate::scenario::PlanKind;
use crate::settings::ReportSettings;
use crate::views::board::{build, Inputs};

pub fn run(settings: &ReportSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let (plan, recommended) = plan_or_recommended(inputs, settings.plan.as_deref())?;
    let outcomes = s
        .plans
        .iter()
        .map(|p| evaluate(s, p, &ctx))
        .collect::<Result<Vec<PlanOutcome>, _>>()?;
    let sims = simulate_with_progress(inputs, &outcomes, &settings.sim)?;
    let tornado = sensitivity(s, plan, &settings.ranges, &ctx)
        .with_context(|| format!("plan `{}`", plan.name))?;
    let routing: Vec<_> = s
        .plans
        .iter()
        .filter(|p| !matches!(p.kind, PlanKind::Single(_)))
        .collect();
    let routes = analyse(s, &routing, &ctx)?;
    let placement = match place(&settings.frontier_scenario, &settings.singles, &ctx) {
        Ok(p) => Some(p),
        Err(EngineError::NoQualityAxis { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let board = build(&Inputs {
        scenario: s,
        ctx: &ctx,
        outcomes: &outcomes,
        sims: &sims,
        sim: &settings.sim,
        chosen: s
            .plans
            .iter()
            .position(|p| p.name == plan.name)
            .unwrap_or_default(),
        recommended,
        sensitivity: &tornado,
        routes: &routes,
        placement: placement.as_ref(),
        frontier_scenario: &settings.frontier_scenario,
        index: settings.index.as_deref(),
        scenario_sha256: settings.scenario_sha256.clone(),
        version: crate::embedded::VERSION,
    });
    let html =
        crate::html::render(&board).map_err(|e| anyhow::anyhow!("cannot draw the report: {e}"))?;
    inputs.printer.emit_text(&html)
}
