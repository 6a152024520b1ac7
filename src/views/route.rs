//! `cost route`: per class of each routing plan, where it goes and what
//! misroutes and escalations cost; per plan, savings against the baseline
//! and a random router, and the break-even points.

use crate::engine::assumptions::assumptions;
use crate::engine::outcome::{ClassOutcome, Role};
use crate::engine::route::RouteAnalysis;
use crate::engine::{Context, PlanOutcome};
use crate::human::{human_count, usd};
use crate::report::columns::scenario::{
    BREAKEVEN_CLASS, BREAKEVEN_MISROUTE_RATE, BREAKEVEN_ROUTER_COST, BREAKEVEN_SHARE, INTENDED,
    MISROUTE_QUALITY_LOST, MODEL_SHARES, OVER_SERVED, QUALITY_LOST, RANDOM_ROUTER_PER_MONTH,
    RANDOM_ROUTER_QUALITY, SAVINGS_PER_MONTH, SAVINGS_SHARE, SAVINGS_VS_RANDOM_PER_MONTH,
    SERVED_BY, UNDER_SERVED, WASTED_PER_DAY, WASTED_PER_MONTH,
};
use crate::report::columns::{
    CLASS, COST_PER_DAY, COST_PER_MONTH, COST_PER_REQUEST, E2E, ESCALATED, OVER_LIMITS, PLAN,
    QUALITY, QUALITY_PER_USD, ROUTES, SHARE, TTFT, TTFT_ANSWER,
};
use crate::report::{Column, Report, Table, Value};
use crate::scenario::Scenario;

/// The report; the `plans` table is the second (bands go there).
pub fn report(s: &Scenario, analysis: &RouteAnalysis, ctx: &Context) -> Report {
    let mut classes = Table::new("classes", class_columns());
    let mut plans = Table::new("plans", plan_columns());
    let month = s.requests_per_month();
    for routed in &analysis.plans {
        let o = &routed.outcome;
        for c in &o.classes {
            classes.push(class_row(s, o, c));
        }
        let (saved, saved_share) = routed.savings(&analysis.baseline);
        let random = routed.random.as_ref();
        let even = &routed.break_even;
        plans.push(vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            o.per_request.into(),
            o.per_month.into(),
            o.quality.into(),
            o.quality_per_dollar().into(),
            model_shares(o).into(),
            saved.into(),
            saved_share.into(),
            random.map(|r| r.cost * month).into(),
            random.map(|r| (r.cost - o.per_request) * month).into(),
            random.and_then(|r| r.quality).into(),
            (o.misroutes.wasted * month).into(),
            o.misroutes
                .quality_lost
                .filter(|_| o.misroutes.under > 0.0)
                .into(),
            o.escalated.into(),
            even.misroute_rate.into(),
            even.router_cost.into(),
            even.dear_share.into(),
            even.dear_class.clone().into(),
            Some(o.over_limit_share()).filter(|s| *s >= 0.001).into(),
        ]);
    }
    let base = &analysis.baseline;
    let outcomes: Vec<&PlanOutcome> = analysis
        .plans
        .iter()
        .map(|p| &p.outcome)
        .chain(std::iter::once(base))
        .collect();
    let mut notes = vec![
        format!("savings are against the baseline plan `{}` ({} per month) and, separately, against a random router sending the same share of traffic to each model regardless of class", s.baseline, usd(base.per_month.value())),
        "over-served: requests sent to a dearer model than their class's route (money wasted); under-served: sent to a cheaper one (quality lost); escalated: requests passed to a later cascade stage; in a cascade, over-served are correct answers the verifier rejects (false escalations, wasted: the later calls and checks they pay) and under-served wrong answers it accepts before the last stage (false accepts, quality lost: those a later stage would have answered correctly)".into(),
        "break-even: the misroute rate (each class's requests sent to another class's model, spread evenly), router cost per request, or share of the class with the dearest route at which the plan costs as much as the baseline; empty = no crossing in 0..100%".into(),
        format!("volume: {} requests/day", human_count(s.requests_per_day)),
    ];
    notes.extend(assumptions(s, &outcomes, ctx));
    Report {
        command: "route",
        title: format!("cost route: {} (prices as of {})", s.name, ctx.date),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![classes, plans],
        notes,
    }
}

pub fn class_columns() -> Vec<Column> {
    vec![
        PLAN,
        CLASS,
        SHARE,
        INTENDED.detail(),
        SERVED_BY,
        COST_PER_REQUEST,
        COST_PER_DAY,
        QUALITY,
        OVER_SERVED,
        WASTED_PER_DAY,
        UNDER_SERVED,
        QUALITY_LOST,
        ESCALATED,
        // Latency is `compare`'s subject; here it is detail (`--wide`).
        TTFT.detail(),
        TTFT_ANSWER,
        E2E.detail(),
    ]
}

pub fn plan_columns() -> Vec<Column> {
    vec![
        PLAN,
        ROUTES,
        COST_PER_REQUEST,
        COST_PER_MONTH,
        QUALITY,
        QUALITY_PER_USD,
        MODEL_SHARES,
        SAVINGS_PER_MONTH,
        SAVINGS_SHARE,
        RANDOM_ROUTER_PER_MONTH,
        SAVINGS_VS_RANDOM_PER_MONTH,
        RANDOM_ROUTER_QUALITY,
        WASTED_PER_MONTH,
        MISROUTE_QUALITY_LOST,
        ESCALATED,
        BREAKEVEN_MISROUTE_RATE,
        BREAKEVEN_ROUTER_COST,
        BREAKEVEN_SHARE,
        BREAKEVEN_CLASS,
        OVER_LIMITS,
    ]
}

fn class_row(s: &Scenario, o: &PlanOutcome, c: &ClassOutcome) -> Vec<Value> {
    let daily = s.requests_per_day * c.share;
    vec![
        o.plan.clone().into(),
        c.class.clone().into(),
        c.share.into(),
        c.intended.clone().into(),
        served_by(c).into(),
        c.cost.into(),
        (c.cost * daily).into(),
        c.quality.into(),
        c.misroutes.over.into(),
        (c.misroutes.wasted * daily).into(),
        c.misroutes.under.into(),
        c.misroutes
            .quality_lost
            .filter(|_| c.misroutes.under > 0.0)
            .into(),
        c.escalated.into(),
        c.ttft_s.into(),
        c.ttft_answer_s.into(),
        c.e2e_s.into(),
    ]
}

/// "gpt-4o-mini 0.90, gpt-4o 0.10, gpt-4o-mini 1.00 (router)".
fn served_by(c: &ClassOutcome) -> String {
    c.legs
        .iter()
        .map(|l| {
            let role = match l.role {
                Role::Serve => "",
                Role::Router => " (router)",
                Role::Verifier => " (verifier)",
            };
            format!("{} {:.2}{role}", l.model, l.calls)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "gpt-4o-mini 80.0%, gpt-4o 20.0%".
fn model_shares(o: &PlanOutcome) -> String {
    o.model_shares
        .iter()
        .map(|m| format!("{} {:.1}%", m.model, m.share * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}
