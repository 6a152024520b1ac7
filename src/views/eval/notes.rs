//! The notes of the `eval` report: how quality, costs, the oracle, the
//! savings and each router were computed.

use super::EvalInputs;
use crate::eval::costs::CostSource;
use crate::eval::evaluate::Evaluation;
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
