//! One file per subcommand: wiring only. `run` takes the command's resolved
//! settings, calls the engine, has `views` build the report and the
//! printer write it.

pub mod breakeven;
pub mod compare;
pub mod diff;
pub mod estimate;
pub mod eval;
pub mod export;
pub mod frontier;
pub mod gateway;
pub mod init;
pub mod man;
pub mod models;
pub mod pricing;
pub mod replay;
pub mod report;
pub mod route;
pub mod router;
pub mod scenarios;
pub mod sensitivity;
pub mod simulate;
pub mod sweep;
pub mod tokens;
pub mod validate;

use std::path::Path;

use crate::engine::gate::Check;
use crate::engine::simulate::{requests_drawn, simulate_plans, PlanSim, SimOptions};
use crate::engine::PlanOutcome;
use crate::output::ProgressUnit;
use crate::plot::{render, Chart};
use crate::settings::ScenarioInputs;

/// Simulates every outcome's plan, with a progress bar on a terminal when
/// the run is long enough to want one.
pub fn simulate_with_progress(
    inputs: &ScenarioInputs,
    outcomes: &[PlanOutcome],
    opts: &SimOptions,
) -> anyhow::Result<Vec<PlanSim>> {
    let s = &inputs.scenario;
    let total = (opts.trials * outcomes.len()) as u64;
    let progress = inputs.printer.progress_bar(
        total,
        ProgressUnit::Counted("simulating plan-days"),
        requests_drawn(s, outcomes.len(), opts) > 2e6,
    );
    let tick = |done: u64| {
        // Every 16th day is plenty for a bar, and cheap for the workers.
        if done.is_multiple_of(16) || done == total {
            progress.set(done);
        }
    };
    Ok(simulate_plans(s, outcomes, &inputs.context(), opts, &tick)?)
}

/// A gate tripped (a budget or a cost threshold): exit code 1. The report
/// was still written; the message says which gate and by how much.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GateFailed(pub String);

/// `Err(GateFailed)` naming every tripped gate; call it after the report is out.
pub fn enforce(checks: &[Check]) -> anyhow::Result<()> {
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.passed)
        .map(crate::views::gates::describe)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(GateFailed(failed.join("; ")).into())
    }
}

/// A file written with the report, all or none (`--plot`, `--emit-latency`):
/// made only when its flag gives a path.
pub fn side_file(
    path: Option<&Path>,
    make: impl FnOnce() -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<Option<(&Path, Vec<u8>)>> {
    path.map(|p| make().map(|bytes| (p, bytes))).transpose()
}

/// A chart as SVG.
pub fn svg(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    render(chart)
        .map(String::into_bytes)
        .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))
}
