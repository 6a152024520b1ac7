//! JSON: `schema_version`, `command`, `title`, the summary fields, each table
//! as an array of objects keyed by column key, and the notes.

use serde_json::{json, Map, Number};

use super::{Report, Value, SCHEMA_VERSION};

pub fn render(report: &Report) -> String {
    let mut root = Map::new();
    root.insert("schema_version".into(), json!(SCHEMA_VERSION));
    root.insert("command".into(), json!(report.command));
    root.insert("title".into(), json!(report.title));
    for (key, value) in &report.fields {
        root.insert((*key).into(), to_json(value));
    }
    for table in &report.tables {
        let rows: Vec<serde_json::Value> = table
            .rows
            .iter()
            .map(|row| {
                let object: Map<String, serde_json::Value> = table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.key.to_string(), to_json(v)))
                    .collect();
                serde_json::Value::Object(object)
            })
            .collect();
        root.insert(table.name.into(), serde_json::Value::Array(rows));
    }
    root.insert("notes".into(), json!(report.notes));
    let mut out =
        serde_json::to_string_pretty(&serde_json::Value::Object(root)).unwrap_or_default();
    out.push('\n');
    out
}

fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Empty => serde_json::Value::Null,
        Value::Text(s) => json!(s),
        Value::Number(v) => {
            Number::from_f64(*v).map_or(serde_json::Value::Null, serde_json::Value::Number)
        }
        Value::Count(n) => json!(n),
        // Exact decimal, as a number; serde_json keeps the digits it is given.
        Value::Money(m) => m
            .to_string()
            .parse::<serde_json::Value>()
            .unwrap_or(serde_json::Value::Null),
        Value::Usd(u) => {
            Number::from_f64(u.value()).map_or(serde_json::Value::Null, serde_json::Value::Number)
        }
        Value::Bool(b) => json!(b),
    }
}
