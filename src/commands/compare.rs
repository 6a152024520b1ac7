//! `cost compare [SCENARIO]`: resolve the scenario and model set, run the
//! engine's comparison, and shape it into a report.

use std::collections::BTreeSet;

use super::gates;
use crate::cli::{CompareArgs, GlobalArgs};
use crate::engine::compare::{compare, Comparison};
use crate::engine::gate::budget_checks;
use crate::engine::latency::LatencyAssumptions;
use crate::engine::run::Run;
use crate::engine::Context;
use crate::pricing::{Part, ServiceTier};
use crate::report::saved::{RATE_KEYS, TOKEN_KEYS};
use crate::report::{col, human_count, Kind, Report, Table, Value};
use crate::scenario::{BudgetLimit, Scenario};
use crate::settings;

pub fn run(args: &CompareArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let scenario = settings::scenario(args.scenario.as_deref(), &catalog)?;
    let date = settings::date(args.at.as_deref(), scenario.date)?;
    let latency = latency_assumptions(args.latency.prefill_tps)?;
    let models = if !args.models.is_empty() {
        args.models.clone()
    } else if !scenario.compare_models.is_empty() {
        scenario.compare_models.clone()
    } else {
        scenario.plan_models()
    };
    let ctx = Context {
        catalog: &catalog,
        date,
        latency,
    };
    let comparison = compare(&scenario, &models, &ctx)?;
    let mut report = report(&scenario, &comparison, &ctx);
    if !args.check {
        return printer.emit(&report);
    }
    if scenario.budget.is_none() {
        anyhow::bail!(
            "--check: scenario `{}` has no budget\n  hint: add `[budget]` with `usd_per_month = ...` or `usd_per_day = ...` to {}",
            scenario.name,
            scenario.origin
        );
    }
    let checks = budget_checks(&Run::from_comparison(&scenario, &comparison, date));
    report.notes.extend(checks.iter().map(gates::describe));
    if let Some(verdict) = gates::verdict(&checks) {
        report.fields.push(("gate", verdict.into()));
    }
    report.tables.push(gates::table(&checks));
    printer.emit(&report)?;
    gates::enforce(&checks)
}

pub fn latency_assumptions(prefill_tps: f64) -> anyhow::Result<LatencyAssumptions> {
    if !(prefill_tps.is_finite() && prefill_tps > 0.0) {
        anyhow::bail!(
            "--prefill-tps {prefill_tps}: must be a positive number of tokens per second"
        );
    }
    Ok(LatencyAssumptions {
        prefill_tps,
        ..LatencyAssumptions::default()
    })
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
    columns.push(col("cost_per_month_usd", "$/month", Kind::Usd));
    let mut table = Table::machine("classes", columns);
    for row in &comparison.rows {
        for c in &row.outcome.classes {
            let mut cells: Vec<Value> = vec![
                row.outcome.plan.clone().into(),
                Value::Bool(row.declared),
                c.class.clone().into(),
                c.share.into(),
                c.model.clone().into(),
                c.bill.tier.key().into(),
                c.request.prompt().into(),
                c.bill.long_context.into(),
            ];
            for line in c.bill.lines.iter().take(Part::TOKENS.len()) {
                cells.push(line.tokens.into());
                cells.push(line.rate.usd_per_million().into());
            }
            cells.push(Value::Money(c.bill.lines[6].cost));
            cells.push(Value::Money(c.bill.total));
            cells.push(
                (c.bill.total.usd() * (c.share * scenario.requests_per_month()))
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
    let mut cliffs = BTreeSet::new();
    let mut tiers = BTreeSet::new();
    let mut no_latency = BTreeSet::new();
    let mut assumed_prefill = BTreeSet::new();
    let mut sources = BTreeSet::new();
    for row in &comparison.rows {
        for c in &row.outcome.classes {
            if let Some(above) = c.bill.long_context {
                cliffs.insert(format!(
                    "class `{}` on {}: prompt {} > {} tokens, so the whole request is billed at long-context prices",
                    c.class, c.model, human_count(c.request.prompt() as f64), human_count(above as f64)
                ));
            }
            if c.bill.tier != ServiceTier::Standard {
                tiers.insert(format!(
                    "plan `{}` is served on the {} tier",
                    row.outcome.plan,
                    c.bill.tier.key()
                ));
            }
            match &c.latency {
                None => {
                    no_latency.insert(c.model.clone());
                }
                Some(l) => {
                    if l.assumed_prefill {
                        assumed_prefill.insert(c.model.clone());
                    }
                    if let Some(figure) = ctx.catalog.get(&c.model).and_then(|m| m.latency.as_ref())
                    {
                        sources.insert(format!(
                            "{} ({}, {})",
                            c.model, figure.measured, figure.source
                        ));
                    }
                }
            }
        }
    }
    notes.extend(cliffs);
    notes.extend(tiers);
    if scenario.quality.is_empty() {
        notes.push("quality: this scenario has no per-class success rates (`[quality]`), so quality and ok/$ are empty".into());
    } else {
        notes.push(format!(
            "quality = success rate blended over the classes, from the scenario's evals{}; ok/$ = successful requests per dollar (quality / cost per request); empty where a class lacks a rate for its model",
            scenario.quality_source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()
        ));
    }
    if !sources.is_empty() {
        notes.push(format!(
            "latency: estimates (TTFT = b + prompt/prefill rate, E2E = TTFT + generated/output speed) from published figures: {}",
            sources.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    if !assumed_prefill.is_empty() {
        notes.push(format!(
            "latency: no measured prefill rate for {}; assumed {} tokens/s (--prefill-tps)",
            assumed_prefill.into_iter().collect::<Vec<_>>().join(", "),
            ctx.latency.prefill_tps
        ));
    }
    if !no_latency.is_empty() {
        notes.push(format!(
            "latency: no published figure for {}, so plans using them show no latency",
            no_latency.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    notes
}
