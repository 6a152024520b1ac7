//! The provenance of every latency and quality figure a scenario report
//! shows: one row per figure with its value, setting, date and source
//! (JSON and CSV `--table figures`; the terminal prints the notes instead).

use std::collections::BTreeSet;

use crate::engine::index::GlobalIndex;
use crate::engine::PlanOutcome;
use crate::pricing::Catalog;
use crate::report::columns::{FIGURE, FIGURE_SETTING, FIGURE_VALUE, MEASURED, MODEL, SOURCE};
use crate::report::{Column, Table};
use crate::scenario::Scenario;

pub fn table(
    scenario: &Scenario,
    outcomes: &[&PlanOutcome],
    catalog: &Catalog,
    index: Option<&GlobalIndex>,
) -> Table {
    let mut table = Table::machine("figures", columns());
    let mut seen = BTreeSet::new();
    for leg in outcomes
        .iter()
        .flat_map(|o| o.classes.iter().flat_map(|c| c.legs.iter()))
    {
        let (Some(l), Some(m)) = (&leg.latency, catalog.get(&leg.model)) else {
            continue;
        };
        for i in l.used.indices() {
            if !seen.insert((leg.model.clone(), i)) {
                continue;
            }
            let f = &m.latency[i];
            for (name, value) in [
                ("ttft_s", f.ttft_s),
                ("ttft_answer_s", f.ttft_answer_s),
                ("output_tps", f.output_tps),
                ("prefill_tps", f.prefill_tps),
            ] {
                if let Some(v) = value {
                    table.push(vec![
                        leg.model.clone().into(),
                        name.into(),
                        f.reasoning.key().into(),
                        v.into(),
                        f.measured.to_string().into(),
                        f.source.clone().into(),
                    ]);
                }
            }
        }
    }
    let used: BTreeSet<&str> = outcomes
        .iter()
        .flat_map(|o| o.model_shares.iter().map(|s| s.model.as_str()))
        .collect();
    let quality = scenario
        .proxies
        .iter()
        .flat_map(|p| p.scores.iter())
        .chain(index.into_iter().flat_map(|ix| ix.used.iter()));
    let mut quality_seen = BTreeSet::new();
    for (model, s) in quality.filter(|(m, _)| used.contains(m.as_str())) {
        if !quality_seen.insert((model.clone(), s.scale_key(), s.variant.clone())) {
            continue;
        }
        table.push(vec![
            model.clone().into(),
            s.scale_key().into(),
            s.variant.clone().unwrap_or_default().into(),
            s.value.into(),
            s.measured.to_string().into(),
            s.source.clone().into(),
        ]);
    }
    table
}

/// The `figures` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        MODEL,
        FIGURE,
        FIGURE_SETTING,
        FIGURE_VALUE,
        MEASURED,
        SOURCE,
    ]
}
