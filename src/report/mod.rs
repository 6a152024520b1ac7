//! The one report model every command builds, and the renderers that turn it
//! into a terminal table, CSV, JSON or Markdown. Only the table and Markdown
//! renderers round and add units; CSV and JSON carry full-precision numbers
//! under stable keys (documented in the README).

pub mod columns;
mod csv;
pub(crate) mod format;
mod json;
mod markdown;
pub mod saved;
mod saved_check;
pub mod schema;
pub mod shape;
mod table;

use crate::money::{Money, Usd};

pub use columns::Column;

/// Bumped whenever a JSON field is renamed or removed or changes type (2:
/// fractions are `*_share`, savings against the baseline are `savings_*`
/// everywhere; 3: `slo_met` is a boolean; see the README's "Changes to
/// output keys").
pub const SCHEMA_VERSION: u32 = 3;

/// Versions whose saved `compare` reports `cost diff` still reads: the
/// fields it reads are the same in each.
pub const READABLE_VERSIONS: [u32; 3] = [1, 2, 3];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Markdown,
    /// FOCUS 1.3 billing rows: only `cost replay` writes them (from its
    /// charges, `replay::focus`); every other command refuses the format.
    Focus,
}

/// What a command produced: one or more tables, summary fields and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub command: &'static str,
    pub title: String,
    /// Scalar facts about the whole report (scenario, price date, totals).
    pub fields: Vec<(&'static str, Value)>,
    /// The first table is the main one: CSV renders only it (and any
    /// `csv_trailer` table after it), unless `--table` names another
    /// (`Report::only_table`).
    pub tables: Vec<Table>,
    /// Assumptions and explanations a reader needs to trust the numbers.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// JSON key of the rows, e.g. `plans`.
    pub name: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// Detail for tools, not readers (e.g. `compare`'s per-class rows that
    /// `cost diff` reads back): rendered in JSON only.
    pub machine_only: bool,
    /// A summary that CSV, which carries only the primary table, writes
    /// after it (a blank line, then its own header and rows), so that what
    /// other formats say in fields and notes is not lost: rendered in CSV only.
    pub csv_trailer: bool,
}

/// How a column's numbers read to a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// US dollars.
    Usd,
    /// US dollars per 1M tokens.
    UsdPerMillion,
    Tokens,
    /// A fraction shown as a percentage.
    Percent,
    /// A success rate in 0..1.
    Rate,
    /// A plain number.
    Number,
    /// Seconds, an estimate.
    Seconds,
    /// A yes/no marker, shown as a check mark.
    Flag,
    /// A pass/fail verdict (an SLO met): `true`/`false` in CSV and JSON,
    /// `yes`/`BREACH` in tables.
    Verdict,
}

/// How the terminal table is laid out; the other formats ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    pub color: bool,
    /// The width every line fits in (`None`: no limit).
    pub width: Option<u16>,
    /// Every column (`--wide`), not only the compact default set.
    pub wide: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Count(u64),
    /// An exact amount: rendered to the last picodollar in CSV and JSON.
    Money(Money),
    /// An expected or aggregated amount in US dollars.
    Usd(Usd),
    Bool(bool),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Number(v)
    }
}

impl From<Usd> for Value {
    fn from(v: Usd) -> Value {
        Value::Usd(v)
    }
}

impl From<Money> for Value {
    fn from(v: Money) -> Value {
        Value::Money(v)
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Value {
        Value::Count(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Empty, Into::into)
    }
}

impl Table {
    /// Indices of the columns a human view shows: columns with no value in
    /// any row are dropped there, and `hide_zero` columns with only zeros
    /// (CSV and JSON keep every column).
    pub fn shown_columns(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| {
                let shown = |v: &Value| match v {
                    Value::Empty => false,
                    Value::Count(0) => !self.columns[i].hide_zero,
                    _ => true,
                };
                self.rows.is_empty() || self.rows.iter().any(|r| shown(&r[i]))
            })
            .collect()
    }

    pub fn new(name: &'static str, columns: Vec<Column>) -> Table {
        Table {
            name,
            columns,
            rows: Vec::new(),
            machine_only: false,
            csv_trailer: false,
        }
    }

    /// A table rendered in JSON only (see `machine_only`).
    pub fn machine(name: &'static str, columns: Vec<Column>) -> Table {
        Table {
            machine_only: true,
            ..Table::new(name, columns)
        }
    }

