//! `cost route [SCENARIO] [--plan NAME]`: where each class goes under a
//! plan, what that costs, what misroutes and escalations do, and when
//! routing stops paying.

use crate::cli::{GlobalArgs, RouteArgs};
use crate::engine::assumptions::assumptions;
use crate::engine::breakeven::{break_even, random_router};
use crate::engine::{evaluate, PlanOutcome};
use crate::human::human_count;
use crate::report::{col, Kind, Report, Table};
use crate::scenario::PlanKind;
use crate::settings::{self, ScenarioInputs};

pub fn run(args: &RouteArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
    let s = &run.scenario;
    let ctx = run.context();
    let plans = settings::plans_named(s, &args.plan, |p| !matches!(p.kind, PlanKind::Single(_)))?;
    if plans.is_empty() {
        anyhow::bail!("scenario `{}` has no routing plans\n  hint: name one with --plan, or add a plan with `routes`, `cascade` or `oracle`", s.name);
    }
    let baseline = s.plan(&s.baseline).expect("validated at load");
    let base = evaluate(s, baseline, &ctx)?;
    let mut classes = Table::new(
        "classes",
        vec![
            col("plan", "plan", Kind::Text),
            col("class", "class", Kind::Text),
            col("share", "share", Kind::Percent),
            col("intended", "meant for", Kind::Text),
            col("served_by", "served by (calls/request)", Kind::Text),
            col("cost_per_request_usd", "$/request", Kind::Usd),
            col("cost_per_day_usd", "$/day", Kind::Usd),
            col("quality", "quality", Kind::Rate),
            col("over_served", "over-served", Kind::Percent),
            col("wasted_per_day_usd", "wasted $/day", Kind::Usd),
            col("under_served", "under-served", Kind::Percent),
            col("quality_lost", "quality lost", Kind::Rate),
            col("escalated", "escalated", Kind::Percent),
            col("ttft_s", "TTFT (est.)", Kind::Seconds),
            col("e2e_s", "E2E (est.)", Kind::Seconds),
        ],
    );
    let mut summary = Table::new(
        "plans",
        vec![
            col("plan", "plan", Kind::Text),
            col("routes", "routes", Kind::Text),
            col("cost_per_request_usd", "$/request", Kind::Usd),
            col("cost_per_month_usd", "$/month", Kind::Usd),
            col("quality", "quality", Kind::Rate),
            col("quality_per_usd", "ok/$", Kind::Number),
            col("model_shares", "traffic share", Kind::Text),
            col(
                "savings_vs_baseline_per_month_usd",
                "saves vs baseline $/mo",
                Kind::Usd,
            ),
            col(
                "savings_vs_baseline_pct",
                "saves vs baseline %",
                Kind::Percent,
            ),
            col(
                "random_router_per_month_usd",
                "random router $/mo",
                Kind::Usd,
            ),
            col(
                "savings_vs_random_per_month_usd",
                "saves vs random $/mo",
                Kind::Usd,
            ),
            col("random_router_quality", "random router quality", Kind::Rate),
            col("wasted_per_month_usd", "misroute waste $/mo", Kind::Usd),
            col("quality_lost", "misroute quality lost", Kind::Rate),
            col("escalated", "escalated", Kind::Percent),
            col(
                "breakeven_misroute_rate",
                "break-even misroute rate",
                Kind::Percent,
            ),
            col(
                "breakeven_router_cost_usd",
                "break-even router $/request",
                Kind::Usd,
            ),
            col("breakeven_share", "break-even share", Kind::Percent),
            col("breakeven_class", "of class", Kind::Text),
        ],
    );
    let mut outcomes: Vec<PlanOutcome> = Vec::new();
    for plan in plans {
        let o = evaluate(s, plan, &ctx)?;
        for c in &o.classes {
            let served = c
                .legs
                .iter()
                .map(|l| {
                    format!(
                        "{} {:.2}{}",
                        l.model,
                        l.calls,
                        match l.role {
                            crate::engine::outcome::Role::Serve => "",
                            crate::engine::outcome::Role::Router => " (router)",
                            crate::engine::outcome::Role::Verifier => " (verifier)",
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let daily = s.requests_per_day * c.share;
            classes.push(vec![
                o.plan.clone().into(),
                c.class.clone().into(),
                c.share.into(),
                c.intended.clone().into(),
                served.into(),
                c.cost.value().into(),
                (c.cost * daily).value().into(),
                c.quality.into(),
                c.misroutes.over.into(),
                (c.misroutes.wasted * daily).value().into(),
                c.misroutes.under.into(),
                c.misroutes
                    .quality_lost
                    .filter(|_| c.misroutes.under > 0.0)
                    .into(),
                c.escalated.into(),
                c.ttft_s.into(),
                c.e2e_s.into(),
            ]);
        }
        let random = random_router(s, plan, &o, &ctx)?;
        let even = break_even(s, plan, &o, baseline, &ctx)?;
        let month = s.requests_per_month();
        let shares = o
            .model_shares
            .iter()
            .map(|m| format!("{} {:.1}%", m.model, m.share * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        summary.push(vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            o.per_request.value().into(),
            o.per_month.value().into(),
            o.quality.into(),
            o.quality_per_dollar().into(),
            shares.into(),
            (base.per_month - o.per_month).value().into(),
            (base.per_month.value() > 0.0)
                .then(|| (base.per_month - o.per_month).value() / base.per_month.value())
                .into(),
            random.as_ref().map(|r| (r.cost * month).value()).into(),
            random
                .as_ref()
                .map(|r| ((r.cost - o.per_request) * month).value())
                .into(),
            random.as_ref().and_then(|r| r.quality).into(),
            (o.misroutes.wasted * month).value().into(),
            o.misroutes
                .quality_lost
                .filter(|_| o.misroutes.under > 0.0)
                .into(),
            o.escalated.into(),
            even.misroute_rate.into(),
            even.router_cost.map(|c| c.value()).into(),
            even.dear_share.into(),
            even.dear_class.clone().into(),
        ]);
        outcomes.push(o);
    }
    let mut band_notes = Vec::new();
    if super::simulate::bands_wanted(s, args.bands, args.no_bands) {
        let opts = super::simulate::options(&args.sim, super::compare::BAND_TRIALS)?;
        let sims = super::simulate::simulate_all(s, &outcomes, &ctx, &opts, &run.printer)?;
        super::compare::add_bands(&mut summary, s, &sims);
        band_notes = super::simulate::method_notes(s, &opts);
    }
    let refs: Vec<&PlanOutcome> = outcomes.iter().chain(std::iter::once(&base)).collect();
    let mut notes = vec![
        format!("savings are against the baseline plan `{}` ({} per month) and, separately, against a random router sending the same share of traffic to each model regardless of class", s.baseline, crate::human::usd(base.per_month.value())),
        "over-served: requests sent to a dearer model than their class's route (money wasted); under-served: sent to a cheaper one (quality lost); escalated: requests passed to a later cascade stage".into(),
        "break-even: the misroute rate (each class's requests sent to another class's model, spread evenly), router cost per request, or share of the class with the dearest route at which the plan costs as much as the baseline; empty = no crossing in 0..100%".into(),
        format!("volume: {} requests/day", human_count(s.requests_per_day)),
    ];
    notes.extend(assumptions(s, &refs, &ctx));
    notes.extend(band_notes);
    run.printer.emit(&Report {
        command: "route",
        title: format!("cost route: {} (prices as of {})", s.name, ctx.date),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![classes, summary],
        notes,
    })
}
