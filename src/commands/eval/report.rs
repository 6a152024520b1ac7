//! The `eval` report: the models, the routers (with their metrics), the
//! oracle's model mix, the curves (for plots) and, with `--category`, a
//! per-category view; the notes say where costs came from, what "quality"
//! and "oracle" mean here, and what every saving is measured against.

use jiff::civil::Date;

use super::CostSource;
use crate::engine::frontier::dominator;
use crate::eval::evaluate::{EvalOptions, Evaluation, RouterTrace};
use crate::eval::metrics::{pgr, CurvePoint, ModelStats};
use crate::eval::{Layout, Loaded, ScoreRange, TableSpec};
use crate::human::{human_count, usd as format_usd};
use crate::report::{col, Kind, Report, Table, Value};

pub struct Context<'a> {
    pub file: &'a str,
    pub spec: &'a TableSpec,
    pub source: &'a CostSource,
    /// `(table model, catalog model, USD per query)` for `--tokens`.
    pub priced_as: &'a [(String, String, f64)],
    /// The price date, when the catalog priced anything.
    pub date: Option<Date>,
    pub options: &'a EvalOptions,
    pub router_column: Option<&'a str>,
    /// Whether to add the curves' points.
    pub curves: bool,
}

/// Curves carry at most this many points in the report (the metrics use all).
const CURVE_POINTS: usize = 201;

