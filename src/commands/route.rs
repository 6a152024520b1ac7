//! `cost route [SCENARIO] [--plan NAME]`: where each class goes under a
//! plan, what that costs, what misroutes and escalations do, and when
//! routing stops paying.

use super::simulate_with_progress;
use crate::engine::route::analyse;
use crate::engine::PlanOutcome;
use crate::settings::RouteSettings;
use crate::views;

pub fn run(settings: &RouteSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let analysis = analyse(s, &inputs.plans(&settings.plans), &ctx)?;
    let mut report = views::route::report(s, &analysis, &ctx);
    if let Some(opts) = &settings.bands {
        let outcomes: Vec<PlanOutcome> = analysis.plans.iter().map(|p| p.outcome.clone()).collect();
        let sims = simulate_with_progress(inputs, &outcomes, opts)?;
        views::bands::add(&mut report.tables[1], s, &sims);
        report.notes.extend(views::bands::method_notes(s, opts));
    }
    inputs.printer.emit(&report)
}
