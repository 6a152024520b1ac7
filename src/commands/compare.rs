//! `cost compare [SCENARIO]`: resolve the scenario and model set, run the
//! engine's comparison, and shape it into a report.

use super::gates;
use super::simulate;
use crate::cli::{CompareArgs, GlobalArgs};
use crate::engine::assumptions::assumptions;
use crate::engine::compare::{compare, Comparison};
use crate::engine::gate::budget_checks;
use crate::engine::run::{ClassRun, Run};
use crate::engine::{Context, PlanOutcome};
use crate::human::human_count;
use crate::pricing::Part;
use crate::report::saved::{RATE_KEYS, TOKEN_KEYS};
use crate::report::{col, Kind, Report, Table, Value};
use crate::scenario::{BudgetLimit, Scenario};
use crate::settings::ScenarioInputs;

pub fn run(args: &CompareArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
    let scenario = &run.scenario;
    let models = extra_models(&args.models, scenario);
    let ctx = run.context();
    let comparison = compare(scenario, &models, &ctx)?;
    let mut report = report(scenario, &comparison, &ctx);
    if simulate::bands_wanted(scenario, args.bands, args.no_bands) {
        let opts = simulate::options(&args.sim, BAND_TRIALS)?;
        let outcomes: Vec<PlanOutcome> =
            comparison.rows.iter().map(|r| r.outcome.clone()).collect();
        let sims = simulate::simulate_all(scenario, &outcomes, &ctx, &opts, &run.printer)?;
        add_bands(&mut report.tables[0], scenario, &sims);
        report.notes.extend(simulate::method_notes(scenario, &opts));
    }
    if !args.check {
        return run.printer.emit(&report);
    }
    if scenario.budget.is_none() {
        anyhow::bail!(
            "--check: scenario `{}` has no budget\n  hint: add `[budget]` with `usd_per_month = ...` or `usd_per_day = ...` to {}",
            scenario.name,
            scenario.origin
        );
    }
    let checks = budget_checks(&Run::from_comparison(scenario, &comparison, ctx.date));
    report.notes.extend(checks.iter().map(gates::describe));
    if let Some(verdict) = gates::verdict(&checks) {
        report.fields.push(("gate", verdict.into()));
    }
    report.tables.push(gates::table(&checks));
    run.printer.emit(&report)?;
    gates::enforce(&checks)
}

/// Simulated days behind the bands of `compare` and `route` (`--trials`).
pub const BAND_TRIALS: usize = 200;

/// Appends band columns to a table whose rows follow `sims`' plans.
pub fn add_bands(
    table: &mut Table,
    scenario: &Scenario,
    sims: &[crate::engine::simulate::PlanSim],
) {
    table.columns.extend(simulate::band_columns());
    for (row, sim) in table.rows.iter_mut().zip(sims) {
        row.extend(simulate::band_cells(scenario, sim));
    }
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
    let mut fields = vec![
        ("scenario", scenario.name.clone().into()),
        ("requests_per_day", scenario.requests_per_day.into()),
        ("requests_per_month", scenario.requests_per_month().into()),
        ("days_per_month", scenario.days_per_month.into()),
        ("price_date", ctx.date.to_string().into()),
        ("baseline", comparison.baseline.clone().into()),
    ];
    if let Some(budget) = &scenario.budget {
        let (key, amount) = match budget.limit {
            BudgetLimit::PerMonth(u) => ("budget_usd_per_month", u),
            BudgetLimit::PerDay(u) => ("budget_usd_per_day", u),
        };
        fields.push((key, amount.value().into()));
        fields.push(("budget_plan", budget.plan.clone().into()));
    }
    Report {
        command: "compare",
        title: format!(
            "cost compare: {} ({} requests/day, prices as of {})",
            scenario.name,
            human_count(scenario.requests_per_day),
            ctx.date
        ),
        fields,
        tables: vec![table, class_table(scenario, comparison)],
        notes: notes(scenario, comparison, ctx),
    }
}

/// JSON only: per plan and class, the model, billed tokens and rates, so a
/// saved report can be diffed and its changes attributed (`cost diff`).
fn class_table(scenario: &Scenario, comparison: &Comparison) -> Table {
    let mut columns = vec![
        col("plan", "plan", Kind::Text),
        col("declared", "declared", Kind::Flag),
        col("class", "class", Kind::Text),
        col("share", "share", Kind::Percent),
        col("model", "model", Kind::Text),
        col("tier", "tier", Kind::Text),
        col("prompt_tokens", "prompt", Kind::Tokens),
        col("long_context_above", "cliff above", Kind::Tokens),
    ];
    for (i, part) in Part::TOKENS.into_iter().enumerate() {
        columns.push(col(TOKEN_KEYS[i], part.key(), Kind::Tokens));
        columns.push(col(RATE_KEYS[i], part.key(), Kind::UsdPerMillion));
    }
    columns.push(col("per_request_fee_usd", "fee", Kind::Usd));
    columns.push(col("cost_per_request_usd", "$/request", Kind::Usd));
    columns.push(col(
        "expected_cost_per_request_usd",
        "expected $/request",
        Kind::Usd,
    ));
    columns.push(col("cost_per_month_usd", "$/month", Kind::Usd));
    let mut table = Table::machine("classes", columns);
    for row in &comparison.rows {
        for c in row.outcome.classes.iter().flat_map(ClassRun::from_outcome) {
            let mut cells: Vec<Value> = vec![
                row.outcome.plan.clone().into(),
                Value::Bool(row.declared),
                c.class.clone().into(),
                c.share.into(),
                c.model.clone().into(),
                c.tier.key().into(),
                c.prompt.into(),
                c.long_context.into(),
            ];
            for i in 0..Part::TOKENS.len() {
                cells.push(c.tokens[i].into());
                cells.push(c.rates[i].usd_per_million().into());
            }
            cells.push(Value::Money(c.fee));
            cells.push(Value::Money(c.cost));
            cells.push(c.expected.value().into());
            cells.push(
                (c.expected * (c.share * scenario.requests_per_month()))
                    .value()
                    .into(),
            );
            table.push(cells);
        }
    }
    table
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