pub fn build(loaded: &Loaded, e: &Evaluation, cx: &Context) -> Report {
    let t = &loaded.table;
    let n = t.n_queries();
    let stats = &e.stats;
    let points: Vec<_> = stats.iter().map(ModelStats::point).collect();
    let mut models = Table::new(
        "models",
        vec![
            col("model", "model", Kind::Text),
            col("role", "role", Kind::Text),
            col("queries", "queries", Kind::Number),
            col("quality", "quality", Kind::Rate),
            col("passed", "passed", Kind::Percent),
            col("cost_per_query_usd", "$/query", Kind::Usd),
            col("total_cost_usd", "total $", Kind::Usd),
            col("quality_per_usd", "quality/$", Kind::Number),
            col("on_zero_router", "on hull", Kind::Flag),
            col("dominated_by", "dominated by", Kind::Text),
        ],
    );
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
            s.mean_cost.value().into(),
            s.total_cost.value().into(),
            s.quality_per_usd().into(),
            Value::Bool(e.zero_hull.contains(&m)),
            dominator(&points, m).map(|d| stats[d].model.clone()).into(),
        ]);
    }
    let mut routers = Table::new(
        "routers",
        vec![
            col("router", "router", Kind::Text),
            col("strong_share", "strong calls", Kind::Percent),
            col("cost_per_query_usd", "$/query", Kind::Usd),
            col("quality", "quality", Kind::Rate),
            col("pgr", "PGR", Kind::Number),
            col("apgr", "APGR", Kind::Number),
            col("cpt50", "CPT(50%)", Kind::Percent),
            col("cpt80", "CPT(80%)", Kind::Percent),
            col("aiq", "AIQ", Kind::Rate),
            col(
                "cost_to_match_baseline_usd",
                "$/query at base quality",
                Kind::Usd,
            ),
            col("saving_vs_baseline_pct", "saves vs baseline", Kind::Percent),
        ],
    );
    let mut curves = Table::new(
        "curves",
        vec![
            col("router", "router", Kind::Text),
            col("strong_share", "strong calls", Kind::Percent),
            col("cost_per_query_usd", "$/query", Kind::Usd),
            col("quality", "quality", Kind::Rate),
            col("pgr", "PGR", Kind::Number),
        ],
    );
    let (qw, qs) = e.pair.map_or((0.0, 0.0), |p| {
        (stats[p.weak].quality, stats[p.strong].quality)
    });
    for r in &e.routers {
        let (share, cost, quality) = match &r.shape {
            RouterTrace::Point {
                cost,
                quality,
                strong_share,
            } => (*strong_share, Some(*cost), Some(*quality)),
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
            r.dollar.cost_to_match.into(),
            r.saving.into(),
        ]);
        if let (RouterTrace::Curve(c), true) = (&r.shape, cx.curves) {
            for p in thin(c) {
                curves.push(vec![
                    r.name.clone().into(),
                    p.strong_share.into(),
                    p.cost.into(),
                    p.quality.into(),
                    pgr(p.quality, qw, qs).into(),
                ]);
            }
        }
    }
    let mut mix = Table::new(
        "oracle_mix",
        vec![
            col("model", "oracle sends to", Kind::Text),
            col("queries", "queries", Kind::Number),
            col("share", "share", Kind::Percent),
        ],
    );
    for (m, &count) in e.oracle.mix.iter().enumerate() {
        mix.push(vec![
            t.models[m].clone().into(),
            Value::Count(count as u64),
            (count as f64 / n as f64).into(),
        ]);
    }
    let mut tables = vec![models, routers, mix];
    if let Some(categories) = categories(loaded, e) {
        tables.push(categories);
    }
    if cx.curves {
        tables.push(curves);
    }
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
        ("baseline_cost_per_query_usd", base.mean_cost.value().into()),
        ("aiq_min_cost_usd", e.range.0.into()),
        ("aiq_max_cost_usd", e.range.1.into()),
        (
            "oracle_unsolved_queries",
            Value::Count(e.oracle.unsolved as u64),
        ),
    ];
    fields.push(("price_date", cx.date.map(|d| d.to_string()).into()));
    Report {
        command: "eval",
        title: format!(
            "cost eval: {} ({} queries × {} models)",
            cx.file,
            human_count(n as f64),
            t.models.len()
        ),
        fields,
        tables,
        notes: notes(loaded, e, cx),
    }
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
    let t = &loaded.table;
    let cats = t.categories.as_ref()?;
    let mut table = Table::new(
        "categories",
        vec![
            col("category", "category", Kind::Text),
            col("model", "model", Kind::Text),
            col("queries", "queries", Kind::Number),
            col("quality", "quality", Kind::Rate),
            col("cost_per_query_usd", "$/query", Kind::Usd),
        ],
    );
    let mut order: Vec<usize> = (0..cats.names.len()).collect();
    order.sort_by(|&a, &b| cats.names[a].cmp(&cats.names[b]));
    for c in order {
        let queries: Vec<usize> = (0..t.n_queries())
            .filter(|&q| cats.of_query[q] as usize == c)
            .collect();
        if queries.is_empty() {
            continue;
        }
        let k = queries.len() as f64;
        let mut row = |name: String, pick: &dyn Fn(usize) -> usize| {
            let quality = queries.iter().map(|&q| t.scores[pick(q)][q]).sum::<f64>() / k;
            let cost = queries.iter().map(|&q| t.costs[pick(q)][q]).sum::<f64>() / k;
            table.push(vec![
                cats.names[c].clone().into(),
                name.into(),
                Value::Count(queries.len() as u64),
                quality.into(),
                cost.into(),
            ]);
        };
        for m in 0..t.models.len() {
            row(t.models[m].clone(), &|_| m);
        }
        row("oracle".into(), &|q| e.oracle.choice[q] as usize);
    }
    Some(table)
}

