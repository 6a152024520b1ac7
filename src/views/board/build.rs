//! Builds the board from what the engine computed: the answer, the plan
//! table, the three charts, the break-even points and the provenance,
//! each section from the same results the other commands show.

use super::charts::{bands, tornado};
use super::{answer, provenance, Block, Board, ChartKind, Figure, Section};
use crate::engine::placement::Placement;
use crate::engine::recommend::{rule, Recommendation};
use crate::engine::risk::budget_risk;
use crate::engine::route::RouteAnalysis;
use crate::engine::sensitivity::Sensitivity;
use crate::engine::simulate::{percentile, PlanSim, SimOptions};
use crate::engine::{Context, PlanOutcome};
use crate::human::{human_count, usd};
use crate::report::columns::board::MONTH_P90;
use crate::report::columns::scenario::{
    BREAKEVEN_CLASS, BREAKEVEN_MISROUTE_RATE, BREAKEVEN_ROUTER_COST, BREAKEVEN_SHARE,
    SAVINGS_PER_MONTH, SAVINGS_SHARE,
};
use crate::report::columns::{
    COST_PER_MONTH, E2E, PLAN, P_OVER_BUDGET, QUALITY, QUALITY_PER_USD, ROUTES, TTFT,
};
use crate::report::{Column, Table};
use crate::scenario::{BudgetLimit, Scenario};

/// Everything the board is built from.
pub struct Inputs<'a> {
    pub scenario: &'a Scenario,
    pub ctx: &'a Context<'a>,
    /// The scenario's plans, in declared order, with their simulations.
    pub outcomes: &'a [PlanOutcome],
    pub sims: &'a [PlanSim],
    pub sim: &'a SimOptions,
    /// Index in `outcomes` of the plan examined; how the rule chose it
    /// (`None`: the plan was named).
    pub chosen: usize,
    pub pick: Option<&'a Recommendation>,
    pub sensitivity: &'a Sensitivity,
    /// Break-even points of the routing plans.
    pub routes: &'a RouteAnalysis,
    /// The frontier, when the scenario has a quality axis.
    pub placement: Option<&'a Placement>,
    /// The scenario as the frontier saw it (a public index may stand in
    /// for quality) and the index's scale, if one did.
    pub frontier_scenario: &'a Scenario,
    pub index: Option<&'a str>,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    pub version: &'a str,
    /// `--replay`: the logs scaled to a month, for plan vs actual.
    pub actual: Option<&'a super::Observed>,
}

pub fn build(i: &Inputs) -> Board {
    let s = i.scenario;
    let chosen = &i.outcomes[i.chosen];
    let base = i.outcomes.iter().find(|o| o.plan == s.baseline);
    let mut sections = vec![plans(i)];
    if let Some(o) = i.actual {
        sections.push(super::actual::section(i, o));
    }
    sections.extend([frontier(i), bands_section(i), sensitivity(i)]);
    if let Some(even) = break_even(i) {
        sections.push(even);
    }
    sections.push(provenance::section(i));
    let mut facts = vec![
        ("Scenario".to_string(), s.name.clone()),
        ("Prices as of".into(), i.ctx.date.to_string()),
        (
            "Volume".into(),
            format!("{} requests/day", human_count(s.requests_per_day)),
        ),
        (
            "Simulation".into(),
            format!(
                "{} days, seed {}",
                human_count(i.sim.trials as f64),
                i.sim.seed
            ),
        ),
    ];
    if let Some(d) = &s.description {
        facts.insert(1, ("About".into(), d.clone()));
    }
    if let Some(o) = i.actual {
        facts.push((
            "Actuals".into(),
            format!(
                "{} requests logged, {} to {}",
                human_count(o.priced as f64),
                o.first,
                o.last
            ),
        ));
    }
    let mut answer = answer::sentences(i, chosen, base);
    if let Some(o) = i.actual {
        answer.push(super::actual::sentence(&super::actual::the_bridge(i, o)));
    }
    Board {
        title: format!("{}: the LLM bill and what moves it", s.name),
        answer,
        facts,
        sections,
    }
}

