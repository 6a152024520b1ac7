//! Plan vs actual (`cost report --replay LOG...`): the logs replayed by
//! `replay::drive` (each request priced on its own day), scaled to a month
//! by their time span, beside the examined plan's forecast per class and
//! per model, and the variance bridge of `engine::variance`.
//!
//! The scaling rule: actual days = (latest − earliest request time) in the
//! logs, to the millisecond; a month of actuals = the logged figures ×
//! the scenario's days per month / actual days.

use jiff::Timestamp;

use super::build::Inputs;
use super::charts::{Bridge as BridgeChart, Step};
use super::{Block, ChartKind, Figure, Section};
use crate::engine::variance::{
    bridge, forecast_by_class, forecast_by_model, join, Bridge, Segment, Traffic,
};
use crate::human::{human_count, usd};
use crate::money::{Money, Usd};
use crate::replay::aggregate::Totals;
use crate::replay::drive::FileSummary;
use crate::replay::tally::Tally;
use crate::report::columns::board::{
    ACTUAL_MIX, ACTUAL_MONTH, ACTUAL_PER_CALL, ACTUAL_TOKENS_PER_CALL, FORECAST_MIX,
    FORECAST_MONTH, FORECAST_PER_CALL, FORECAST_TOKENS_PER_CALL, STEP, STEP_CHANGE, STEP_LEVEL,
};
use crate::report::columns::{CLASS, MODEL};
use crate::report::{Column, Table, Value};

/// The class of requests whose log line has no `class` field, in a log
/// where other lines have one.
const NO_CLASS: &str = "(no class)";

/// What the logs say, scaled to a month.
#[derive(Debug, Clone)]
pub struct Observed {
    /// Per class of the log's `class` field (empty: no line has one).
    pub by_class: Vec<(String, Traffic)>,
    pub by_model: Vec<(String, Traffic)>,
    pub first: Timestamp,
    pub last: Timestamp,
    /// Actual days (see the module's rule).
    pub days: f64,
    /// Priced requests, and requests that could not be priced.
    pub priced: u64,
    pub not_priced: u64,
    pub files: Vec<String>,
}

/// Why the logs cannot be scaled to a month.
#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    #[error("the logs name no request time, so they cannot be scaled to a month (plan vs actual scales by the logs' time span)")]
    Undated,
    #[error("every request in the logs has the same time ({0}), so they span no time to scale to a month")]
    NoSpan(Timestamp),
    #[error("the logs hold no request that could be priced")]
    Empty,
}

/// The month the logs stand for: their priced requests, tokens and exact
/// cost × `days_per_month` / their span in days, per class and per model.
pub fn observe(
    tally: &Tally<'_>,
    files: &[FileSummary],
    days_per_month: f64,
) -> Result<Observed, ScaleError> {
    let (first, last) = tally.span.ok_or(ScaleError::Undated)?;
    let span_ms = i128::from(last.as_millisecond() - first.as_millisecond());
    if span_ms <= 0 {
        return Err(ScaleError::NoSpan(first));
    }
    let month_ms = (days_per_month * 86_400_000.0).round() as i128;
    let scale = |t: &Totals| Traffic {
        calls: t.priced as f64 * month_ms as f64 / span_ms as f64,
        tokens: (t.input + t.cache_read + t.cache_write + t.output + t.reasoning) as f64
            * month_ms as f64
            / span_ms as f64,
        // Exact: picodollars × month / span, rounded half away from zero.
        cost: Money::from_picos((t.cost.picos() * month_ms * 2 + span_ms) / (2 * span_ms)),
    };
    let mut classes: Vec<(String, Totals)> = Vec::new();
    let mut models: Vec<(String, Totals)> = Vec::new();
    let add = |list: &mut Vec<(String, Totals)>, key: &str, t: &Totals| match list
        .iter_mut()
        .find(|(k, _)| k == key)
    {
        Some((_, sum)) => sum.merge(t),
        None => list.push((key.to_string(), *t)),
    };
    for (key, t) in tally.groups.sorted() {
        let (class, model) = (key[0], key.get(1).copied().unwrap_or_default());
        add(&mut classes, class, t);
        add(&mut models, model, t);
    }
    let all = tally.groups.total();
    if all.priced == 0 {
        return Err(ScaleError::Empty);
    }
    let has_class = classes.iter().any(|(k, _)| !k.is_empty());
    let named = |list: Vec<(String, Totals)>| -> Vec<(String, Traffic)> {
        list.into_iter()
            .filter(|(_, t)| t.priced > 0)
            .map(|(k, t)| {
                let k = if k.is_empty() {
                    NO_CLASS.to_string()
                } else {
                    k
                };
                (k, scale(&t))
            })
            .collect()
    };
    Ok(Observed {
        by_class: if has_class {
            named(classes)
        } else {
            Vec::new()
        },
        by_model: named(models),
        first,
        last,
        days: span_ms as f64 / 86_400_000.0,
        priced: all.priced,
        not_priced: all.not_priced,
        files: files.iter().map(|f| f.name.clone()).collect(),
    })
}

