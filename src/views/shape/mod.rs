//! What each command's JSON report can hold (`report::shape::Shape`),
//! declared from the same column lists the views build their tables with,
//! so that `docs/schema/*.json` (`report::schema`) is generated from the
//! report model and cannot drift from it. The summary fields are declared
//! here, beside the tables they go with; `tests/schema.rs` checks real
//! output of every command against the generated schemas.

mod catalog;
mod eval;
mod replay;
mod scenario;

use crate::report::shape::{Field, Shape};
use crate::report::Kind;

/// Every command that writes a report, in the order of `cost --help`.
pub fn shapes() -> Vec<Shape> {
    vec![
        scenario::compare(),
        catalog::models(),
        catalog::estimate(),
        scenario::route(),
        scenario::sweep(),
        scenario::frontier(),
        scenario::simulate(),
        eval::eval(),
        eval::router_eval(),
        scenario::scenarios(),
        scenario::diff(),
        catalog::validate(),
        catalog::import(),
        replay::replay(),
        catalog::tokens(),
    ]
}

/// The shape of one command's report (`compare`, `router eval`).
pub fn shape(command: &str) -> Option<Shape> {
    shapes().into_iter().find(|s| s.command == command)
}

const SCENARIO: Field = Field::text("scenario", "the scenario's name (or file)");
const PRICE_DATE: Field = Field::text(
    "price_date",
    "the day whose prices apply, YYYY-MM-DD (`--at`, else today)",
);
const BASELINE: Field = Field::text(
    "baseline",
    "the scenario's baseline plan, which savings are measured against",
);
const GATE: Field = Field::text(
    "gate",
    "`passed` or `failed`: whether every gate held (exit 1 when one failed)",
);

/// A field of dollars (an exact decimal number).
const fn usd(key: &'static str, meaning: &'static str) -> Field {
    Field::new(key, Kind::Usd, meaning)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every `command` a view names in its source.
    fn commands_in_views() -> BTreeSet<String> {
        let files = [
            include_str!("../compare.rs"),
            include_str!("../diff.rs"),
            include_str!("../estimate.rs"),
            include_str!("../eval/mod.rs"),
            include_str!("../frontier.rs"),
            include_str!("../import.rs"),
            include_str!("../models.rs"),
            include_str!("../replay.rs"),
            include_str!("../route.rs"),
            include_str!("../router.rs"),
            include_str!("../scenarios.rs"),
            include_str!("../simulate.rs"),
            include_str!("../sweep.rs"),
            include_str!("../tokens.rs"),
            include_str!("../validate.rs"),
        ];
        let mut out = BTreeSet::new();
        for text in files {
            for marker in ["command: \"", "command = \""] {
                for piece in text.split(marker).skip(1) {
                    out.insert(piece.split('"').next().unwrap_or_default().to_string());
                }
            }
        }
        out
    }

    #[test]
    fn every_command_a_view_builds_has_one_shape() {
        let declared: Vec<&str> = shapes().iter().map(|s| s.command).collect();
        let unique: BTreeSet<String> = declared.iter().map(|c| (*c).to_string()).collect();
        assert_eq!(unique.len(), declared.len(), "a command declared twice");
        assert_eq!(unique, commands_in_views());
    }

    #[test]
    fn keys_are_unique_within_a_report_and_its_rows() {
        for s in shapes() {
            let mut top = BTreeSet::new();
            for key in ["schema_version", "command", "title", "notes"]
                .into_iter()
                .chain(s.fields.iter().map(|f| f.key))
                .chain(s.tables.iter().map(|t| t.name))
            {
                assert!(top.insert(key), "{}: `{key}` twice", s.command);
            }
            for t in &s.tables {
                let keys: BTreeSet<&str> = t.columns.iter().map(|(c, _)| &*c.key).collect();
                assert_eq!(keys.len(), t.columns.len(), "{}.{}", s.command, t.name);
            }
        }
    }
}
