//! `cost compare [SCENARIO]`: resolve the scenario and model set, run the
//! engine's comparison, and shape it into a report.

use crate::cli::{CompareArgs, GlobalArgs};
use crate::engine::assumptions::assumptions;
use crate::engine::compare::{compare, Comparison};
use crate::engine::{Context, PlanOutcome};
use crate::report::{col, human_count, Kind, Report, Table, Value};
use crate::scenario::Scenario;
use crate::settings::ScenarioRun;

pub fn run(args: &CompareArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioRun::load(
        global,
        args.scenario.as_deref(),
        args.at.as_deref(),
        &args.latency,
    )?;
    let models = extra_models(&args.models, &run.scenario);
    let ctx = run.context();
    let comparison = compare(&run.scenario, &models, &ctx)?;
    run.printer.emit(&report(&run.scenario, &comparison, &ctx))
}

/// `--models`, else the scenario's `[compare] models`, else every model its plans use.
pub fn extra_models(flag: &[String], scenario: &Scenario) -> Vec<String> {
    if !flag.is_empty() {
        flag.to_vec()
    } else if !scenario.compare_models.is_empty() {
        scenario.compare_models.clone()
    } else {
        scenario.plan_models()
    }
}

pub fn report(scenario: &Scenario, comparison: &Comparison, ctx: &Context) -> Report {
    let mut table = Table::new(
        "plans",
        vec![
            col("plan", "plan", Kind::Text),
            col("routes", "routes", Kind::Text),
            col("baseline", "base", Kind::Flag),
            col("cost_per_request_usd", "$/request", Kind::Usd),
            col("cost_per_day_usd", "$/day", Kind::Usd),
            col("cost_per_month_usd", "$/month", Kind::Usd),
            col("savings_per_month_usd", "saves $/month", Kind::Usd),
            col("savings_pct", "saves %", Kind::Percent),
            col("quality", "quality", Kind::Rate),
            col("quality_per_usd", "ok/$", Kind::Number),
            col("ttft_s", "TTFT (est.)", Kind::Seconds),
            col("e2e_s", "E2E (est.)", Kind::Seconds),
        ],
    );
    for row in &comparison.rows {
        let o = &row.outcome;
        table.push(vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            Value::Bool(row.is_baseline),
            o.per_request.value().into(),
            o.per_day.value().into(),
            o.per_month.value().into(),
            row.savings_per_month.value().into(),
            row.savings_fraction.into(),
            o.quality.into(),
            o.quality_per_dollar().into(),
            o.ttft_s.into(),
            o.e2e_s.into(),
        ]);
    }
    Report {
        command: "compare",
        title: format!(
            "cost compare: {} ({} requests/day, prices as of {})",
            scenario.name,
            human_count(scenario.requests_per_day),
            ctx.date
        ),
        fields: vec![
            ("scenario", scenario.name.clone().into()),
            ("requests_per_day", scenario.requests_per_day.into()),
            ("requests_per_month", scenario.requests_per_month().into()),
            ("days_per_month", scenario.days_per_month.into()),
            ("price_date", ctx.date.to_string().into()),
            ("baseline", comparison.baseline.clone().into()),
        ],
        tables: vec![table],
        notes: notes(scenario, comparison, ctx),
    }
}

fn notes(scenario: &Scenario, comparison: &Comparison, ctx: &Context) -> Vec<String> {
    let mut notes = vec![format!(
        "savings are against the baseline plan `{}`; a month is {} days ({})",
        comparison.baseline,
        scenario.days_per_month,
        if (scenario.days_per_month - crate::scenario::DAYS_PER_MONTH).abs() < 1e-9 {
            "365.25 / 12"
        } else {
            "set by the scenario"
        }
    )];
    let outcomes: Vec<&PlanOutcome> = comparison.rows.iter().map(|r| &r.outcome).collect();
    notes.extend(assumptions(scenario, &outcomes, ctx));
    notes
}
