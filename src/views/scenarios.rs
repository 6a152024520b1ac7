//! `cost scenarios`: the built-in scenarios, one row each.

use crate::report::columns::catalog::{
    CLASS_NAMES, DESCRIPTION, PLAN_NAMES, REQUESTS_PER_DAY, SCENARIO_NAME,
};
use crate::report::{Column, Report, Table};
use crate::scenario::Scenario;

pub fn report(scenarios: &[(String, Scenario)]) -> Report {
    let mut table = Table::new("scenarios", columns());
    for (name, scenario) in scenarios {
        let names = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join(", ");
        table.push(vec![
            name.clone().into(),
            scenario.requests_per_day.into(),
            names(&mut scenario.classes.iter().map(|c| c.name.as_str())).into(),
            names(&mut scenario.plans.iter().map(|p| p.name.as_str())).into(),
            scenario.description.clone().unwrap_or_default().into(),
        ]);
    }
    Report {
        command: "scenarios",
        title: "built-in scenarios (run one with `cost compare NAME`)".into(),
        fields: vec![],
        tables: vec![table],
        notes: vec![],
    }
}

/// The `scenarios` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        SCENARIO_NAME,
        REQUESTS_PER_DAY,
        CLASS_NAMES,
        PLAN_NAMES,
        DESCRIPTION,
    ]
}
