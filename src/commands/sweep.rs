//! `cost sweep [SCENARIO] --vary PARAM=FROM..TO[:STEP]`: every plan at each
//! value of one parameter, as tidy long-format rows (one per value and plan).

use super::{side_file, svg};
use anyhow::Context as _;

use crate::engine::sweep::{name, sweep};
use crate::settings::SweepSettings;
use crate::views;

pub fn run(settings: &SweepSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let vary = &settings.vary;
    let results = sweep(s, &vary.param, &vary.values, &ctx, &settings.extra)
        .with_context(|| format!("--vary {}", name(&vary.param)))?;
    let plot = side_file(settings.plot.as_deref(), || {
        svg(&views::sweep::chart(s, vary, &results))
    })?;
    inputs.printer.emit_with(
        &views::sweep::report(s, vary, &results, &ctx),
        plot.as_ref(),
    )
}
