//! The catalog commands: `models`, `estimate`, `tokens`, `validate` and
//! `pricing import`.

use super::{usd, PRICE_DATE};
use crate::report::shape::{Field, Shape, TableShape};
use crate::views::{estimate as estimate_view, import as import_view, models as models_view};
use crate::views::{tokens as tokens_view, validate as validate_view};

pub fn models() -> Shape {
    Shape {
        command: "models",
        meaning: "the models of the price sheets that match the filters, with prices, limits, latency and quality figures",
        fields: vec![PRICE_DATE],
        tables: vec![TableShape::new(
            "models",
            "one row per model shown",
            models_view::columns(),
        )],
    }
}

pub fn estimate() -> Shape {
    Shape {
        command: "estimate",
        meaning: "the exact bill of one request on one model, line by line",
        fields: vec![
            Field::text("model", "the catalog model id billed"),
            PRICE_DATE,
            Field::text("tier", "the service tier billed"),
            Field::number(
                "long_context_above",
                "the long-context threshold the prompt crossed, tokens (null: none crossed)",
            )
            .nullable(),
            usd("total_usd", "the request's total cost, USD (exact)"),
        ],
        tables: vec![TableShape::new(
            "lines",
            "one row per billed part, then a `total` row",
            estimate_view::columns(),
        )],
    }
}

pub fn tokens() -> Shape {
    Shape {
        command: "tokens",
        meaning: "prompts counted with each model's tokenizer and priced as the input of one request each",
        fields: vec![
            Field::number("prompts", "prompts read"),
            Field::number("bytes", "bytes of prompt text read"),
            Field::number("o200k_base_tokens", "tokens in the o200k_base encoding"),
            Field::number("cl100k_base_tokens", "tokens in the cl100k_base encoding"),
            PRICE_DATE,
        ],
        tables: vec![TableShape::new(
            "models",
            "one row per model priced",
            tokens_view::columns(),
        )],
    }
}

pub fn validate() -> Shape {
    Shape {
        command: "validate",
        meaning:
            "every finding in the price sheets and scenarios checked, with its file, line and key",
        fields: vec![
            Field::number("files", "files checked"),
            Field::number("models", "models checked"),
            Field::number("errors", "findings that fail validation"),
            Field::number(
                "warnings",
                "findings that fail validation only with `--strict`",
            ),
        ],
        tables: vec![TableShape::new(
            "findings",
            "one row per finding",
            validate_view::columns(),
        )],
    }
}

pub fn import() -> Shape {
    Shape {
        command: "pricing import",
        meaning: "the price sheets an import of a public catalog made, and why the rest was left out",
        fields: vec![
            Field::text("source", "the catalog file read"),
            Field::text("catalog", "the catalog's format (`--from`)"),
            Field::number("entries", "entries in the catalog"),
            Field::number("imported", "models imported"),
            Field::number("skipped", "entries not imported"),
            Field::number(
                "filled",
                "long-context or tier prices the source does not state, set to the price without that tier",
            ),
            Field::text("out_dir", "where the sheets were written (`--out-dir`); null: nowhere")
                .nullable(),
        ],
        tables: vec![
            TableShape::new(
                "sheets",
                "one row per sheet made",
                import_view::sheet_columns(),
            ),
            TableShape::new(
                "skipped_reasons",
                "entries not imported, counted by reason",
                import_view::reason_columns(),
            ),
            TableShape::new(
                "dropped_prices",
                "prices `cost` does not bill, left out of imported models",
                import_view::dropped_columns(),
            ),
            TableShape::new(
                "skipped_entries",
                "with `-v`: every entry not imported",
                import_view::entry_columns(),
            )
            .sometimes(),
        ],
    }
}