/// The simulated P90 monthly bill and P(over budget) of outcome `k`.
pub(super) fn risk(i: &Inputs, k: usize) -> (f64, Option<f64>) {
    let sim = &i.sims[k];
    (percentile(&sim.monthly, 0.9), budget_risk(i.scenario, sim))
}

pub(super) fn monthly_budget(s: &Scenario) -> Option<f64> {
    s.budget.as_ref().map(|b| match b.limit {
        BudgetLimit::PerMonth(u) => u.value(),
        BudgetLimit::PerDay(u) => u.value() * s.days_per_month,
    })
}

fn plans(i: &Inputs) -> Section {
    let s = i.scenario;
    let base = i
        .outcomes
        .iter()
        .find(|o| o.plan == s.baseline)
        .map(|o| o.per_month.value());
    let mut columns: Vec<Column> = vec![
        PLAN,
        ROUTES,
        COST_PER_MONTH,
        SAVINGS_PER_MONTH,
        SAVINGS_SHARE,
        QUALITY,
        QUALITY_PER_USD,
        TTFT,
        E2E,
        MONTH_P90,
    ];
    if s.budget.is_some() {
        columns.push(P_OVER_BUDGET);
    }
    let mut table = Table::new("plans", columns);
    for (k, o) in i.outcomes.iter().enumerate() {
        let (p90, over) = risk(i, k);
        let saved = base.map(|b| b - o.per_month.value());
        let mut row = vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            o.per_month.into(),
            saved.map(crate::money::Usd).into(),
            base.zip(saved)
                .filter(|(b, _)| *b > 0.0)
                .map(|(b, v)| v / b)
                .into(),
            o.quality.into(),
            o.quality_per_dollar().into(),
            o.ttft_s.into(),
            o.e2e_s.into(),
            crate::money::Usd(p90).into(),
        ];
        if s.budget.is_some() {
            row.push(over.into());
        }
        table.push(row);
    }
    let mut notes = vec![
        format!(
            "savings against the baseline plan `{}`; quality is the blended success rate; ok/$ is successful requests per dollar; TTFT and E2E are estimated from published figures",
            s.baseline
        ),
        format!(
            "P90 month: the 90th percentile of {} simulated months (seed {})",
            human_count(i.sim.trials as f64),
            i.sim.seed
        ),
    ];
    if i.pick.is_some() {
        notes.push(rule());
    }
    Section {
        id: "plans",
        heading: "Plans".into(),
        blocks: vec![
            Block::Table {
                caption: format!("Every plan of `{}`, as declared", s.name),
                table,
            },
            Block::Notes(notes),
        ],
    }
}

fn frontier(i: &Inputs) -> Section {
    let mut blocks = Vec::new();
    match i.placement {
        Some(p) => {
            let chart = crate::views::frontier::chart(i.frontier_scenario, p);
            let mut on: Vec<String> = p
                .placed
                .iter()
                .filter(|x| x.on_frontier)
                .map(|x| {
                    format!(
                        "{} ({} per 1,000 requests, quality {:.3})",
                        x.outcome.plan,
                        usd(x.point.cost * 1000.0),
                        x.point.quality
                    )
                })
                .collect();
            on.dedup();
            blocks.push(Block::Figure(Figure {
                id: "frontier-chart",
                title: chart.title.clone(),
                description: format!(
                    "Cost per 1,000 requests (x axis) against quality (y axis) for every plan and single model; the frontier joins the points no other mix beats. On the frontier: {}.",
                    on.join("; ")
                ),
                chart: ChartKind::Xy(chart),
            }));
            if let Some(scale) = i.index {
                blocks.push(Block::Text(format!("The scenario has no success rates, so the quality axis is the global public index {scale} / 100: a general capability score, not success on these tasks.")));
            }
            if !p.skipped.is_empty() {
                blocks.push(Block::Text(format!(
                    "Left out for lack of success rates: {}.",
                    p.skipped.join(", ")
                )));
            }
        }
        None => blocks.push(Block::Text(
            "The scenario has no success rates and no public index covers its models, so there is no quality axis to draw.".into(),
        )),
    }
    Section {
        id: "frontier",
        heading: "Cost and quality".into(),
        blocks,
    }
}

