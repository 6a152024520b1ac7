//! `cost models`: the listed models with prices per 1M tokens, a blended
//! price, context, latency and a quality score per blended dollar.

use jiff::civil::Date;

use crate::pricing::listing::{Listed, Mix};
use crate::report::columns::catalog::{
    BLENDED_PRICE, CACHE_READ_PRICE, CONTEXT_WINDOW, ID, INDEX, INDEX_PER_USD, INPUT_PRICE,
    OUTPUT_PRICE, OUTPUT_TPS, PUBLISHED_TTFT, VERIFIED,
};
use crate::report::columns::{LONG_CONTEXT_ABOVE, PROVIDER};
use crate::report::{Column, Report, Table};

/// `total`: how many models the catalog holds.
/// `scale`: the one index scale (and version) the `index` column shows.
pub fn report(rows: &[Listed], total: usize, date: Date, mix: Mix, scale: Option<&str>) -> Report {
    let mut table = Table::new("models", columns());
    for row in rows {
        let m = row.model;
        let latency = crate::pricing::figures::headline(&m.latency);
        let quality = row.index;
        table.push(vec![
            m.id.clone().into(),
            m.provider.clone().into(),
            row.input.into(),
            row.cache_read.into(),
            row.output.into(),
            row.blended.into(),
            m.context_window.into(),
            row.long_context.into(),
            latency.and_then(|l| l.ttft_s).into(),
            latency.and_then(|l| l.output_tps).into(),
            quality.into(),
            quality
                .filter(|_| row.blended > 0.0)
                .map(|q| q / row.blended)
                .into(),
            m.verified.to_string().into(),
        ]);
    }
    let notes = vec![
        format!("prices in USD per 1M tokens in force on {date}; blended = ({} x input + {} x output) / {}", mix.input, mix.output, mix.input + mix.output),
        format!("index = `{}` (one index version only: versions are on different scales and are never mixed); empty means no score on it, never zero; `pricing/figures/quality.toml` has every score with its source", scale.unwrap_or("none")),
        format!("{} of {total} models shown", rows.len()),
    ];
    Report {
        command: "models",
        title: format!("cost models ({} shown)", rows.len()),
        fields: vec![("price_date", date.to_string().into())],
        tables: vec![table],
        notes,
    }
}

/// The `models` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        ID,
        PROVIDER,
        INPUT_PRICE,
        CACHE_READ_PRICE,
        OUTPUT_PRICE,
        BLENDED_PRICE,
        CONTEXT_WINDOW,
        LONG_CONTEXT_ABOVE,
        PUBLISHED_TTFT,
        OUTPUT_TPS,
        INDEX,
        INDEX_PER_USD,
        VERIFIED,
    ]
}
