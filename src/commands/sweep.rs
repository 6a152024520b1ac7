//! `cost sweep [SCENARIO] --vary PARAM=FROM..TO[:STEP]`: every plan at each
//! value of one parameter, as tidy long-format rows (one per value and plan).

use anyhow::Context as _;

use crate::engine::sweep::{name, sweep};
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
    let svg = match &settings.plot {
        Some(_) => render(&views::sweep::chart(s, vary, &results))
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?,
        None => String::new(),
    };
    let side: Vec<(&std::path::Path, &[u8])> = settings
        .plot
        .iter()
        .map(|p| (p.as_path(), svg.as_bytes()))
        .collect();
    inputs
        .printer
        .emit_with(&views::sweep::report(s, vary, &results, &ctx), &side)
}
