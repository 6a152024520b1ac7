//! `cost sensitivity`: the tornado rows of one plan (largest swing first),
//! with the plan's monthly cost in the scenario and each range stated.

use crate::engine::sensitivity::Sensitivity;
use crate::engine::Context;
use crate::report::columns::sensitivity::{
    ASSUMPTION, BASE_VALUE, HIGH_COST, HIGH_VALUE, LOW_COST, LOW_VALUE, RANGE, SWING, SWING_SHARE,
};
use crate::report::{Report, Table, Value};
use crate::scenario::Scenario;

pub fn report(s: &Scenario, t: &Sensitivity, ctx: &Context, rule: Option<String>) -> Report {
    let base = t.base.per_month;
    let mut table = Table::new(
        "assumptions",
        vec![
            ASSUMPTION,
            BASE_VALUE,
            LOW_VALUE,
            HIGH_VALUE,
            LOW_COST,
            HIGH_COST,
            SWING,
            SWING_SHARE,
            RANGE,
        ],
    );
    for w in &t.swings {
        table.push(vec![
            w.assumption.clone().into(),
            w.base_value.into(),
            w.low_value.into(),
            w.high_value.into(),
            w.at_low.into(),
            w.at_high.into(),
            w.swing().into(),
            (base.value() > 0.0)
                .then(|| w.swing().value() / base.value())
                .into(),
            w.range.clone().into(),
        ]);
    }
    let mut notes = vec![
        "each assumption is moved on its own to both ends of its range, everything else as the scenario states it, and the plan re-priced; rows are sorted by swing, largest first".to_string(),
    ];
    notes.extend(rule);
    Report {
        command: "sensitivity",
        title: format!(
            "cost sensitivity: {} plan `{}` (prices as of {})",
            s.name, t.plan, ctx.date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("plan", t.plan.clone().into()),
            ("cost_per_month_usd", Value::from(base)),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![table],
        notes,
    }
}

/// Why the plan examined is the one recommended, for the notes: the rule,
/// and when no plan meets the budget and SLO, that it is only the closest.
pub fn recommended_note(
    s: &Scenario,
    plan: &str,
    pick: &crate::engine::recommend::Recommendation,
) -> String {
    let rule = crate::engine::recommend::rule();
    if pick.meets {
        return format!("plan `{plan}` is the {rule}");
    }
    format!(
        "no declared plan of `{}` meets its budget and latency SLO; plan `{plan}` is the closest ({}); {rule}",
        s.name,
        missed(pick)
    )
}

/// The constraints a plan misses, in words: `the budget by 12%, the TTFT SLO by 5%`.
pub fn missed(pick: &crate::engine::recommend::Recommendation) -> String {
    pick.verdict
        .missed()
        .iter()
        .map(|(what, r)| {
            format!(
                "it misses {what} by {}%",
                crate::human::trimmed((r - 1.0) * 100.0, 1, 0).trim_end_matches('.')
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