fn bands_section(i: &Inputs) -> Section {
    let s = i.scenario;
    let budget = monthly_budget(s);
    let chosen = &i.outcomes[i.chosen].plan;
    let data = bands(i.outcomes, i.sims, budget, chosen);
    let text: Vec<String> = data
        .bands
        .iter()
        .map(|b| {
            format!(
                "{}: {} to {} (median {})",
                b.label,
                usd(b.p5),
                usd(b.p95),
                usd(b.p50)
            )
        })
        .collect();
    let budget_text = budget
        .map(|b| format!(" The dashed line is the budget, {} per month.", usd(b)))
        .unwrap_or_default();
    Section {
        id: "bands",
        heading: "Monthly cost bands".into(),
        blocks: vec![Block::Figure(Figure {
            id: "bands-chart",
            title: format!("{}: simulated monthly bill per plan", s.name),
            description: format!(
                "For each plan, the 5th to 95th percentile of {} simulated months (bar), the median (tick) and the expected cost (dot).{budget_text} {}.",
                human_count(i.sim.trials as f64),
                text.join("; ")
            ),
            chart: ChartKind::Bands(data),
        })],
    }
}

fn sensitivity(i: &Inputs) -> Section {
    let s = i.scenario;
    let t = i.sensitivity;
    let data = tornado(t, value_label);
    let text: Vec<String> = t
        .swings
        .iter()
        .map(|w| {
            format!(
                "{}: {} to {}",
                w.assumption,
                usd(w.at_low.value()),
                usd(w.at_high.value())
            )
        })
        .collect();
    let report = crate::views::sensitivity::report(s, t, i.ctx, None);
    Section {
        id: "sensitivity",
        heading: "What moves the bill".into(),
        blocks: vec![
            Block::Figure(Figure {
                id: "tornado-chart",
                title: format!("{}: what moves plan `{}`'s monthly bill", s.name, t.plan),
                description: format!(
                    "Each bar is the plan's monthly cost as one assumption moves from the low to the high end of its range, everything else held; the line is today's {}. Largest first: {}.",
                    usd(t.base.per_month.value()),
                    text.join("; ")
                ),
                chart: ChartKind::Tornado(data),
            }),
            Block::Table {
                caption: "The ranges behind the chart (`cost sensitivity` prints the same rows)"
                    .into(),
                table: report.tables[0].clone(),
            },
        ],
    }
}

/// An assumption's value as a person reads it.
fn value_label(assumption: &str, v: f64) -> String {
    match assumption.split(':').next().unwrap_or(assumption) {
        "volume" => format!("{}/day", human_count(v)),
        "price" => format!("×{}", crate::human::trimmed(v, 2, 0)),
        "output" | "reasoning" => format!("{} tokens", human_count(v)),
        _ => format!("{}%", crate::human::trimmed(v * 100.0, 1, 0)),
    }
}

fn break_even(i: &Inputs) -> Option<Section> {
    let mut table = Table::new(
        "break_even",
        vec![
            PLAN,
            BREAKEVEN_MISROUTE_RATE,
            BREAKEVEN_ROUTER_COST,
            BREAKEVEN_SHARE,
            BREAKEVEN_CLASS,
        ],
    );
    for p in &i.routes.plans {
        let e = &p.break_even;
        if e.misroute_rate.is_none() && e.router_cost.is_none() && e.dear_share.is_none() {
            continue;
        }
        table.push(vec![
            p.outcome.plan.clone().into(),
            e.misroute_rate.into(),
            e.router_cost.into(),
            e.dear_share.into(),
            e.dear_class.clone().into(),
        ]);
    }
    (!table.rows.is_empty()).then(|| Section {
        id: "break-even",
        heading: "Break-even points".into(),
        blocks: vec![
            Block::Table {
                caption: format!(
                    "Where each routing plan stops saving against `{}`",
                    i.scenario.baseline
                ),
                table,
            },
            Block::Notes(vec!["misroute rate: each class's requests sent to another class's model, spread evenly; router cost: per request, USD; share: of the class with the dearest route; empty: no crossing in 0 to 100%".into()]),
        ],
    })
}
