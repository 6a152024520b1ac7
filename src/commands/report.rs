//! `cost report [SCENARIO] -o report.html`: every plan evaluated and
//! simulated, the recommended (or named) plan's sensitivity, the routing
//! plans' break-even points and the frontier, with `--replay` the logs
//! replayed for plan vs actual, built into the board and written as one
//! self-contained HTML file.

use anyhow::Context as _;

use super::sensitivity::{choose, evaluate_all};
use super::simulate_with_progress;
use crate::engine::placement::place;
use crate::engine::route::analyse;
use crate::engine::sensitivity::sensitivity;
use crate::engine::EngineError;
use crate::replay::drive::replay;
use crate::replay::read;
use crate::scenario::PlanKind;
use crate::settings::ReportSettings;
use crate::views::board::{build, observe, Inputs, Observed};

pub fn run(settings: &ReportSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let outcomes = evaluate_all(inputs)?;
    let sims = simulate_with_progress(inputs, &outcomes, &settings.sim)?;
    let (plan, pick) = choose(inputs, settings.plan.as_deref(), &outcomes, &sims)?;
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
    let actual = actuals(settings)?;
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
        pick: pick.as_ref(),
        sensitivity: &tornado,
        routes: &routes,
        placement: placement.as_ref(),
        frontier_scenario: &settings.frontier_scenario,
        index: settings.index.as_deref(),
        scenario_sha256: settings.scenario_sha256.clone(),
        version: crate::embedded::VERSION,
        actual: actual.as_ref(),
    });
    let html =
        crate::html::render(&board).map_err(|e| anyhow::anyhow!("cannot draw the report: {e}"))?;
    inputs.printer.emit_text(&html)
}

/// `--replay`: the logs replayed as `cost replay` reads them, scaled to a month.
fn actuals(settings: &ReportSettings) -> anyhow::Result<Option<Observed>> {
    if settings.replay.is_empty() {
        return Ok(None);
    }
    let inputs = settings
        .replay
        .iter()
        .map(|p| read::open(p, read::Compression::Auto))
        .collect::<Result<Vec<_>, _>>()
        .context("--replay")?;
    let opts = settings.tally_options();
    let (tally, files) = replay(inputs, &settings.reading, &opts, &|_| ())
        .map_err(|e| ReportSettings::explain_replay(&e))?;
    for warning in
        crate::views::replay::warnings(&tally, &crate::replay::summary::Summary::of(&tally))
    {
        settings.inputs.printer.warn(&warning);
    }
    let days = settings.inputs.scenario.days_per_month;
    observe(&tally, &files, days).map(Some).map_err(|e| {
        anyhow::anyhow!(
            "--replay {}: {e}\n  hint: plan vs actual needs logs whose requests state their time",
            files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}
