//! `cost simulate`: per plan, the simulated daily and monthly bill bands,
//! budget risk and latency percentiles; per class, latency percentiles; or
//! a histogram of the bill; and the chart of its distribution.

use super::bands;
use crate::engine::histogram::Bins;
use crate::engine::risk::{budget_risk, slo_met};
use crate::engine::simulate::{percentile, Period, PlanSim, SimOptions};
use crate::engine::{Context, PlanOutcome};
use crate::human::human_count;
use crate::plot::{Chart, Series, Style};
use crate::report::columns::scenario::{
    BIN_HIGH, BIN_LOW, COUNT, EXPECTED_PER_DAY, MEAN_PER_DAY, PERIOD, PERIOD_SHARE,
};
use crate::report::columns::{
    CLASS, DAY_P5, DAY_P50, DAY_P95, DAY_P99, E2E_P50, E2E_P95, E2E_P99, MONTH_P5, MONTH_P50,
    MONTH_P95, MONTH_P99, PLAN, P_OVER_BUDGET, SLO_MET, TTFT_P50, TTFT_P95, TTFT_P99,
};
use crate::report::{Column, Report, Table, Value};
use crate::scenario::Scenario;

/// What the report shows: the summary tables, or a histogram of one period.
pub enum Shown {
    Summary,
    Histogram { period: Period, bins: usize },
}

pub fn report(
    s: &Scenario,
    outcomes: &[PlanOutcome],
    sims: &[PlanSim],
    opts: &SimOptions,
    shown: &Shown,
    ctx: &Context,
) -> Report {
    let mut notes = bands::method_notes(s, opts);
    notes.extend(slo_notes(s, sims));
    notes.extend(bands::fleet_notes(sims));
    for o in outcomes {
        let share = o.over_limit_share();
        if share >= 0.001 {
            notes.push(format!(
                "plan `{}`: {:.1}% of requests exceed a model's context window or maximum output; the provider refuses them, so that part of the bill is not one you can get",
                o.plan,
                share * 100.0
            ));
        }
    }
    if let Some(sim) = sims.iter().find(|p| p.segments.len() > 1) {
        let pieces: Vec<String> = sim
            .segments
            .iter()
            .map(|(first, days)| format!("{days:.2} days from {first}"))
            .collect();
        notes.push(format!(
            "a price changes within the simulated month: plan `{}`'s month is priced in pieces ({}), each at the prices of its own days",
            sim.plan,
            pieces.join(", ")
        ));
    }
    let tables = match shown {
        Shown::Histogram { period, bins } => vec![histogram(sims, *period, *bins)],
        Shown::Summary => vec![summary(s, outcomes, sims), classes(sims)],
    };
    Report {
        command: "simulate",
        title: format!(
            "cost simulate: {} ({} days x {} requests/day, seed {}, prices as of {})",
            s.name,
            human_count(opts.trials as f64),
            human_count(s.requests_per_day),
            opts.seed,
            ctx.date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("trials", (opts.trials as u64).into()),
            ("seed", opts.seed.into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables,
        notes,
    }
}

fn quantile(v: Option<&Vec<f64>>, p: f64) -> Value {
    v.map(|v| percentile(v, p)).into()
}

fn summary(s: &Scenario, outcomes: &[PlanOutcome], sims: &[PlanSim]) -> Table {
    let mut table = Table::new("plans", plan_columns());
    for (o, sim) in outcomes.iter().zip(sims) {
        let mut row: Vec<Value> = vec![
            o.plan.clone().into(),
            o.per_day.into(),
            sim.mean_daily().into(),
        ];
        for p in [0.05, 0.5, 0.95, 0.99] {
            row.push(percentile(&sim.daily, p).into());
        }
        for p in [0.05, 0.5, 0.95, 0.99] {
            row.push(percentile(&sim.monthly, p).into());
        }
        row.push(budget_risk(s, sim).into());
        for p in [0.5, 0.95, 0.99] {
            row.push(quantile(sim.ttft.as_ref(), p));
        }
        for p in [0.5, 0.95, 0.99] {
            row.push(quantile(sim.e2e.as_ref(), p));
        }
        row.push(bands::slo_cell(s, sim));
        table.push(row);
    }
    table
}

fn classes(sims: &[PlanSim]) -> Table {
    let mut table = Table::new("classes", class_columns());
    for sim in sims {
        for c in &sim.classes {
            table.push(vec![
                sim.plan.clone().into(),
                c.class.clone().into(),
                quantile(c.ttft.as_ref(), 0.5),
                quantile(c.ttft.as_ref(), 0.95),
                quantile(c.ttft.as_ref(), 0.99),
                quantile(c.e2e.as_ref(), 0.5),
                quantile(c.e2e.as_ref(), 0.95),
                quantile(c.e2e.as_ref(), 0.99),
            ]);
        }
    }
    table
}

fn samples(sim: &PlanSim, period: Period) -> &[f64] {
    match period {
        Period::Day => &sim.daily,
        Period::Month => &sim.monthly,
    }
}

fn bins_of(sims: &[PlanSim], period: Period, n: usize) -> Bins {
    let all: Vec<&[f64]> = sims.iter().map(|s| samples(s, period)).collect();
    Bins::spanning(&all, n)
}

fn histogram(sims: &[PlanSim], period: Period, n: usize) -> Table {
    let bins = bins_of(sims, period, n);
    let mut table = Table::new("histogram", histogram_columns());
    for sim in sims {
        let values = samples(sim, period);
        for (i, c) in bins.counts(values).into_iter().enumerate() {
            let (low, high) = bins.edges(i);
            table.push(vec![
                sim.plan.clone().into(),
                period.key().into(),
                low.into(),
                high.into(),
                c.into(),
                (c as f64 / values.len() as f64).into(),
            ]);
        }
    }
    table
}

/// The distribution of each plan's bill over `period`, as lines.
pub fn chart(s: &Scenario, sims: &[PlanSim], period: Period, n: usize) -> Chart {
    let bins = bins_of(sims, period, n);
    let series = sims
        .iter()
        .map(|sim| {
            let values = samples(sim, period);
            let points = bins
                .counts(values)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let (low, high) = bins.edges(i);
                    (0.5 * (low + high), c as f64 / values.len() as f64)
                })
                .collect();
            let name = if sim.plan == s.baseline {
                format!("{} (baseline)", sim.plan)
            } else {
                sim.plan.clone()
            };
            Series {
                name,
                points,
                style: Style::Line,
                labels: vec![],
            }
        })
        .collect();
    let unit = period.key();
    Chart {
        title: format!("{}: distribution of the {unit}ly bill", s.name),
        x_label: format!("USD per {unit}"),
        y_label: "share of simulated periods".into(),
        series,
    }
}

