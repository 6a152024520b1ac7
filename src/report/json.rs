//! JSON: `schema_version`, `command`, `title`, the summary fields, each table
//! as an array of objects keyed by column key, and the notes.
//!
//! Money is written as an exact decimal number: `Money` to the picodollar it
//! holds, and float expectations (`Usd`, or plain numbers in a dollar column)
//! rounded to the picodollar, so no binary noise (`0.027200000000000002`)
//! reaches a reader. The digits go out verbatim (`serde_json::value::RawValue`),
//! never through an `f64`. A value that is not finite never gets here: the
//! printer refuses the report first (`Report::non_finite`). Other numbers
//! are written clean (`format::clean`: ten significant digits, shortest
//! form), booleans as booleans.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{json, Number};

use super::format::clean;
use super::{Column, Kind, Report, Table, Value, SCHEMA_VERSION};
use crate::money::Usd;

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&Root(report)).unwrap_or_default();
    out.push('\n');
    out
}

struct Root<'a>(&'a Report);

impl Serialize for Root<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("schema_version", &SCHEMA_VERSION)?;
        map.serialize_entry("command", r.command)?;
        map.serialize_entry("title", &r.title)?;
        for (key, value) in &r.fields {
            let kind = if key.ends_with("_usd") {
                Kind::Usd
            } else {
                Kind::Number
            };
            map.serialize_entry(key, &Cell(value, kind))?;
        }
        for table in r.tables.iter().filter(|t| !t.csv_trailer) {
            map.serialize_entry(table.name, &Rows(table))?;
        }
        map.serialize_entry("notes", &r.notes)?;
        map.end()
    }
}

struct Rows<'a>(&'a Table);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&Row(&self.0.columns, row))?;
        }
        seq.end()
    }
}

struct Row<'a>(&'a [Column], &'a [Value]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (c, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(c.key.as_ref(), &Cell(v, c.kind))?;
        }
        map.end()
    }
}

struct Cell<'a>(&'a Value, Kind);

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = match (self.0, self.1) {
            (Value::Money(m), _) => Some(m.to_string()),
            (Value::Usd(u), _) => u.to_money().map(|m| m.to_string()),
            (Value::Number(v), Kind::Usd | Kind::UsdPerMillion) => {
                Usd(*v).to_money().map(|m| m.to_string())
            }
            (other, _) => return plain(other).serialize(s),
        };
        match text.map(RawValue::from_string) {
            Some(Ok(raw)) => raw.serialize(s),
            Some(Err(e)) => Err(serde::ser::Error::custom(e)),
            None => s.serialize_none(),
        }
    }
}

fn plain(value: &Value) -> serde_json::Value {
    match value {
        Value::Empty => serde_json::Value::Null,
        Value::Text(s) => json!(s),
        Value::Number(v) => {
            Number::from_f64(clean(*v)).map_or(serde_json::Value::Null, serde_json::Value::Number)
        }
        Value::Count(n) => json!(n),
        Value::Money(m) => json!(m.to_string()),
        Value::Usd(u) => json!(u.value()),
        Value::Bool(b) => json!(b),
    }
}
