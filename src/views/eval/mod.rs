//! `cost eval`: the models, the routers (with their metrics), the
//! oracle's model mix, the curves (for plots) and, with `--category`, a
//! per-category view; the notes (`notes`) say where costs came from, what
//! "quality" and "oracle" mean here, and what every saving is measured
//! against.

mod notes;

pub use notes::warnings;

use jiff::civil::Date;

use crate::engine::frontier::dominator;
use crate::eval::costs::{CostSource, PricedAs};
use crate::eval::evaluate::{EvalOptions, Evaluation, RouterTrace};
use crate::eval::metrics::{by_category, pgr, CurvePoint, ModelStats};
use crate::eval::protocol::CurveProtocol;
use crate::eval::{Loaded, TableSpec};
use crate::human::human_count;
use crate::money::Usd;
use crate::report::columns::eval::{
    AIQ, APGR, CATEGORY, COST_TO_MATCH_BASELINE, CPT50, CPT80, MIXED_SAVINGS, ON_ZERO_ROUTER,
    ORACLE_SENDS_TO, PASSED, PGR, QUALITY_PER_DOLLAR, QUERIES, ROLE, ROUTER, SAVING_VS_BASELINE,
    STRONG_SHARE, TOTAL_COST,
};
use crate::report::columns::{COST_PER_QUERY, DOMINATED_BY, MODEL, QUALITY, SHARE};
use crate::report::{Column, Report, Table, Value};

/// What the evaluation was run on and with, for the report's fields and notes.
pub struct EvalInputs<'a> {
    pub file: &'a str,
    pub spec: &'a TableSpec,
    pub source: &'a CostSource,
    /// `(table model, catalog model, USD per query)` for `--tokens`.
    pub priced_as: &'a [PricedAs],
    /// The price date, when the catalog priced anything.
    pub date: Option<Date>,
    pub options: &'a EvalOptions,
    pub router_column: Option<&'a str>,
    /// Whether to add the curves' points.
    pub curves: bool,
    /// With a group column, how many queries (rows per model) there were
    /// before they were grouped into items.
    pub ungrouped_queries: Option<usize>,
}

/// Curves carry at most this many points in the report (the metrics use all).
const CURVE_POINTS: usize = 201;

pub fn build(loaded: &Loaded, e: &Evaluation, cx: &EvalInputs) -> Report {
    let t = &loaded.table;
    let n = t.n_queries();
    let (routers, curves) = routers(e, cx);
    let mut tables = vec![models(loaded, e), routers, oracle_mix(loaded, e)];
    if let Some(categories) = categories(loaded, e) {
        tables.push(categories);
    }
    if cx.curves {
        tables.push(curves);
    }
    Report {
        command: "eval",
        title: format!(
            "cost eval: {} ({} queries × {} models)",
            cx.file,
            human_count(n as f64),
            t.models.len()
        ),
        fields: fields(loaded, e, cx),
        tables,
        notes: notes::notes(loaded, e, cx),
    }
}

fn models(loaded: &Loaded, e: &Evaluation) -> Table {
    let n = loaded.table.n_queries();
    let stats = &e.stats;
    let points: Vec<_> = stats.iter().map(ModelStats::point).collect();
    let mut models = Table::new("models", model_columns());
    for (m, s) in stats.iter().enumerate() {
        let mut roles = Vec::new();
        if e.pair.is_some_and(|p| p.weak == m) {
            roles.push("weak");
        }
        if e.pair.is_some_and(|p| p.strong == m) {
            roles.push("strong");
        }
        if e.baseline == m {
            roles.push("baseline");
        }
        models.push(vec![
            s.model.clone().into(),
            roles.join(", ").into(),
            Value::Count(n as u64),
            s.quality.into(),
            s.passed.into(),
            s.mean_cost.into(),
            s.total_cost.into(),
            s.quality_per_usd().into(),
            Value::Bool(e.zero_hull.contains(&m)),
            dominator(&points, m).map(|d| stats[d].model.clone()).into(),
        ]);
    }
    models
}

/// The routers, and the points of their curves.
fn routers(e: &Evaluation, cx: &EvalInputs) -> (Table, Table) {
    let stats = &e.stats;
    let mut routers = Table::new("routers", router_columns());
    let mut curves = Table::new("curves", curve_columns());
    let (qw, qs) = e.pair.map_or((0.0, 0.0), |p| {
        (stats[p.weak].quality, stats[p.strong].quality)
    });
    for r in &e.routers {
        let (share, cost, quality) = match &r.shape {
            RouterTrace::Point {
                cost,
                quality,
                strong_share,
            } => (*strong_share, Some(Usd(*cost)), Some(*quality)),
            _ => (None, None, None),
        };
        routers.push(vec![
            r.name.clone().into(),
            share.into(),
            cost.into(),
            quality.into(),
            r.pgr.into(),
            r.apgr.into(),
            r.cpt50.into(),
            r.cpt80.into(),
            r.dollar.aiq.into(),
            r.dollar.cost_to_match.map(Usd).into(),
            r.saving.into(),
            r.saving_mixed.into(),
        ]);
        if let (RouterTrace::Curve(c), true) = (&r.shape, cx.curves) {
            for p in thin(c) {
                curves.push(vec![
                    r.name.clone().into(),
                    p.strong_share.into(),
                    Usd(p.cost).into(),
                    p.quality.into(),
                    pgr(p.quality, qw, qs).into(),
                ]);
            }
        }
    }
    (routers, curves)
}