/// The segments the bridge decomposes: classes when the logs have them, else models.
pub(super) fn segments(i: &Inputs, o: &Observed) -> (Vec<Segment>, bool) {
    let plan = &i.outcomes[i.chosen];
    let month = i.scenario.requests_per_month();
    if o.by_class.is_empty() {
        let (f, _) = forecast_by_model(plan, month);
        (join(f, o.by_model.clone()), false)
    } else {
        (
            join(forecast_by_class(plan, month), o.by_class.clone()),
            true,
        )
    }
}

pub(super) fn the_bridge(i: &Inputs, o: &Observed) -> Bridge {
    bridge(&segments(i, o).0)
}

fn table(name: &'static str, first: Column, segments: &[Segment]) -> Table {
    let mut t = Table::new(
        name,
        vec![
            first,
            FORECAST_MIX,
            ACTUAL_MIX,
            FORECAST_TOKENS_PER_CALL,
            ACTUAL_TOKENS_PER_CALL,
            FORECAST_PER_CALL,
            ACTUAL_PER_CALL,
            FORECAST_MONTH,
            ACTUAL_MONTH,
        ],
    );
    let total = |f: fn(&Segment) -> Option<Traffic>| -> f64 {
        segments.iter().filter_map(f).map(|t| t.calls).sum()
    };
    let (n_f, n_a) = (total(|s| s.forecast), total(|s| s.actual));
    let share = |t: Option<Traffic>, n: f64| t.filter(|_| n > 0.0).map(|t| t.calls / n);
    let per_call = |t: Option<Traffic>| {
        t.filter(|t| t.calls > 0.0)
            .map(|t| Usd(t.cost.usd().value() / t.calls))
    };
    for s in segments {
        t.push(vec![
            s.name.clone().into(),
            share(s.forecast, n_f).into(),
            share(s.actual, n_a).into(),
            s.forecast.and_then(|t| t.tokens_per_call()).into(),
            s.actual.and_then(|t| t.tokens_per_call()).into(),
            per_call(s.forecast).into(),
            per_call(s.actual).into(),
            s.forecast.map(|t| t.cost).into(),
            s.actual.map(|t| t.cost).into(),
        ]);
    }
    t
}

fn bridge_table(b: &Bridge) -> Table {
    let mut t = Table::new("variance", vec![STEP, STEP_CHANGE, STEP_LEVEL]);
    t.push(vec![
        "forecast".into(),
        Value::Empty,
        Value::Money(b.forecast),
    ]);
    let mut level = b.forecast;
    for (name, part) in b.parts() {
        level += part;
        t.push(vec![name.into(), Value::Money(part), Value::Money(level)]);
    }
    t.push(vec![
        "actual".into(),
        Value::Money(b.variance()),
        Value::Money(b.actual),
    ]);
    t
}

fn chart(b: &Bridge) -> BridgeChart {
    let mut steps = vec![Step {
        label: "forecast".into(),
        from: 0.0,
        to: b.forecast.usd().value(),
        total: true,
    }];
    let mut level = b.forecast;
    for (name, part) in b.parts() {
        let from = level.usd().value();
        level += part;
        steps.push(Step {
            label: name.into(),
            from,
            to: level.usd().value(),
            total: false,
        });
    }
    steps.push(Step {
        label: "actual".into(),
        from: 0.0,
        to: b.actual.usd().value(),
        total: true,
    });
    BridgeChart {
        x_label: "USD per month".into(),
        steps,
    }
}

/// Days with up to four decimals, no trailing zeros (`1`, `0.005`).
fn days(v: f64) -> String {
    crate::human::trimmed(v, 4, 0)
        .trim_end_matches('.')
        .to_string()
}

