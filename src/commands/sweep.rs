//! `cost sweep [SCENARIO] --vary PARAM=FROM..TO[:STEP]`: every plan at each
//! value of one parameter, as tidy long-format rows (one per value and plan).

use anyhow::Context as _;

use crate::engine::sweep::{name, sweep};
use crate::output::write_file;
use crate::plot::render;
use crate::settings::SweepSettings;
use crate::views;

pub fn run(settings: &SweepSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let vary = &settings.vary;
    let results = sweep(s, &vary.param, &vary.values, &ctx, &settings.extra)
        .with_context(|| format!("--vary {}", name(&vary.param)))?;
    if let Some(path) = &settings.plot {
        let svg = render(&views::sweep::chart(s, vary, &results))
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        write_file(path, svg.as_bytes(), &inputs.printer)?;
    }
    inputs
        .printer
        .emit(&views::sweep::report(s, vary, &results, &ctx))
}
