//! `cost compare`: every plan's cost, savings, quality and latency, and
//! (JSON only) the per-class billing detail `cost diff` reads back.

use crate::engine::assumptions::assumptions;
use crate::engine::compare::Comparison;
use crate::engine::index::{global_index, GlobalIndex};
use crate::engine::snapshot::ClassSnapshot;
use crate::engine::{Context, PlanOutcome};
use crate::human::human_count;
use crate::pricing::Part;
use crate::report::columns::scenario::{
    BASELINE, DECLARED, EXPECTED_COST_PER_REQUEST, PART_RATES, PART_TOKENS, PER_REQUEST_FEE,
    PROMPT_TOKENS, SAVINGS_PER_MONTH, SAVINGS_SHARE, TIER,
};
use crate::report::columns::{
    CLASS, COST_PER_DAY, COST_PER_MONTH, COST_PER_REQUEST, E2E, INDEX, INDEX_PER_USD,
    LONG_CONTEXT_ABOVE, MODEL, OVER_LIMITS, PLAN, QUALITY, QUALITY_PER_USD, ROUTES, SHARE, TTFT,
    TTFT_ANSWER,
};
use crate::report::{Column, Report, Table, Value};
use crate::scenario::{BudgetLimit, Scenario};

pub fn report(scenario: &Scenario, comparison: &Comparison, ctx: &Context) -> Report {
    let outcomes: Vec<&PlanOutcome> = comparison.rows.iter().map(|r| &r.outcome).collect();
    // With no per-class rates at all, a global public index stands beside cost.
    let index = scenario
        .quality
        .is_empty()
        .then(|| global_index(scenario, &outcomes, ctx.catalog))
        .flatten();
    let mut table = Table::new("plans", plan_columns(index.is_some()));
    for row in &comparison.rows {
        let o = &row.outcome;
        let (q, q_per_usd) = match &index {
            Some(ix) => {
                let v = ix.by_plan.get(&o.plan).copied().flatten();
                let cost = o.per_request.value();
                (v, v.filter(|_| cost > 0.0).map(|v| v / cost))
            }
            None => (o.quality, o.quality_per_dollar()),
        };
        table.push(vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            Value::Bool(row.is_baseline),
            o.per_request.into(),
            o.per_day.into(),
            o.per_month.into(),
            row.savings_per_month.into(),
            row.savings_fraction.into(),
            q.into(),
            q_per_usd.into(),
            o.ttft_s.into(),
            o.ttft_answer_s.into(),
            o.e2e_s.into(),
            Some(o.over_limit_share()).filter(|s| *s >= 0.001).into(),
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
        tables: vec![
            table,
            class_table(scenario, comparison),
            super::figures::table(scenario, &outcomes, ctx.catalog, index.as_ref()),
        ],
        notes: notes(scenario, comparison, ctx, index.as_ref()),
    }
}

/// The `plans` table's columns: the scenario's quality, or with no
/// per-class rates at all (`index`) the global index in its place.
pub fn plan_columns(index: bool) -> Vec<Column> {
    let mut columns = vec![
        PLAN,
        ROUTES,
        BASELINE,
        COST_PER_REQUEST,
        COST_PER_DAY,
        COST_PER_MONTH,
        SAVINGS_PER_MONTH,
        SAVINGS_SHARE,
    ];
    if index {
        columns.extend([INDEX, INDEX_PER_USD]);
    } else {
        columns.extend([QUALITY, QUALITY_PER_USD]);
    }
    // The end-to-end time is the compact latency column; the others `--wide`.
    columns.extend([TTFT.detail(), TTFT_ANSWER, E2E, OVER_LIMITS]);
    columns
}

/// JSON only: per plan and class, the model, billed tokens and rates, so a
/// saved report can be diffed and its changes attributed (`cost diff`).
fn class_table(scenario: &Scenario, comparison: &Comparison) -> Table {
    let mut table = Table::machine("classes", class_columns());
    for row in &comparison.rows {
        for c in row
            .outcome
            .classes
            .iter()
            .flat_map(ClassSnapshot::from_outcome)
        {
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
            cells.push(c.fee.into());
            cells.push(c.cost.into());
            cells.push(c.expected.into());
            cells.push((c.expected * (c.share * scenario.requests_per_month())).into());
            table.push(cells);
        }
    }
    table
}

/// The `classes` table's columns.
pub fn class_columns() -> Vec<Column> {
    let mut columns = vec![
        PLAN,
        DECLARED,
        CLASS,
        SHARE,
        MODEL,
        TIER,
        PROMPT_TOKENS,
        LONG_CONTEXT_ABOVE,
    ];
    for (tokens, rate) in PART_TOKENS.into_iter().zip(PART_RATES) {
        columns.push(tokens);
        columns.push(rate);
    }
    columns.push(PER_REQUEST_FEE);
    columns.push(COST_PER_REQUEST);
    columns.push(EXPECTED_COST_PER_REQUEST);
    columns.push(COST_PER_MONTH);
    columns
}

fn notes(
    scenario: &Scenario,
    comparison: &Comparison,
    ctx: &Context,
    index: Option<&GlobalIndex>,
) -> Vec<String> {
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
    if let Some(ix) = index {
        notes.extend(ix.notes());
    }
    notes
}

/// Why models asked for as "all → M" rows have none: a declared plan
/// already sends all traffic to each, and its row is that model's row.
pub fn covered_note(covered: &[(String, String)]) -> String {
    let each: Vec<String> = covered
        .iter()
        .map(|(model, plan)| format!("{model} is plan `{plan}`"))
        .collect();
    format!(
        "models asked for as \"all → M\" rows that a plan of the scenario already sends all traffic to are shown once, as that plan: {}",
        each.join(", ")
    )
}
