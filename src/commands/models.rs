//! `cost models`: the catalog, filtered and sorted, with prices per 1M
//! tokens, a blended price at a stated input:output mix, context, latency
//! and a quality score per blended dollar.

use crate::pricing::listing::{index_scale, list};
use crate::settings::ModelsSettings;
use crate::views;

pub fn run(settings: &ModelsSettings) -> anyhow::Result<()> {
    let rows = list(
        &settings.catalog,
        settings.date,
        settings.mix,
        &settings.filter,
        settings.sort,
    );
    settings.printer.emit(&views::models::report(
        &rows,
        settings.catalog.models().len(),
        settings.date,
        settings.mix,
        index_scale(&settings.catalog).as_deref(),
    ))
}
