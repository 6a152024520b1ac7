//! `cost replay LOG --forecast SCENARIO --plan NAME`: forecast vs actual.
//! One row per class of the scenario (and any class the log has that the
//! scenario does not): the share and cost per request the plan forecast
//! beside what the gateway logged, a month of each at the scenario's volume,
//! and the actual savings against the baseline counterfactual the gateway
//! wrote on every line. A last row, `total`, sums the classes.

use crate::engine::PlanOutcome;
use crate::money::{Money, Usd};
use crate::replay::gateway_actuals::{Actuals, ClassActual};
use crate::report::columns::gateway::{
    ACTUAL_COST, ACTUAL_PER_MONTH, ACTUAL_PER_REQUEST, ACTUAL_SAVINGS, ACTUAL_SAVINGS_SHARE,
    ACTUAL_SHARE, ATTEMPTS, BASELINE_COST, FORECAST_PER_MONTH, FORECAST_PER_REQUEST,
    FORECAST_SHARE,
};
use crate::report::columns::{CLASS, REQUESTS};
use crate::report::{Report, Table, Value};
use crate::scenario::Scenario;

/// What the view needs about the forecast.
pub struct Forecast<'a> {
    pub scenario: &'a Scenario,
    pub outcome: &'a PlanOutcome,
    pub price_date: String,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn per_request(c: &ClassActual) -> Option<Usd> {
    (c.requests > 0).then(|| c.cost.usd() * (1.0 / c.requests as f64))
}

fn savings_share(c: &ClassActual) -> Option<f64> {
    let s = c.savings()?;
    (c.baseline > Money::ZERO).then(|| s.usd().value() / c.baseline.usd().value())
}

// One table, its total row, the notes and fields: read best whole.
#[allow(clippy::too_many_lines)]
pub fn report(actuals: &Actuals, f: &Forecast<'_>) -> Report {
    let mut table = Table::new(
        "classes",
        vec![
            CLASS,
            REQUESTS,
            ATTEMPTS,
            FORECAST_SHARE,
            ACTUAL_SHARE,
            FORECAST_PER_REQUEST,
            ACTUAL_PER_REQUEST,
            FORECAST_PER_MONTH,
            ACTUAL_PER_MONTH,
            ACTUAL_COST,
            BASELINE_COST,
            ACTUAL_SAVINGS,
            ACTUAL_SAVINGS_SHARE,
        ],
    );
    let total_requests = actuals.requests();
    let month = f.scenario.requests_per_month();
    let empty = ClassActual::default();
    let mut names: Vec<&str> = f.outcome.classes.iter().map(|c| c.class.as_str()).collect();
    let unforecast: Vec<&str> = actuals
        .classes
        .keys()
        .map(String::as_str)
        .filter(|k| !names.contains(k))
        .collect();
    names.extend(&unforecast);
    let mut sum = ClassActual::default();
    let (mut forecast_month, mut actual_month) = (Usd::default(), Usd::default());
    for name in &names {
        let a = actuals.classes.get(*name).unwrap_or(&empty);
        let fc = f.outcome.classes.iter().find(|c| c.class == *name);
        let actual_share = share(a.requests, total_requests);
        let fm = fc.map(|c| c.cost * (c.share * month));
        let am = per_request(a)
            .zip(actual_share)
            .map(|(cost, s)| cost * (s * month));
        forecast_month += fm.unwrap_or_default();
        actual_month += am.unwrap_or_default();
        table.push(vec![
            (*name).into(),
            a.requests.into(),
            a.attempts.into(),
            fc.map(|c| c.share).into(),
            actual_share.into(),
            fc.map(|c| c.cost).into(),
            per_request(a).into(),
            fm.into(),
            am.into(),
            Value::Money(a.cost),
            (a.with_baseline > 0).then_some(a.baseline).into(),
            a.savings().into(),
            savings_share(a).into(),
        ]);
        sum.requests += a.requests;
        sum.attempts += a.attempts;
        sum.cost += a.cost;
        sum.with_baseline += a.with_baseline;
        sum.baseline += a.baseline;
        sum.cost_where_baseline += a.cost_where_baseline;
    }
    table.push(vec![
        "total".into(),
        sum.requests.into(),
        sum.attempts.into(),
        Some(1.0).into(),
        share(sum.requests, total_requests).into(),
        Some(f.outcome.per_request).into(),
        per_request(&sum).into(),
        Some(forecast_month).into(),
        (sum.requests > 0).then_some(actual_month).into(),
        Value::Money(sum.cost),
        (sum.with_baseline > 0).then_some(sum.baseline).into(),
        sum.savings().into(),
        savings_share(&sum).into(),
    ]);
    let mut notes = vec![
        format!(
            "forecast: plan `{}` of scenario `{}` at its volume ({} requests a month), prices as of {}; actual: the gateway's logged cost per request (retries and fallbacks included) at the same volume and the log's class mix",
            f.outcome.plan, f.scenario.name, month, f.price_date
        ),
        format!(
            "saved: the baseline plan `{}`'s cost for the same usage, as the gateway logged it on each line, minus the actual cost",
            f.scenario.baseline
        ),
    ];
    if actuals.refused > 0 {
        notes.push(format!(
            "{} requests were refused before any upstream call (bad requests, keys, budgets) and are not counted",
            actuals.refused
        ));
    }
    if !unforecast.is_empty() {
        notes.push(format!(
            "classes in the log but not in the scenario: {}",
            unforecast.join(", ")
        ));
    }
    let mut fields = vec![
        ("scenario", f.scenario.name.clone().into()),
        ("plan", f.outcome.plan.clone().into()),
        ("baseline", f.scenario.baseline.clone().into()),
        ("price_date", f.price_date.clone().into()),
        ("requests", total_requests.into()),
        ("refused_requests", actuals.refused.into()),
        ("cost_usd", Value::Money(sum.cost)),
        ("savings_usd", sum.savings().into()),
    ];
    if let (Some(a), Some(b)) = (actuals.first, actuals.last) {
        fields.push(("first_request", a.to_string().into()));
        fields.push(("last_request", b.to_string().into()));
    }
    Report {
        command: "replay",
        title: format!(
            "cost replay: forecast vs actual, plan {} of {}",
            f.outcome.plan, f.scenario.name
        ),
        fields,
        tables: vec![table],
        notes,
    }
}
