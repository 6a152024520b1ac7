//! `cost diff BASE [HEAD]`: two runs of a scenario (saved compare reports,
//! scenario files, or one scenario under two sets of price sheets or dates),
//! what changed per plan and why, and the cost gates: `--fail-above-usd`,
//! `--fail-above-pct` and the head scenario's `[budget]`. A tripped gate is
//! exit 1 after the report is written.

use anyhow::Context as _;

use crate::engine::compare::compare;
use crate::engine::diff::diff;
use crate::engine::gate::{budget_checks, increase_checks};
use crate::engine::latency::LatencyAssumptions;
use crate::engine::snapshot::Snapshot;
use crate::engine::Context;
use crate::settings::{no_such_plan, DiffInput, DiffSettings};
use crate::views::diff::{report, Side};

pub fn run(settings: &DiffSettings) -> anyhow::Result<()> {
    let base = evaluate(&settings.base, settings.latency).context("base")?;
    let head = evaluate(&settings.head, settings.latency).context("head")?;
    if let Some(plan) = &settings.plan {
        if head.run.plan(plan).is_none() {
            let known: Vec<&str> = head.run.plans.iter().map(|p| p.plan.as_str()).collect();
            return Err(no_such_plan(plan, "the head run", &known));
        }
    }
    let diffs = diff(&base.run, &head.run);
    let mut checks = increase_checks(&diffs, settings.limits, settings.plan.as_deref());
    checks.extend(budget_checks(&head.run));
    settings
        .printer
        .emit(&report(&base, &head, &diffs, &checks))?;
    super::enforce(&checks)
}

/// A side's run: read back from a saved report, or `compare` evaluated now.
fn evaluate(input: &DiffInput, latency: LatencyAssumptions) -> anyhow::Result<Side> {
    Ok(match input {
        DiffInput::Saved { run, label } => Side {
            run: run.clone(),
            label: label.clone(),
            saved: true,
        },
        DiffInput::Scenario {
            scenario,
            catalog,
            date,
            label,
        } => {
            let ctx = Context {
                catalog,
                date: *date,
                latency,
                traffic: scenario.traffic,
            };
            let comparison = compare(scenario, &scenario.default_compare_models(), &ctx)?;
            Side {
                run: Snapshot::from_comparison(scenario, &comparison, *date),
                label: label.clone(),
                saved: false,
            }
        }
    })
}
