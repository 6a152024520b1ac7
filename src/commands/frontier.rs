//! `cost frontier [SCENARIO]`: every plan and single model on cost vs
//! quality; the Pareto frontier; which plans are dominated and by what; and
//! the "zero router" a routing plan must beat to be worth building.

use crate::engine::placement::place;
use crate::plot::render;
use crate::settings::FrontierSettings;
use crate::views;

pub fn run(settings: &FrontierSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let placement = place(s, &settings.singles, &ctx)?;
    let svg = match &settings.plot {
        Some(_) => render(&views::frontier::chart(s, &placement))
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?,
        None => String::new(),
    };
    let side: Vec<(&std::path::Path, &[u8])> = settings
        .plot
        .iter()
        .map(|p| (p.as_path(), svg.as_bytes()))
        .collect();
    inputs.printer.emit_with(
        &views::frontier::report(s, &placement, &ctx, settings.index.as_deref()),
        &side,
    )
}