fn notes(loaded: &Loaded, e: &Evaluation, cx: &Context) -> Vec<String> {
    let t = &loaded.table;
    let n = t.n_queries();
    let mut notes = Vec::new();
    notes.push(quality_note(cx.spec.range));
    notes.push(cost_note(cx));
    if !cx.spec.filters.is_empty() {
        let f: Vec<String> = cx.spec.filters.iter().map(ToString::to_string).collect();
        notes.push(format!(
            "rows kept where {}: {} of {} rows left out",
            f.join(" and "),
            human_count(loaded.filtered_out as f64),
            human_count(loaded.rows as f64)
        ));
    }
    if let Some(m) = &loaded.dropped.example {
        notes.push(format!(
            "--allow-missing: {} quer{} lacked an outcome from some model (e.g. `{}` has none from `{}`, line {}); assumed nothing about them and left them out, so every figure is over the {} queries that every model answered",
            human_count(loaded.dropped.queries as f64),
            if loaded.dropped.queries == 1 { "y" } else { "ies" },
            m.query,
            m.model,
            m.query_line,
            human_count(n as f64)
        ));
    }
    let o = &e.oracle;
    notes.push(format!(
        "oracle: each query to the model with the best score on it, the cheapest of equals; {} quer{} ({:.1}%) no model passes (normalised score ≥ {}): they go to the cheapest model, since all fail, and cost {} in all",
        human_count(o.unsolved as f64),
        if o.unsolved == 1 { "y" } else { "ies" },
        100.0 * o.unsolved as f64 / n as f64,
        cx.options.pass,
        format_usd(o.unsolved_cost.value())
    ));
    let base = &e.stats[e.baseline];
    notes.push(format!(
        "savings are against always `{}` ({} per query, quality {:.4}): the cost per query at which each router, mixed with the single models, first reaches that quality",
        base.model,
        format_usd(base.mean_cost.value()),
        base.quality
    ));
    match e.pair {
        Some(p) => notes.push(format!(
            "PGR, APGR and CPT are on the strong-call share between weak `{}` ({:.4}) and strong `{}` ({:.4}); the random router is its expectation, so APGR 0.5 and CPT(x) = x exactly (RouteLLM samples it and reports ±CI)",
            t.models[p.weak], e.stats[p.weak].quality, t.models[p.strong], e.stats[p.strong].quality
        )),
        None => notes.push("the cheapest model is also the best: there is no weak/strong pair, so no PGR, APGR, CPT or synthetic routers".into()),
    }
    notes.push(format!(
        "AIQ: mean quality over {} to {} per query (the cheapest to the dearest model) of each router's hull together with the single models",
        format_usd(e.range.0),
        format_usd(e.range.1)
    ));
    if e.pair.is_some() {
        notes.push("routers: random sends each query to the strong model with probability s; the pair oracle sends first the queries where the strong model gains most (the best any router on the pair can do); a cascade tries its models in order until the verifier accepts".into());
    }
    if let Some(h) = e.positive_share {
        notes.push(format!(
            "synthetic AUC routers: a binormal classifier of the {:.1}% of queries where the strong model scores higher; the curve is its expectation over every threshold",
            100.0 * h
        ));
    }
    if let Some(c) = cx.router_column {
        notes.push(format!("threshold router: queries with the highest `{c}` go to the strong model first; one point per distinct score"));
    }
    if !e.cascades.is_empty() {
        let v = cx.options.verifier;
        notes.push(format!(
            "cascades replay each query's actual outcomes: the verifier accepts a correct answer (score ≥ {}) with probability {} and a wrong one with {}, at {} per check; cost includes every stage tried",
            cx.options.pass, v.accept_correct, v.accept_wrong, format_usd(v.cost)
        ));
    }
    notes
}

fn quality_note(range: ScoreRange) -> String {
    if range == ScoreRange::UNIT {
        "quality: the mean score on 0..1 (true/false count as 1/0)".into()
    } else {
        format!(
            "quality: scores on {range} normalised to 0..1 as (score − {}) / {}, then averaged",
            range.lo,
            range.hi - range.lo
        )
    }
}

fn cost_note(cx: &Context) -> String {
    let date = cx.date.map(|d| format!(" as of {d}")).unwrap_or_default();
    match cx.source {
        CostSource::Column(c) => format!("costs: the table's `{c}` column, USD per query"),
        CostSource::TokenColumns { input, output } => format!(
            "costs: each row's `{input}` and `{output}` tokens priced with the catalog{date}"
        ),
        CostSource::AssumedTokens { input, output } => {
            let each: Vec<String> = cx
                .priced_as
                .iter()
                .map(|(m, id, usd)| format!("`{m}` as {id} {}", format_usd(*usd)))
                .collect();
            format!(
                "costs: ASSUMED, not measured: every query {input} input + {output} output tokens, priced with the catalog{date}: {}",
                each.join(", ")
            )
        }
        CostSource::PerQuery => {
            let kind = match &cx.spec.layout {
                Layout::Wide { .. } => "the table has no costs; ",
                Layout::Long { .. } => "",
            };
            format!("costs: {kind}fixed per-query costs given with --cost-per-query, the same for every query of a model")
        }
    }
}
