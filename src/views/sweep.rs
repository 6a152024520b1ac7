//! `cost sweep`: tidy long-format rows (one per value and plan) and the
//! chart of monthly cost against the parameter.

use crate::engine::sweep::{name, Vary};
use crate::engine::{Context, PlanOutcome};
use crate::plot::{Chart, Series, Style};
use crate::report::columns::scenario::{PARAM, SAVINGS_SHARE, VALUE};
use crate::report::columns::{
    COST_PER_DAY, COST_PER_MONTH, COST_PER_REQUEST, E2E, ESCALATED, PLAN, QUALITY, TTFT,
};
use crate::report::{Column, Report, Table};
use crate::scenario::Scenario;

/// Each value swept with every plan's outcome at it.
pub type Results = [(f64, Vec<PlanOutcome>)];

pub fn report(s: &Scenario, vary: &Vary, results: &Results, ctx: &Context) -> Report {
    let mut table = Table::new("rows", columns());
    let label = name(&vary.param);
    for (value, outcomes) in results {
        let base = outcomes
            .iter()
            .find(|o| o.plan == s.baseline)
            .map(|o| o.per_month.value());
        for o in outcomes {
            table.push(vec![
                label.clone().into(),
                (*value).into(),
                o.plan.clone().into(),
                o.per_request.into(),
                o.per_day.into(),
                o.per_month.into(),
                base.filter(|b| *b > 0.0)
                    .map(|b| (b - o.per_month.value()) / b)
                    .into(),
                o.quality.into(),
                o.escalated.into(),
                o.ttft_s.into(),
                o.e2e_s.into(),
            ]);
        }
    }
    Report {
        command: "sweep",
        title: format!(
            "cost sweep: {} over {label} ({} values, prices as of {})",
            s.name,
            vary.values.len(),
            ctx.date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("param", label.into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![table],
        notes: vec![format!(
            "savings are against the baseline plan `{}` at the same parameter value",
            s.baseline
        )],
    }
}

/// Monthly cost against the parameter, a line per plan.
pub fn chart(s: &Scenario, vary: &Vary, results: &Results) -> Chart {
    let label = name(&vary.param);
    let mut series: Vec<Series> = Vec::new();
    for (value, outcomes) in results {
        for o in outcomes {
            let name = if o.plan == s.baseline {
                format!("{} (baseline)", o.plan)
            } else {
                o.plan.clone()
            };
            let point = (*value, o.per_month.value());
            match series.iter_mut().find(|x| x.name == name) {
                Some(x) => x.points.push(point),
                None => series.push(Series {
                    name,
                    points: vec![point],
                    style: Style::Line,
                    labels: vec![],
                }),
            }
        }
    }
    Chart {
        title: format!("{}: monthly cost as {label} varies", s.name),
        x_label: label,
        y_label: "USD per month".into(),
        series,
    }
}

/// The `rows` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        PARAM,
        VALUE,
        PLAN,
        COST_PER_REQUEST,
        COST_PER_DAY,
        COST_PER_MONTH,
        SAVINGS_SHARE,
        QUALITY,
        ESCALATED,
        TTFT,
        E2E,
    ]
}
