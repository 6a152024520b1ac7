//! `cost frontier [SCENARIO]`: every plan and single model on cost vs
//! quality; the Pareto frontier; which plans are dominated and by what; and
//! the "zero router" a routing plan must beat to be worth building.

use super::{side_file, svg};
use crate::engine::placement::place;
use crate::settings::FrontierSettings;
use crate::views;

pub fn run(settings: &FrontierSettings) -> anyhow::Result<()> {
    let inputs = &settings.inputs;
    let s = &inputs.scenario;
    let ctx = inputs.context();
    let placement = place(s, &settings.singles, &ctx)?;
    let plot = side_file(settings.plot.as_deref(), || {
        svg(&views::frontier::chart(s, &placement))
    })?;
    inputs.printer.emit_with(
        &views::frontier::report(s, &placement, &ctx, settings.index.as_deref()),
        plot.as_ref(),
    )
}
