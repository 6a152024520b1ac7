//! `cost eval TABLE`: load the outcome table, fill in the costs it lacks,
//! group rows into routing units if asked, run `eval::evaluate`, warn of a
//! pair whose PGR reads backwards, and hand the result to the view and, on request,
//! the chart to a file.

use super::{side_file, svg};
use crate::eval::chart::chart;
use crate::eval::evaluate::evaluate;
use crate::eval::group::by_group;
use crate::eval::{load, TokenPricer};
use crate::settings::eval::load_hint;
use crate::settings::EvalSettings;
use crate::source::read_bytes;
use crate::views;

pub fn run(settings: &EvalSettings) -> anyhow::Result<()> {
    let (bytes, file) = read_bytes(&settings.table)?;
    let mut pricer = settings.row_pricer();
    let pricer = pricer.as_mut().map(|p| p as &mut dyn TokenPricer);
    let mut loaded = load(&bytes, &file, &settings.spec, pricer, load_hint)?;
    drop(bytes);
    let priced_as = settings.fill_costs(&mut loaded.table)?;
    let ungrouped_queries = loaded.groups.as_ref().map(|groups| {
        let n = loaded.table.n_queries();
        loaded.table = by_group(&loaded.table, groups);
        n
    });
    let options = settings.options(&loaded.table)?;
    let evaluation = evaluate(&loaded.table, &options);
    for warning in views::eval::warnings(&loaded.table, &evaluation) {
        settings.printer.warn(&warning);
    }
    let plot = side_file(settings.plot.as_deref(), || {
        svg(&chart(&loaded.table, &evaluation, &file))
    })?;
    let context = views::eval::EvalInputs {
        file: &file,
        spec: &settings.spec,
        source: &settings.costs,
        priced_as: &priced_as,
        date: settings.price_date(),
        options: &options,
        router_column: settings.router_column.as_deref(),
        curves: settings.curves,
        ungrouped_queries,
    };
    settings.printer.emit_with(
        &views::eval::build(&loaded, &evaluation, &context),
        plot.as_ref(),
    )
}
