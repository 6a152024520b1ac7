//! `cost scenarios`: the built-in scenarios, by name, ready for `cost compare NAME`.

use crate::cli::GlobalArgs;
use crate::report::{col, Kind, Report, Table};
use crate::scenario::{builtin, builtin_names, load_scenario};
use crate::settings;

pub fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let mut table = Table::new(
        "scenarios",
        vec![
            col("name", "name", Kind::Text),
            col("requests_per_day", "requests/day", Kind::Tokens),
            col("classes", "classes", Kind::Text),
            col("plans", "plans", Kind::Text),
            col("description", "description", Kind::Text),
        ],
    );
    for name in builtin_names() {
        let Some(source) = builtin(&name) else {
            continue;
        };
        let scenario = load_scenario(&source, &catalog)?;
        table.push(vec![
            name.into(),
            scenario.requests_per_day.into(),
            scenario
                .classes
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
            scenario
                .plans
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
            scenario.description.clone().unwrap_or_default().into(),
        ]);
    }
    printer.emit(&Report {
        command: "scenarios",
        title: "built-in scenarios (run one with `cost compare NAME`)".into(),
        fields: vec![],
        tables: vec![table],
        notes: vec![],
    })
}