fn signed(m: Money) -> String {
    let v = m.usd().value();
    if v >= 0.0 {
        format!("+{}", usd(v))
    } else {
        usd(v)
    }
}

/// The bridge in one sentence, for the answer.
pub(super) fn sentence(b: &Bridge) -> String {
    let parts: Vec<String> = b
        .parts()
        .iter()
        .map(|(name, m)| format!("{name} {}", signed(*m)))
        .collect();
    format!(
        "The logged traffic runs at {} a month against the forecast {} ({}: {}).",
        usd(b.actual.usd().value()),
        usd(b.forecast.usd().value()),
        signed(b.variance()),
        parts.join(", ")
    )
}

pub(super) fn section(i: &Inputs, o: &Observed) -> Section {
    let plan = &i.outcomes[i.chosen];
    let s = i.scenario;
    let (segs, by_class) = segments(i, o);
    let b = bridge(&segs);
    let (model_forecast, fees) = forecast_by_model(plan, s.requests_per_month());
    let models = join(model_forecast, o.by_model.clone());
    let mut blocks = vec![Block::Text(format!(
        "Plan `{}`'s forecast beside {} priced requests logged in {} from {} to {}: {} actual days, scaled to a month of {} days (every logged figure × {} / {}).",
        plan.plan,
        human_count(o.priced as f64),
        o.files.join(", "),
        o.first,
        o.last,
        days(o.days),
        days(s.days_per_month),
        days(s.days_per_month),
        days(o.days),
    ))];
    if by_class {
        blocks.push(Block::Table {
            caption: "Per class: forecast beside actual, a month each".into(),
            table: table("classes", CLASS, &segs),
        });
    }
    blocks.push(Block::Table {
        caption: "Per model: forecast beside actual, a month each (calls, router and verifier calls included)".into(),
        table: table("models", MODEL, &models),
    });
    let steps: Vec<String> = b
        .parts()
        .iter()
        .map(|(name, m)| format!("{name} {}", signed(*m)))
        .collect();
    blocks.push(Block::Figure(Figure {
        id: "variance-chart",
        title: format!("{}: forecast to actual monthly cost, plan `{}`", s.name, plan.plan),
        description: format!(
            "A bridge from the forecast {} a month (first bar) to the actual {} (last bar); each bar between is one cause's change, red where it costs more, green where it saves: {}.",
            usd(b.forecast.usd().value()),
            usd(b.actual.usd().value()),
            steps.join("; ")
        ),
        chart: ChartKind::Bridge(chart(&b)),
    }));
    blocks.push(Block::Table {
        caption: format!(
            "Variance explained, by {}: each step switches one factor from forecast to actual",
            if by_class { "class" } else { "model" }
        ),
        table: bridge_table(&b),
    });
    let mut notes = vec![
        "variance explained: a sequential price-volume-mix decomposition in this order: volume (calls a month), mix (each segment's share of the calls, at the forecast's cost per call), token sizes (billed tokens per call, at the forecast's cost per token), prices (the actual cost per billed token: price changes, and also the split between input, cached and output tokens, another model, tier or cache use within the segment); the parts add up to the variance exactly, to the picodollar".into(),
        "actual costs are `cost`'s own pricing of each logged request on its day (as `cost replay` prices it), not the log's stated cost".into(),
    ];
    if !by_class {
        notes.push("the logs have no `class` field, so their requests are grouped by model and the bridge's mix is the model mix (calls a month, router and verifier calls included)".into());
    }
    if segs.iter().any(|s| s.forecast.is_none()) {
        notes.push(format!(
            "segments the forecast does not have enter the mix step at their actual cost per call: {}",
            segs.iter()
                .filter(|s| s.forecast.is_none())
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if fees.value() > 0.0 {
        notes.push(format!(
            "the per-model table leaves out the plan's fixed router or verifier fees, {} a month in the forecast: they are no model's",
            usd(fees.value())
        ));
    }
    if o.not_priced > 0 {
        notes.push(format!(
            "{} logged requests could not be priced (an unknown model or no price on their day) and are left out; `cost replay LOG` lists them",
            human_count(o.not_priced as f64)
        ));
    }
    blocks.push(Block::Notes(notes));
    Section {
        id: "plan-vs-actual",
        heading: "Plan vs actual".into(),
        blocks,
    }
}
