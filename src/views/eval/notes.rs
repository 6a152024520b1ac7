//! The notes of the `eval` report: how quality, costs, the oracle, the
//! savings and each router were computed, with the paper each definition
//! comes from; and the warnings that go to stderr.

use super::EvalInputs;
use crate::eval::costs::CostSource;
use crate::eval::evaluate::Evaluation;
use crate::eval::protocol::CurveProtocol;
use crate::eval::OutcomeTable;
use crate::eval::{Layout, Loaded, ScoreRange};
use crate::human::{human_count, usd as format_usd};

pub(super) fn notes(loaded: &Loaded, e: &Evaluation, cx: &EvalInputs) -> Vec<String> {
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
    if let (Some(before), Some(col)) = (cx.ungrouped_queries, &cx.spec.group) {
        notes.push(format!(
            "routing unit: the {} queries are grouped by `{col}` into {} items, each routed as one (RouteLLM routes MT-Bench per question); an item scores the mean of its queries and costs their sum, so every per-query figure here is per item",
            human_count(before as f64),
            human_count(n as f64)
        ));
    }
    let o = &e.oracle;
    notes.push(format!(
        "oracle (RouterBench's): each query to the model with the best score on it, the cheapest of equals; {} quer{} ({:.1}%) no model passes (normalised score ≥ {}, the pass mark): they still go to their best-scoring model (on pass/fail tables, the cheapest) and cost {} in all",
        human_count(o.unsolved as f64),
        if o.unsolved == 1 { "y" } else { "ies" },
        100.0 * o.unsolved as f64 / n as f64,
        cx.options.pass,
        format_usd(o.unsolved_cost.value())
    ));
    let base = &e.stats[e.baseline];
    notes.push(format!(
        "savings are against always `{}` ({} per query, quality {:.4}): `saves vs baseline` reads each router's own curve (FrugalGPT's saving), at its cheapest point, linear between points, that reaches that quality (negative when it gets there only dearer); `saves, mixed` lets the router also be mixed at random with the single models (their joint hull, never below the zero router)",
        base.model,
        format_usd(base.mean_cost.value()),
        base.quality
    ));
    match e.pair {
        Some(p) => notes.push(format!(
            "PGR, APGR and CPT (RouteLLM) are on the strong-call share between weak `{}` ({:.4}) and strong `{}` ({:.4}); the random router is its expectation, so APGR 0.5 and CPT(x) = x exactly (RouteLLM samples it and reports ±CI)",
            t.models[p.weak], e.stats[p.weak].quality, t.models[p.strong], e.stats[p.strong].quality
        )),
        None => notes.push("the cheapest model is also the best: there is no weak/strong pair, so no PGR, APGR, CPT or synthetic routers".into()),
    }
    if e.pair.is_some() {
        notes.push(match cx.options.protocol {
            CurveProtocol::Continuous => "curves: continuous, a point per distinct threshold (the default); --protocol routellm reads them at RouteLLM's 11 points instead".into(),
            CurveProtocol::RouteLlm => "curves: RouteLLM's 11-point protocol: a router's thresholds are the deciles of its scores (pandas.qcut bin edges), the other curves are read at shares 0%, 10%, .., 100%; APGR by trapezoids over those points and CPT interpolated between them, as RouteLLM's evaluate.py does".into(),
        });
    }
    notes.push(format!(
        "AIQ (RouterBench): the mean quality over {} to {} per query (the cheapest to the dearest model) of the non-decreasing convex hull of each router's own points, flat beyond its dearest; a router whose cheapest point is dearer than {} (a single point: the oracle, a cascade) has none",
        format_usd(e.range.0),
        format_usd(e.range.1),
        format_usd(e.range.0)
    ));
    if e.pair.is_some() {
        notes.push("routers: random sends each query to the strong model with probability s; optimal (RouteLLM's) makes at most that share of strong calls, on the queries where the strong model gains most and only those (the best any router on the pair can do); a cascade tries its models in order until the verifier accepts".into());
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

fn cost_note(cx: &EvalInputs) -> String {
    let date = cx.date.map(|d| format!(" as of {d}")).unwrap_or_default();
    match cx.source {
        CostSource::Column(c) => format!("costs: the table's `{c}` column, USD per query"),
        CostSource::TokenColumns { input, output } => format!(
            "costs: each row's `{input}` and `{output}` tokens priced with the catalog{date}"
        ),
        CostSource::AssumedTokens(tokens) => {
            let (input, output) = (tokens.input, tokens.output);
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
        CostSource::PerQuery(_) => {
            let kind = match &cx.spec.layout {
                Layout::Wide { .. } => "the table has no costs; ",
                Layout::Long { .. } => "",
            };
            format!("costs: {kind}fixed per-query costs given with --cost-per-query, the same for every query of a model")
        }
    }
}

/// Warnings for stderr: a strong model that scores below the weak one
/// turns PGR's sign (the gap is negative), so every PGR, APGR and CPT
/// reads backwards.
pub fn warnings(t: &OutcomeTable, e: &Evaluation) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = e.pair {
        let (qw, qs) = (e.stats[p.weak].quality, e.stats[p.strong].quality);
        if qs < qw {
            out.push(format!(
                "strong `{}` ({qs:.4}) scores below weak `{}` ({qw:.4}): the gap PGR divides by is negative, so PGR, APGR and CPT read backwards (a router better than the weak model has PGR below 0)\n  hint: swap --weak and --strong",
                t.models[p.strong], t.models[p.weak]
            ));
        }
    }
    out
}