    /// A table rendered in CSV only, after the primary one (see `csv_trailer`).
    pub fn csv_trailer(name: &'static str, columns: Vec<Column>) -> Table {
        Table {
            csv_trailer: true,
            ..Table::new(name, columns)
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(
            row.len(),
            self.columns.len(),
            "row width matches the columns"
        );
        self.rows.push(row);
    }
}

/// `--table NAME` named no table of the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`cost {command}` has no table `{name}`\n  hint: {suggestion}its tables are: {}", known.join(", "))]
pub struct UnknownTable {
    pub command: &'static str,
    pub name: String,
    pub suggestion: String,
    pub known: Vec<&'static str>,
}

impl Report {
    /// The names of the report's tables, the main one (CSV's default) first.
    pub fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|t| t.name).collect()
    }

    /// The report with only the table `name` (`--table`): CSV writes it,
    /// the table and Markdown views show it (even a JSON-only one).
    pub fn only_table(&self, name: &str) -> Result<Report, UnknownTable> {
        let Some(table) = self.tables.iter().find(|t| t.name == name) else {
            let known = self.table_names();
            return Err(UnknownTable {
                command: self.command,
                name: name.to_string(),
                suggestion: crate::suggest::did_you_mean(&crate::suggest::closest(
                    name,
                    known.iter().copied(),
                    2,
                )),
                known,
            });
        };
        Ok(Report {
            tables: vec![Table {
                machine_only: false,
                ..table.clone()
            }],
            ..self.clone()
        })
    }

    /// The first dollar amount that is not a finite number (or too large to
    /// hold exactly), as `key`: such a report is an error, never a `null`.
    pub fn non_finite(&self) -> Option<String> {
        let bad = |v: &Value, money: bool| match v {
            Value::Usd(u) => u.to_money().is_none(),
            Value::Number(n) if money => Usd(*n).to_money().is_none(),
            _ => false,
        };
        for (key, value) in &self.fields {
            if bad(value, key.ends_with("_usd")) {
                return Some((*key).to_string());
            }
        }
        for table in &self.tables {
            for row in &table.rows {
                for (c, v) in table.columns.iter().zip(row) {
                    if bad(v, matches!(c.kind, Kind::Usd | Kind::UsdPerMillion)) {
                        return Some(format!("{}.{}", table.name, c.key));
                    }
                }
            }
        }
        None
    }
}

/// Renders a report; `layout` only affects the table format.
pub fn render(report: &Report, format: Format, layout: Layout) -> String {
    match format {
        Format::Table => table::render(report, layout),
        // No report is rendered as FOCUS (replay writes its charges itself);
        // should one reach here, it is written as the CSV it resembles.
        Format::Csv | Format::Focus => csv::render(report),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render(report),
    }
}

#[cfg(test)]
mod tests {
    //! Snapshots of every renderer on one small report.
    use super::*;

    fn sample() -> Report {
        let mut table = Table::new(
            "plans",
            vec![
                columns::PLAN,
                columns::scenario::BASELINE,
                columns::COST_PER_REQUEST,
                columns::COST_PER_MONTH,
                columns::scenario::SAVINGS_SHARE,
                columns::QUALITY,
                columns::TTFT,
                Column::new(
                    "empty",
                    "never shown in tables",
                    Kind::Number,
                    "always empty",
                ),
            ],
        );
        table.push(vec![
            "all-strong".into(),
            Value::Bool(true),
            Value::Money(Money::from_picos(4_250_000_000)),
            129_359.375.into(),
            0.0.into(),
            0.946.into(),
            0.45.into(),
            Value::Empty,
        ]);
        table.push(vec![
            "=cmd|' /C calc'!A0".into(),
            Value::Bool(false),
            Value::Money(Money::from_picos(255_000_000)),
            7761.5625.into(),
            0.94.into(),
            Value::Empty,
            Value::Empty,
            Value::Empty,
        ]);
        Report {
            command: "compare",
            title: "cost compare: sample".into(),
            fields: vec![
                ("scenario", "sample".into()),
                ("requests_per_day", 10_000.0.into()),
            ],
            tables: vec![table],
            notes: vec!["savings are against `all-strong`".into()],
        }
    }

    #[test]
    fn table_snapshot() {
        insta::assert_snapshot!(render(&sample(), Format::Table, Layout::default()));
    }

    #[test]
    fn csv_snapshot() {
        insta::assert_snapshot!(render(&sample(), Format::Csv, Layout::default()));
    }

    #[test]
    fn json_snapshot() {
        insta::assert_snapshot!(render(&sample(), Format::Json, Layout::default()));
    }

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(render(&sample(), Format::Markdown, Layout::default()));
    }
}