fn slo_text(s: &Scenario) -> String {
    let mut parts = Vec::new();
    if let Some(t) = s.slo.ttft_p95_s {
        parts.push(format!("TTFT p95 ≤ {t} s"));
    }
    if let Some(t) = s.slo.e2e_p95_s {
        parts.push(format!("E2E p95 ≤ {t} s"));
    }
    parts.join(", ")
}

fn slo_notes(s: &Scenario, sims: &[PlanSim]) -> Vec<String> {
    let mut out = Vec::new();
    if s.slo.ttft_p95_s.is_none() && s.slo.e2e_p95_s.is_none() {
        return out;
    }
    for sim in sims {
        match slo_met(s, sim) {
            Some(false) => out.push(format!(
                "plan `{}` breaks the SLO ({})",
                sim.plan,
                slo_text(s)
            )),
            None => out.push(format!(
                "plan `{}`: no latency figures for some model, so the SLO cannot be checked",
                sim.plan
            )),
            Some(true) => {}
        }
    }
    out
}

/// The `plans` table's columns.
pub fn plan_columns() -> Vec<Column> {
    vec![
        PLAN,
        EXPECTED_PER_DAY,
        MEAN_PER_DAY,
        DAY_P5,
        DAY_P50,
        DAY_P95,
        DAY_P99,
        MONTH_P5,
        MONTH_P50,
        MONTH_P95,
        MONTH_P99,
        P_OVER_BUDGET,
        TTFT_P50,
        TTFT_P95,
        TTFT_P99,
        E2E_P50,
        E2E_P95,
        E2E_P99,
        SLO_MET,
    ]
}

/// The `classes` table's columns.
pub fn class_columns() -> Vec<Column> {
    vec![
        PLAN, CLASS, TTFT_P50, TTFT_P95, TTFT_P99, E2E_P50, E2E_P95, E2E_P99,
    ]
}

/// The `histogram` table's columns.
pub fn histogram_columns() -> Vec<Column> {
    vec![PLAN, PERIOD, BIN_LOW, BIN_HIGH, COUNT, PERIOD_SHARE]
}
