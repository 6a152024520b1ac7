//! A command's `Shape` as a JSON Schema (draft 2020-12) of what
//! `json.rs` writes: the envelope (`schema_version`, `command`, `title`,
//! `notes`), the summary fields, and each table as an array of row objects
//! whose keys, types and descriptions come from the column vocabulary.
//!
//! Types follow the renderer, not the human view: a column's `Kind` says
//! which JSON type its cells have (text is a string, a flag or verdict a
//! boolean, every amount, share, rate, count and duration a number: money
//! is an exact decimal number), and any cell may be `null` because the
//! renderer writes an empty cell as `null` (never 0). The shape of a row
//! is fixed, so `additionalProperties` is false, except in tables with
//! columns named at run time (`cost replay --by`), whose extra keys are
//! text. Keys every run has are `required`.

use serde_json::{json, Map, Value};

use super::shape::{Field, Presence, Shape, TableShape};
use super::{Column, Kind, SCHEMA_VERSION};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of the command's JSON output, as pretty JSON with a newline.
pub fn render(shape: &Shape) -> String {
    let mut out = serde_json::to_string_pretty(&schema(shape)).unwrap_or_default();
    out.push('\n');
    out
}

pub fn schema(shape: &Shape) -> Value {
    let mut properties = Map::new();
    let mut required: Vec<&str> = vec!["schema_version", "command", "title"];
    properties.insert(
        "schema_version".into(),
        json!({
            "description": "the version of the output keys, bumped whenever a key is renamed or removed or changes type",
            "const": SCHEMA_VERSION,
        }),
    );
    properties.insert(
        "command".into(),
        json!({ "description": "the command that wrote the report", "const": shape.command }),
    );
    properties.insert(
        "title".into(),
        json!({ "description": "the report's one-line title", "type": "string" }),
    );
    for f in &shape.fields {
        properties.insert(f.key.into(), field(f));
        if f.presence == Presence::Always {
            required.push(f.key);
        }
    }
    for t in &shape.tables {
        properties.insert(t.name.into(), table(t));
        if t.presence == Presence::Always {
            required.push(t.name);
        }
    }
    properties.insert(
        "notes".into(),
        json!({
            "description": "assumptions and explanations a reader needs to trust the numbers, one sentence each",
            "type": "array",
            "items": { "type": "string" },
        }),
    );
    required.push("notes");
    json!({
        "$schema": DRAFT,
        "$comment": "generated from the report model (src/views/shape/): regenerate with `UPDATE_SCHEMA=1 cargo test --test schema`, never edit by hand",
        "title": format!("cost {} --format json", shape.command),
        "description": shape.meaning,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The JSON type a cell of this kind has when it is not empty.
fn json_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "string",
        Kind::Flag | Kind::Verdict => "boolean",
        Kind::Usd
        | Kind::UsdPerMillion
        | Kind::Tokens
        | Kind::Percent
        | Kind::Rate
        | Kind::Number
        | Kind::Seconds => "number",
    }
}

fn field(f: &Field) -> Value {
    let ty = json_type(f.kind);
    let ty = if f.nullable {
        json!([ty, "null"])
    } else {
        json!(ty)
    };
    json!({ "description": f.meaning, "type": ty })
}

fn cell(c: &Column) -> Value {
    json!({ "description": c.meaning, "type": [json_type(c.kind), "null"] })
}

fn table(t: &TableShape) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (c, presence) in &t.columns {
        properties.insert(c.key.to_string(), cell(c));
        if *presence == Presence::Always {
            required.push(c.key.to_string());
        }
    }
    let additional = match t.named_columns {
        Some(meaning) => json!({ "description": meaning, "type": ["string", "null"] }),
        None => json!(false),
    };
    json!({
        "description": t.meaning,
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": additional,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::columns::{PLAN, QUALITY, SLO_MET};
    use crate::report::{render as render_report, Format, Layout, Report, Table};

    fn shape() -> Shape {
        Shape {
            command: "compare",
            meaning: "a test shape",
            fields: vec![
                Field::text("scenario", "the scenario"),
                Field::number("budget_usd_per_day", "a budget").sometimes(),
            ],
            tables: vec![TableShape::variants(
                "plans",
                "the plans",
                &[vec![PLAN, QUALITY], vec![PLAN, QUALITY, SLO_MET]],
            )],
        }
    }

    fn report(quality: crate::report::Value) -> Report {
        let mut table = Table::new("plans", vec![PLAN, QUALITY]);
        table.push(vec!["a".into(), quality]);
        Report {
            command: "compare",
            title: "t".into(),
            fields: vec![("scenario", "s".into())],
            tables: vec![table],
            notes: vec![],
        }
    }

    fn valid(report: &Report) -> bool {
        let text = render_report(report, Format::Json, Layout::default());
        let doc: Value = serde_json::from_str(&text).unwrap();
        jsonschema::draft202012::new(&schema(&shape()))
            .unwrap()
            .is_valid(&doc)
    }

    #[test]
    fn a_generated_schema_is_a_valid_draft_2020_12_schema() {
        assert!(jsonschema::meta::is_valid(&schema(&shape())));
    }

    #[test]
    fn the_renderer_s_output_matches_its_schema_empty_cells_included() {
        assert!(valid(&report(0.9.into())));
        assert!(valid(&report(crate::report::Value::Empty)));
    }

    #[test]
    fn a_cell_of_the_wrong_type_a_missing_key_or_an_unknown_key_fails() {
        assert!(!valid(&report("high".into())));
        let mut missing = report(0.9.into());
        missing.fields.clear();
        assert!(!valid(&missing));
        let mut extra = report(0.9.into());
        extra.fields.push(("unknown", 1.0.into()));
        assert!(!valid(&extra));
    }

    #[test]
    fn keys_every_run_has_are_required_the_others_not() {
        let s = schema(&shape());
        let required = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect()
        };
        let top = required(&s["required"]);
        assert!(top.contains(&"scenario".to_string()));
        assert!(!top.contains(&"budget_usd_per_day".to_string()));
        let rows = required(&s["properties"]["plans"]["items"]["required"]);
        assert_eq!(rows, ["plan", "quality"]);
        assert_eq!(
            s["properties"]["plans"]["items"]["properties"]["slo_met"]["type"],
            json!(["boolean", "null"])
        );
    }
}
