//! Monte Carlo bands as report columns and notes, shared by `simulate` and
//! the bands `compare` and `route` add to their plan rows.

use crate::engine::risk::{budget_risk, slo_met};
use crate::engine::simulate::{percentile, PlanSim, SimOptions};
use crate::human::human_count;
use crate::report::columns::{
    Column, DAY_P5, DAY_P95, E2E_P95, MONTH_P95, P_OVER_BUDGET, SLO_MET, TTFT_P95,
};
use crate::report::{Table, Value};
use crate::scenario::Scenario;

/// Columns `compare` and `route` add when they show bands: there the
/// bands themselves are detail (`--wide`; `simulate` shows them by
/// default), the verdicts they lead to are not.
pub fn columns() -> Vec<Column> {
    vec![
        DAY_P5.detail(),
        DAY_P95.detail(),
        MONTH_P95.detail(),
        P_OVER_BUDGET,
        TTFT_P95.detail(),
        E2E_P95.detail(),
        SLO_MET,
    ]
}

pub fn cells(s: &Scenario, sim: &PlanSim) -> Vec<Value> {
    vec![
        percentile(&sim.daily, 0.05).into(),
        percentile(&sim.daily, 0.95).into(),
        percentile(&sim.monthly, 0.95).into(),
        budget_risk(s, sim).into(),
        sim.ttft.as_ref().map(|v| percentile(v, 0.95)).into(),
        sim.e2e.as_ref().map(|v| percentile(v, 0.95)).into(),
        slo_cell(s, sim),
    ]
}

/// Whether the SLO is met (a boolean; tables read `yes`/`BREACH`), or
/// empty when there is no SLO or no latency figure.
pub fn slo_cell(s: &Scenario, sim: &PlanSim) -> Value {
    slo_met(s, sim).map_or(Value::Empty, Value::Bool)
}

/// Appends band columns to a table whose rows follow `sims`' plans.
pub fn add(table: &mut Table, s: &Scenario, sims: &[PlanSim]) {
    table.columns.extend(columns());
    for (row, sim) in table.rows.iter_mut().zip(sims) {
        row.extend(cells(s, sim));
    }
}

/// How the simulation was run, for the notes of every report that shows it.
pub fn method_notes(s: &Scenario, opts: &SimOptions) -> Vec<String> {
    let mut notes = vec![
        format!("Monte Carlo: {} simulated days, seed {}; every request's token counts drawn from the class's distributions and priced at the band its prompt falls in (cliffs judged per request)", opts.trials, opts.seed),
        format!("class mix and routing splits are applied in proportion each day (whole requests, the remainder allotted at random so counts are right on average); a month is the sum of {} days resampled from the simulated ones (days independent)", s.days_per_month),
        "expected $/day is exact (quadrature over the token distributions); the simulated mean should agree within sampling error".into(),
    ];
    let summed: Vec<&str> = s
        .classes
        .iter()
        .filter(|c| s.requests_per_day * c.share > opts.aggregate_above as f64)
        .map(|c| c.name.as_str())
        .collect();
    if !summed.is_empty() {
        notes.push(format!(
            "on days with more than {} requests of a class (here {}), that class's cost is drawn as a sum: normal with the exact mean and the variance of {} seeded requests (central limit theorem); latency percentiles still from individual requests (up to {} a day)",
            human_count(opts.aggregate_above as f64),
            summed.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
            human_count(f64::from(crate::engine::aggregate::MOMENT_DRAWS)),
            human_count(opts.latency_samples as f64),
        ));
    }
    if let Some(v) = &s.variation.volume {
        notes.push(format!(
            "daily volume drawn from a distribution with mean {}",
            human_count(v.mean())
        ));
    }
    if s.variation.mix_drift > 0.0 {
        notes.push(format!(
            "class shares drift by up to ±{:.0}% a day",
            s.variation.mix_drift * 100.0
        ));
    }
    notes.push("latency: per-request estimates from the figures above (TTFT = b + prompt/prefill; E2E = TTFT + thinking time + output/speed, the thinking time measured at the class's effort where a figure gives it); cascade stages are waited out in turn; empty where a model has no figure".into());
    notes
}

/// Per self-hosted fleet a simulated plan holds: that it is held at its
/// planned size (a fixed cost per day) and how many simulated days sent it
/// more than its capacity ceiling.
pub fn fleet_notes(sims: &[PlanSim]) -> Vec<String> {
    let mut notes = Vec::new();
    for sim in sims {
        for f in &sim.fleets {
            let over = if f.days_over == 0 {
                format!(
                    "no simulated day exceeded its capacity ceiling of {} requests/day (busiest: {})",
                    human_count(f.capacity_requests_per_day.floor()),
                    human_count(f.most_requests_per_day.round())
                )
            } else {
                format!(
                    "{} of {} simulated days ({:.1}%) sent it more than its capacity ceiling of {} requests/day (busiest: {}): on those days it needs more replicas than planned, or its requests queue past the latency target; their cost here is the planned fleet's",
                    f.days_over,
                    f.days,
                    100.0 * f.days_over as f64 / f.days.max(1) as f64,
                    human_count(f.capacity_requests_per_day.floor()),
                    human_count(f.most_requests_per_day.round())
                )
            };
            notes.push(format!(
                "plan `{}`: the self-hosted fleet `{}` is held at its planned size ({} replicas, {} GPUs, sized for {} requests/day) and costs ${:.2} every simulated day, under plan or over; {over}",
                sim.plan,
                f.id,
                f.replicas,
                f.gpus,
                human_count(f.planned_requests_per_day),
                f.per_day
            ));
        }
    }
    notes
}
