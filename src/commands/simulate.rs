//! `cost simulate [SCENARIO]`: the full Monte Carlo distribution of each
//! plan's bill (daily and monthly bands, the chance of exceeding the
//! budget) and its latency percentiles against the scenario's SLO.

use super::simulate_with_progress;
use super::{side_file, svg};
use crate::engine::evaluate;
use crate::engine::PlanOutcome;
use crate::settings::SimulateSettings;
use crate::views;
use crate::views::simulate::Shown;

pub fn run(settings: &SimulateSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let outcomes: Vec<PlanOutcome> = inputs
        .plans(&settings.plans)
        .into_iter()
        .map(|p| evaluate(s, p, &ctx))
        .collect::<Result<_, _>>()?;
    let sims = simulate_with_progress(inputs, &outcomes, &settings.sim)?;
    let plot = side_file(settings.plot.as_deref(), || {
        svg(&views::simulate::chart(
            s,
            &sims,
            settings.period,
            settings.bins,
        ))
    })?;
    let shown = match settings.histogram {
        Some(period) => Shown::Histogram {
            period,
            bins: settings.bins,
        },
        None => Shown::Summary,
    };
    inputs.printer.emit_with(
        &views::simulate::report(s, &outcomes, &sims, &settings.sim, &shown, &ctx),
        plot.as_ref(),
    )
}