fn oracle_mix(loaded: &Loaded, e: &Evaluation) -> Table {
    let t = &loaded.table;
    let n = t.n_queries();
    let mut mix = Table::new("oracle_mix", oracle_columns());
    for (m, &count) in e.oracle.mix.iter().enumerate() {
        mix.push(vec![
            t.models[m].clone().into(),
            Value::Count(count as u64),
            (count as f64 / n as f64).into(),
        ]);
    }
    mix
}

fn fields(loaded: &Loaded, e: &Evaluation, cx: &EvalInputs) -> Vec<(&'static str, Value)> {
    let t = &loaded.table;
    let n = t.n_queries();
    let stats = &e.stats;
    let base = &stats[e.baseline];
    let mut fields = vec![
        ("table", Value::from(cx.file)),
        ("queries", Value::Count(n as u64)),
        ("models", Value::Count(t.models.len() as u64)),
        ("rows", Value::Count(loaded.rows as u64)),
        (
            "rows_filtered_out",
            Value::Count(loaded.filtered_out as u64),
        ),
        (
            "queries_dropped",
            Value::Count(loaded.dropped.queries as u64),
        ),
        ("score_range", cx.spec.range.to_string().into()),
        ("pass_score", cx.options.pass.into()),
        ("weak", e.pair.map(|p| t.models[p.weak].clone()).into()),
        ("strong", e.pair.map(|p| t.models[p.strong].clone()).into()),
        ("baseline", base.model.clone().into()),
        ("baseline_quality", base.quality.into()),
        ("baseline_cost_per_query_usd", base.mean_cost.into()),
        ("aiq_min_cost_usd", Usd(e.range.0).into()),
        ("aiq_max_cost_usd", Usd(e.range.1).into()),
        (
            "oracle_unsolved_queries",
            Value::Count(e.oracle.unsolved as u64),
        ),
    ];
    fields.push(("group", cx.spec.group.clone().into()));
    fields.push((
        "curve_protocol",
        match cx.options.protocol {
            CurveProtocol::Continuous => "continuous",
            CurveProtocol::RouteLlm => "routellm",
        }
        .into(),
    ));
    fields.push(("price_date", cx.date.map(|d| d.to_string()).into()));
    fields
}

/// At most `CURVE_POINTS` points, evenly spaced along the curve, ends kept.
fn thin(c: &[CurvePoint]) -> Vec<CurvePoint> {
    if c.len() <= CURVE_POINTS {
        return c.to_vec();
    }
    (0..CURVE_POINTS)
        .map(|i| c[i * (c.len() - 1) / (CURVE_POINTS - 1)])
        .collect()
}

fn categories(loaded: &Loaded, e: &Evaluation) -> Option<Table> {
    loaded.table.categories.as_ref()?;
    let mut table = Table::new("categories", category_columns());
    for r in by_category(&loaded.table, &e.oracle) {
        table.push(vec![
            r.category.into(),
            r.model.into(),
            Value::Count(r.queries as u64),
            r.quality.into(),
            r.mean_cost.into(),
        ]);
    }
    Some(table)
}

/// The `models` table's columns.
pub fn model_columns() -> Vec<Column> {
    vec![
        MODEL,
        ROLE,
        QUERIES,
        QUALITY,
        PASSED,
        COST_PER_QUERY,
        TOTAL_COST,
        QUALITY_PER_DOLLAR,
        ON_ZERO_ROUTER,
        DOMINATED_BY,
    ]
}

/// The `routers` table's columns.
pub fn router_columns() -> Vec<Column> {
    vec![
        ROUTER,
        STRONG_SHARE,
        COST_PER_QUERY,
        QUALITY,
        PGR,
        APGR,
        CPT50,
        CPT80,
        AIQ,
        COST_TO_MATCH_BASELINE,
        SAVING_VS_BASELINE,
        MIXED_SAVINGS,
    ]
}

/// The `curves` table's columns.
pub fn curve_columns() -> Vec<Column> {
    vec![ROUTER, STRONG_SHARE, COST_PER_QUERY, QUALITY, PGR]
}

/// The `oracle_mix` table's columns.
pub fn oracle_columns() -> Vec<Column> {
    vec![ORACLE_SENDS_TO, QUERIES, SHARE]
}

/// The `categories` table's columns.
pub fn category_columns() -> Vec<Column> {
    vec![CATEGORY, MODEL, QUERIES, QUALITY, COST_PER_QUERY]
}
