//! `cost estimate`: price one request with a line per billed component.

use anyhow::Context as _;

use crate::pricing::bill::price;
use crate::settings::EstimateSettings;
use crate::views;

pub fn run(settings: &EstimateSettings) -> anyhow::Result<()> {
    let model = settings.model();
    let bill = price(model, &settings.request, settings.date)
        .with_context(|| format!("cannot price this request on `{}`", model.id))?;
    settings.printer.emit(&views::estimate::report(
        model,
        &settings.request,
        &bill,
        settings.date,
    ))
}
