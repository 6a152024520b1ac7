//! The price book as flat tables: `prices` (one row per model × component ×
//! long-context tier × service tier × price period × time-of-day window) and
//! `aliases` (every spelling the catalog resolves to a model id), with typed
//! cells that the CSV and Parquet writers both render. Money is exact: a
//! price is `Money` per token or per request, written as a decimal string in
//! CSV and as DECIMAL(38,18) in Parquet. Pure: no files.

use jiff::civil::Date;

use super::book::{Book, Line, Prices};
use crate::money::Money;
use crate::pricing::model::Window;
use crate::pricing::Part;

/// How a column's cells are typed in Parquet (CSV writes them all as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Int,
    /// Exact USD, DECIMAL(38,18).
    Usd,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Date(Date),
    Int(i64),
    Usd(Money),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables `cost export prices` writes (`--table`).
pub const TABLES: [&str; 2] = ["prices", "aliases"];

const PRICE_COLUMNS: [(&str, Kind); 21] = [
    ("model_id", Kind::Text),
    ("provider", Kind::Text),
    ("effective_from", Kind::Date),
    ("effective_to", Kind::Date),
    ("long_context_rule", Kind::Text),
    ("long_context_threshold", Kind::Int),
    ("prompt_tokens_above", Kind::Int),
    ("prompt_tokens_up_to", Kind::Int),
    ("service_tier", Kind::Text),
    ("offered", Kind::Bool),
    ("window", Kind::Text),
    ("window_days", Kind::Text),
    ("window_start_minute", Kind::Int),
    ("window_end_minute", Kind::Int),
    ("window_multiplier", Kind::Text),
    ("fast_multiplier", Kind::Text),
    ("regional_multiplier", Kind::Text),
    ("component", Kind::Text),
    ("unit", Kind::Text),
    ("price_usd", Kind::Usd),
    ("source", Kind::Text),
];

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub fn prices(book: &Book) -> Table {
    let mut rows = Vec::new();
    for line in &book.lines {
        let outside = line.prices;
        rows.extend(component_rows(line, None, outside));
        for w in &line.windows {
            let inside = line.prices.map(|p| p.in_window(w.multiplier));
            rows.extend(component_rows(line, Some(w), inside));
        }
    }
    Table {
        name: "prices",
        columns: PRICE_COLUMNS.to_vec(),
        rows,
    }
}

pub fn aliases(book: &Book) -> Table {
    Table {
        name: "aliases",
        columns: vec![("alias", Kind::Text), ("model_id", Kind::Text)],
        rows: book
            .aliases
            .iter()
            .map(|(a, m)| vec![Cell::Text(a.clone()), Cell::Text(m.clone())])
            .collect(),
    }
}

fn opt_int(v: Option<u64>) -> Cell {
    v.map_or(Cell::Null, |n| Cell::Int(n as i64))
}

fn component_rows(line: &Line, window: Option<&Window>, prices: Option<Prices>) -> Vec<Vec<Cell>> {
    let text = |s: &str| Cell::Text(s.to_string());
    let parts = Part::TOKENS.into_iter().chain([Part::PerRequest]);
    parts
        .map(|part| {
            let price = prices.and_then(|p| match part {
                Part::PerRequest => Some(p.fee),
                part => p.rate(part).map(|r| r.cost(1)),
            });
            vec![
                text(&line.model),
                text(&line.provider),
                line.from.map_or(Cell::Null, Cell::Date),
                line.to.map_or(Cell::Null, Cell::Date),
                line.cliff.map_or(Cell::Null, |c| text(c.rule)),
                line.cliff
                    .map_or(Cell::Null, |c| Cell::Int(c.threshold as i64)),
                opt_int(line.cliff.map(|c| c.above)),
                opt_int(line.up_to),
                text(line.tier.key()),
                Cell::Bool(prices.is_some()),
                window.map_or(Cell::Null, |w| text(&w.name)),
                window.map_or(Cell::Null, |w| {
                    let days: Vec<&str> = (0..7).filter(|d| w.days[*d]).map(|d| DAYS[d]).collect();
                    Cell::Text(days.join(","))
                }),
                window.map_or(Cell::Null, |w| Cell::Int(i64::from(w.start))),
                window.map_or(Cell::Null, |w| Cell::Int(i64::from(w.end))),
                window.map_or(Cell::Null, |w| Cell::Text(w.multiplier.to_string())),
                line.fast.map_or(Cell::Null, |f| Cell::Text(f.to_string())),
                line.regional
                    .map_or(Cell::Null, |f| Cell::Text(f.to_string())),
                text(part.key()),
                text(if part == Part::PerRequest {
                    "request"
                } else {
                    "token"
                }),
                price.map_or(Cell::Null, Cell::Usd),
                text(&line.source),
            ]
        })
        .collect()
}

impl Cell {
    /// The cell as CSV writes it: exact decimals, ISO dates, empty for null.
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Usd(m) => m.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// The table as CSV with a header line.
pub fn to_csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.columns.iter().map(|(k, _)| *k))?;
    for row in &table.rows {
        w.write_record(row.iter().map(Cell::text))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Catalog;
    use crate::source::Source;

    #[test]
    fn every_component_of_a_window_is_priced_at_the_windowed_rate() {
        let text = "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\nsource = \"https://example.com\"\nverified = 2026-11-28\n[[models.prices]]\ninput = 0.28\noutput = 0.42\n[[models.prices.windows]]\nname = \"off-peak\"\ndays = [\"weekdays\"]\nstart = \"16:30\"\nend = \"24:00\"\nmultiplier = 0.5\n";
        let catalog = Catalog::from_sources(&[Source::embedded("t.toml", text)]).unwrap();
        let t = prices(&Book::of(&catalog));
        // 4 tiers x (outside + 1 window) x 7 components.
        assert_eq!(t.rows.len(), 4 * 2 * 7);
        let csv = String::from_utf8(to_csv(&t).unwrap()).unwrap();
        assert!(
            csv.contains(",standard,true,,,,,,,,input,token,0.00000028,"),
            "{csv}"
        );
        assert!(
            csv.contains(",standard,true,off-peak,\"mon,tue,wed,thu,fri\",990,1440,0.5,,,input,token,0.00000014,"),
            "{csv}"
        );
        assert!(csv.contains(",batch,false,,,,,,,,input,token,,"), "{csv}");
    }
}
