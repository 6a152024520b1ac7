//! `cost models`: the catalog, filtered and sorted, with prices per 1M
//! tokens, a blended price at a stated input:output mix, context, latency
//! and a quality score per blended dollar.

use anyhow::Context as _;

use crate::cli::{GlobalArgs, HasArg, ModelsArgs, SortArg};
use crate::pricing::Model;
use crate::report::{col, Kind, Report, Table};
use crate::settings;

/// The quality metric shown (the one most shipped models carry).
const METRIC: &str = "aa-intelligence-index";

struct Row<'a> {
    model: &'a Model,
    input: f64,
    cache_read: Option<f64>,
    output: f64,
    blended: f64,
    long_context: Option<u64>,
}

pub fn run(args: &ModelsArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let date = settings::date(args.at, None);
    let (mix_in, mix_out) = parse_mix(&args.mix)?;
    let needle = args.filter.as_deref().map(str::to_lowercase);
    let mut rows: Vec<Row> = Vec::new();
    for model in catalog.models() {
        let Some(period) = model.period_at(Some(date)) else {
            continue;
        };
        let rates = &period.base;
        let input = rates.input.usd_per_million();
        let output = rates.output.usd_per_million();
        let row = Row {
            model,
            input,
            cache_read: rates.cache_read.map(|r| r.usd_per_million()),
            output,
            blended: (mix_in * input + mix_out * output) / (mix_in + mix_out),
            long_context: period.long_context.first().map(|t| t.above),
        };
        let keep = args
            .provider
            .as_ref()
            .is_none_or(|p| model.provider.eq_ignore_ascii_case(p))
            && args.max_price.is_none_or(|max| row.blended <= max)
            && args
                .min_context
                .is_none_or(|min| model.context_window.is_some_and(|c| c >= min))
            && args.has.iter().all(|h| match h {
                HasArg::Latency => model.latency.is_some(),
                HasArg::Quality => !model.quality.is_empty(),
            })
            && needle.as_ref().is_none_or(|n| {
                std::iter::once(&model.id)
                    .chain(&model.aliases)
                    .chain([&model.name])
                    .any(|s| s.to_lowercase().contains(n))
            });
        if keep {
            rows.push(row);
        }
    }
    sort(&mut rows, args.sort);
    let mut table = Table::new(
        "models",
        vec![
            col("id", "id", Kind::Text),
            col("provider", "provider", Kind::Text),
            col("input_usd_per_million", "input $/1M", Kind::UsdPerMillion),
            col(
                "cache_read_usd_per_million",
                "cached $/1M",
                Kind::UsdPerMillion,
            ),
            col("output_usd_per_million", "output $/1M", Kind::UsdPerMillion),
            col(
                "blended_usd_per_million",
                "blended $/1M",
                Kind::UsdPerMillion,
            ),
            col("context_window", "context", Kind::Tokens),
            col("long_context_above", "cliff above", Kind::Tokens),
            col("ttft_s", "TTFT", Kind::Seconds),
            col("output_tps", "tok/s", Kind::Number),
            col("quality", METRIC, Kind::Number),
            col("quality_per_usd", "index per blended $", Kind::Number),
            col("verified", "verified", Kind::Text),
        ],
    );
    for row in &rows {
        let m = row.model;
        let latency = m.latency.as_ref();
        let quality = m
            .quality
            .iter()
            .filter(|q| q.metric == METRIC)
            .max_by_key(|q| q.measured)
            .map(|q| q.value);
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
        format!("prices in USD per 1M tokens in force on {date}; blended = ({mix_in} x input + {mix_out} x output) / {}", mix_in + mix_out),
        format!("`{METRIC}` is Artificial Analysis' Intelligence Index where a dated source was found; empty means no figure, never zero. `cost models ID --format json` shows every figure with its source"),
        format!("{} of {} models shown", rows.len(), catalog.models().len()),
    ];
    printer.emit(&Report {
        command: "models",
        title: format!("cost models ({} shown)", rows.len()),
        fields: vec![("price_date", date.to_string().into())],
        tables: vec![table],
        notes,
    })
}

fn sort(rows: &mut [Row], by: SortArg) {
    rows.sort_by(|a, b| {
        let key = match by {
            SortArg::Provider => a
                .model
                .provider
                .cmp(&b.model.provider)
                .then(a.blended.total_cmp(&b.blended)),
            SortArg::Id => a.model.id.cmp(&b.model.id),
            SortArg::Input => a.input.total_cmp(&b.input),
            SortArg::Output => a.output.total_cmp(&b.output),
            SortArg::Blended => a.blended.total_cmp(&b.blended),
            SortArg::Context => b.model.context_window.cmp(&a.model.context_window),
            SortArg::Speed => {
                let speed = |r: &Row| {
                    r.model
                        .latency
                        .as_ref()
                        .and_then(|l| l.output_tps)
                        .unwrap_or(0.0)
                };
                speed(b).total_cmp(&speed(a))
            }
        };
        key.then_with(|| a.model.id.cmp(&b.model.id))
    });
}

fn parse_mix(text: &str) -> anyhow::Result<(f64, f64)> {
    let parse = || -> Option<(f64, f64)> {
        let (a, b) = text.split_once(':')?;
        let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
        (a >= 0.0 && b >= 0.0 && a + b > 0.0 && a.is_finite() && b.is_finite()).then_some((a, b))
    };
    parse().with_context(|| {
        format!("--mix {text}: expected IN:OUT, two non-negative numbers such as 3:1")
    })
}
