//! CSV: one header row of stable keys, plain numbers (money exact, others
//! clean: `format::clean`), `true`/`false` for booleans, one table (the
//! first, or the one `--table` kept), then any `csv_trailer` summary after a
//! blank line. Text that a spreadsheet would run as a formula is neutralised.

use super::format::clean;
use super::{Kind, Report, Table, Value};
use crate::money::Usd;

pub fn render(report: &Report) -> String {
    let primary = report.tables.iter().find(|t| !t.csv_trailer);
    let trailers = report.tables.iter().filter(|t| t.csv_trailer);
    let mut out = String::new();
    for (i, table) in primary.into_iter().chain(trailers).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&one(table));
    }
    out
}

fn one(table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(table.columns.iter().map(|c| c.key.as_ref()));
    for row in &table.rows {
        let _ = writer.write_record(row.iter().zip(&table.columns).map(|(v, c)| cell(v, c.kind)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Money to the picodollar; float dollar amounts rounded to the picodollar
/// (see `json.rs`), so no binary noise reaches a spreadsheet.
fn cell(value: &Value, kind: Kind) -> String {
    match (value, kind) {
        (Value::Usd(u), _) => u.to_money().map(|m| m.to_string()).unwrap_or_default(),
        (Value::Number(v), Kind::Usd | Kind::UsdPerMillion) => Usd(*v)
            .to_money()
            .map(|m| m.to_string())
            .unwrap_or_default(),
        (value, _) => plain(value),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(s) => neutralise(s),
        Value::Number(v) => format!("{}", clean(*v)),
        Value::Count(n) => n.to_string(),
        Value::Money(m) => m.to_string(),
        Value::Usd(u) => format!("{}", u.value()),
        Value::Bool(b) => b.to_string(),
    }
}

/// Prefixes a quote to text a spreadsheet would evaluate (OWASP CSV
/// injection): a formula sign first, also after leading blanks or control
/// characters (spreadsheets skip them), also in its full-width form
/// (`＝`, which some spreadsheets read as `=`); and any text that begins
/// with a control character (a line feed, a NUL).
pub fn neutralise(s: &str) -> String {
    let first = s.chars().find(|c| !(c.is_whitespace() || c.is_control()));
    let formula = first.is_some_and(|c| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
        )
    });
    let control = s.starts_with(|c: char| c.is_control());
    if formula || control {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("gpt-4o"), "gpt-4o");
        assert_eq!(neutralise("\n=1+1"), "'\n=1+1");
        assert_eq!(neutralise("   =1+1"), "'   =1+1");
        assert_eq!(neutralise("\0=1+1"), "'\0=1+1");
        assert_eq!(neutralise("\0plain"), "'\0plain");
        assert_eq!(neutralise("＝1+1"), "'＝1+1");
        assert_eq!(neutralise("  two words"), "  two words");
    }
}
