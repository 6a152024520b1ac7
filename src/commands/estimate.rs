//! `cost estimate`: price one request with a line per billed component.

use anyhow::Context as _;

use crate::pricing::bill::{price, price_at};
use crate::pricing::limits;
use crate::settings::EstimateSettings;
use crate::views;

pub fn run(settings: &EstimateSettings) -> anyhow::Result<()> {
    let model = settings.model();
    let fail = || format!("cannot price this request on `{}`", model.id);
    limits::check(model, &settings.request).with_context(fail)?;
    let bill = match settings.time {
        None => price(model, &settings.request, settings.date),
        Some(time) => {
            let at = settings
                .date
                .to_datetime(time)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .with_context(fail)?
                .timestamp();
            price_at(model, &settings.request, at)
        }
    }
    .with_context(fail)?;
    if let Some(day) = bill.deprecated {
        settings.printer.warn(&format!(
            "`{}` is deprecated since {day}{}: plan a move before it is retired",
            model.id,
            model
                .retired
                .map(|r| format!(" and retires on {r}"))
                .unwrap_or_default()
        ));
    }
    settings.printer.emit(&views::estimate::report(
        model,
        &settings.request,
        &bill,
        settings.date,
    ))
}
