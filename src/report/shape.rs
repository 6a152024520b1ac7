//! What a command's JSON report can hold, declared once: its summary
//! fields, and each table with the columns (from the vocabulary in
//! `columns/`) any run can give it. A `Report` is built at run time and
//! varies with the input (bands, gates, a histogram instead of the
//! summary); a `Shape` is the union of every report a command can build,
//! marking what only some runs have. `schema.rs` turns it into a JSON
//! Schema; the views declare it from the same column lists they build
//! their tables with (`views::shape`).

use super::{Column, Kind};

/// Whether a key is in every report the command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Always,
    /// Only in some runs (a flag, an input, or data that calls for it).
    Sometimes,
}

/// A summary field (`Report::fields`).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub presence: Presence,
    /// The value can be `null` (an option with nothing in it).
    pub nullable: bool,
}

impl Field {
    pub const fn new(key: &'static str, kind: Kind, meaning: &'static str) -> Field {
        Field {
            key,
            kind,
            meaning,
            presence: Presence::Always,
            nullable: false,
        }
    }

    /// A text field.
    pub const fn text(key: &'static str, meaning: &'static str) -> Field {
        Field::new(key, Kind::Text, meaning)
    }

    /// A count or plain number.
    pub const fn number(key: &'static str, meaning: &'static str) -> Field {
        Field::new(key, Kind::Number, meaning)
    }

    /// Present only in some runs.
    pub const fn sometimes(mut self) -> Field {
        self.presence = Presence::Sometimes;
        self
    }

    /// Its value can be `null`.
    pub const fn nullable(mut self) -> Field {
        self.nullable = true;
        self
    }
}

/// One table of the report: a JSON array of row objects.
#[derive(Debug, Clone, PartialEq)]
pub struct TableShape {
    pub name: &'static str,
    pub meaning: &'static str,
    pub presence: Presence,
    /// Every column a row can have, first seen first, and whether every
    /// run's rows have it.
    pub columns: Vec<(Column, Presence)>,
    /// Columns named at run time (`cost replay --by FIELD`): what they hold.
    /// Their keys cannot be listed, so the rows admit any further key with
    /// a text (or `null`) value.
    pub named_columns: Option<&'static str>,
}

impl TableShape {
    /// A table whose rows always have exactly these columns.
    pub fn new(name: &'static str, meaning: &'static str, columns: Vec<Column>) -> TableShape {
        TableShape::variants(name, meaning, &[columns])
    }

    /// A table whose columns differ between runs: each variant is one set
    /// of columns a run can give it (as the view builds them). A column in
    /// every variant is always there; the others only sometimes.
    pub fn variants(name: &'static str, meaning: &'static str, variants: &[Vec<Column>]) -> Self {
        debug_assert!(
            Self::conflicts(variants).is_empty(),
            "`{name}`: one key with two kinds: {:?}",
            Self::conflicts(variants)
        );
        let mut columns: Vec<(Column, Presence)> = Vec::new();
        for variant in variants {
            for c in variant {
                if !columns.iter().any(|(seen, _)| seen.key == c.key) {
                    let everywhere = variants.iter().all(|v| v.iter().any(|x| x.key == c.key));
                    let presence = if everywhere {
                        Presence::Always
                    } else {
                        Presence::Sometimes
                    };
                    columns.push((c.clone(), presence));
                }
            }
        }
        TableShape {
            name,
            meaning,
            presence: Presence::Always,
            columns,
            named_columns: None,
        }
    }

    /// A table only some runs have.
    pub fn sometimes(mut self) -> TableShape {
        self.presence = Presence::Sometimes;
        self
    }

    /// Rows also carry columns named at run time (see `named_columns`).
    pub fn named_columns(mut self, meaning: &'static str) -> TableShape {
        self.named_columns = Some(meaning);
        self
    }

    /// Keys that two variants gave different kinds: a vocabulary mistake
    /// the schema could not describe.
    pub fn conflicts(variants: &[Vec<Column>]) -> Vec<String> {
        let all: Vec<&Column> = variants.iter().flatten().collect();
        let mut out: Vec<String> = all
            .iter()
            .filter(|a| all.iter().any(|b| b.key == a.key && b.kind != a.kind))
            .map(|c| c.key.to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Everything a command's JSON report can hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// As in `Report::command` (`router eval` for a subcommand).
    pub command: &'static str,
    pub meaning: &'static str,
    pub fields: Vec<Field>,
    pub tables: Vec<TableShape>,
}

impl Shape {
    /// The schema's file name: `compare.json`, `router-eval.json`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.command.replace(' ', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::columns::{COST_PER_MONTH, PLAN, QUALITY};

    #[test]
    fn a_column_in_every_variant_is_always_there_the_others_sometimes() {
        let t = TableShape::variants(
            "plans",
            "the plans",
            &[vec![PLAN, QUALITY], vec![PLAN, COST_PER_MONTH]],
        );
        let got: Vec<(&str, Presence)> = t.columns.iter().map(|(c, p)| (&*c.key, *p)).collect();
        assert_eq!(
            got,
            [
                ("plan", Presence::Always),
                ("quality", Presence::Sometimes),
                ("cost_per_month_usd", Presence::Sometimes),
            ]
        );
    }

    #[test]
    fn the_same_key_with_two_kinds_is_a_conflict() {
        let odd = Column::new("plan", "plan", Kind::Number, "not text");
        assert_eq!(
            TableShape::conflicts(&[vec![PLAN], vec![odd]]),
            ["plan".to_string()]
        );
        assert!(TableShape::conflicts(&[vec![PLAN], vec![PLAN.detail()]]).is_empty());
    }

    #[test]
    fn subcommands_name_their_file_with_a_dash() {
        let shape = Shape {
            command: "router eval",
            meaning: "",
            fields: vec![],
            tables: vec![],
        };
        assert_eq!(shape.file_name(), "router-eval.json");
    }
}
