//! Where every figure of the board comes from: the scenario file (and its
//! hash), the tool's version, the price date; each model's prices with the
//! period in force, the page they were read from and when they were last
//! checked; every latency and quality figure with its source; the
//! assumptions the engine made.

use super::build::Inputs;
use super::{Block, Section};
use crate::engine::assumptions::assumptions;
use crate::engine::PlanOutcome;
use crate::report::columns::board::{PRICE_FROM, PRICE_SOURCE};
use crate::report::columns::catalog::{CACHE_READ_PRICE, INPUT_PRICE, OUTPUT_PRICE, VERIFIED};
use crate::report::columns::{MODEL, PROVIDER};
use crate::report::Table;

pub fn section(i: &Inputs) -> Section {
    let s = i.scenario;
    let outcomes: Vec<&PlanOutcome> = i.outcomes.iter().collect();
    let mut facts = vec![
        format!("scenario: `{}`, read from {}", s.name, s.origin),
        format!("scenario SHA-256: {}", i.scenario_sha256),
        format!("tool: cost {}", i.version),
        format!("prices as of {}", i.ctx.date),
        format!(
            "Monte Carlo: {} simulated days, seed {}",
            i.sim.trials, i.sim.seed
        ),
    ];
    match &s.quality_source {
        Some(q) => facts.push(format!("success rates: {q}")),
        None if !s.quality.is_empty() => {
            facts.push("success rates: the scenario's `[quality]` table (no source stated)".into());
        }
        None => {}
    }
    facts.extend(
        s.proxies
            .iter()
            .map(|p| format!("quality proxy: {}", p.describe())),
    );
    let mut blocks = vec![
        Block::Notes(facts),
        Block::Table {
            caption: "Prices used, USD per 1M tokens".into(),
            table: prices(i),
        },
    ];
    let figures = crate::views::figures::table(s, &outcomes, i.ctx.catalog, None);
    if !figures.rows.is_empty() {
        blocks.push(Block::Table {
            caption: "Latency and quality figures used".into(),
            table: figures,
        });
    }
    let notes = assumptions(s, &outcomes, i.ctx);
    if !notes.is_empty() {
        blocks.push(Block::Text("Assumptions:".into()));
        blocks.push(Block::Notes(notes));
    }
    Section {
        id: "provenance",
        heading: "Assumptions and provenance".into(),
        blocks,
    }
}

/// Every model a plan calls, with the prices in force on the price date.
fn prices(i: &Inputs) -> Table {
    let mut table = Table::new(
        "prices",
        vec![
            MODEL,
            PROVIDER,
            INPUT_PRICE,
            CACHE_READ_PRICE,
            OUTPUT_PRICE,
            PRICE_FROM,
            VERIFIED,
            PRICE_SOURCE,
        ],
    );
    let mut models: Vec<String> = Vec::new();
    for plan in &i.scenario.plans {
        for m in plan.models() {
            if !models.contains(&m) {
                models.push(m);
            }
        }
    }
    for id in models {
        let Some(m) = i.ctx.catalog.get(&id) else {
            continue;
        };
        let period = m.period_at(Some(i.ctx.date));
        let per_million = |r: crate::money::Rate| r.usd_per_million();
        table.push(vec![
            m.id.clone().into(),
            m.provider.clone().into(),
            period.map(|p| per_million(p.base.input)).into(),
            period
                .and_then(|p| p.base.cache_read)
                .map(per_million)
                .into(),
            period.map(|p| per_million(p.base.output)).into(),
            period.and_then(|p| p.from).map(|d| d.to_string()).into(),
            m.verified.to_string().into(),
            period
                .and_then(|p| p.source.clone())
                .unwrap_or_else(|| m.source.clone())
                .into(),
        ]);
    }
    table
}
