//! `cost compare [SCENARIO]`: every plan of the scenario and "all traffic
//! to model X" rows, with bands when the scenario has distributions, and
//! the budget gate under `--check`.

use super::{enforce, simulate_with_progress};
use crate::engine::compare::compare;
use crate::engine::gate::budget_checks;
use crate::engine::snapshot::Snapshot;
use crate::engine::PlanOutcome;
use crate::settings::CompareSettings;
use crate::views;

pub fn run(settings: &CompareSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let scenario = &inputs.scenario;
    let ctx = inputs.context();
    let comparison = compare(scenario, &settings.models, &ctx)?;
    let mut report = views::compare::report(scenario, &comparison, &ctx);
    if settings.models_named && !comparison.covered.is_empty() {
        report
            .notes
            .push(views::compare::covered_note(&comparison.covered));
    }
    if let Some(opts) = &settings.bands {
        let outcomes: Vec<PlanOutcome> =
            comparison.rows.iter().map(|r| r.outcome.clone()).collect();
        let sims = simulate_with_progress(inputs, &outcomes, opts)?;
        views::bands::add(&mut report.tables[0], scenario, &sims);
        report
            .notes
            .extend(views::bands::method_notes(scenario, opts));
    }
    if !settings.check {
        return inputs.printer.emit(&report);
    }
    let checks = budget_checks(&Snapshot::from_comparison(scenario, &comparison, ctx.date));
    views::gates::add(&mut report, &checks);
    inputs.printer.emit(&report)?;
    enforce(&checks)
}
