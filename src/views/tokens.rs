//! `cost tokens`: a row per model with its token count and the prompts'
//! cost, and notes on how each count was obtained.

use jiff::civil::Date;

use crate::human::human_count;
use crate::pricing::Model;
use crate::report::columns::replay::{ESTIMATE, INPUT_COST, OUTPUT_COST, TOKENIZER};
use crate::report::columns::{COST, MODEL, TOKENS};
use crate::report::{Column, Report, Table, Value};
use crate::tokenizer::prompts::{ModelTokens, PromptCount};

/// What was read: the prompts and their bytes.
pub struct Read<'a> {
    pub prompts: &'a [PromptCount],
    pub bytes: u64,
    /// Output tokens priced per prompt.
    pub output: u64,
    pub date: Date,
}

pub fn report(read: &Read, priced: &[(&Model, ModelTokens)]) -> Report {
    let prompts = read.prompts;
    let o200k: u64 = prompts.iter().map(|p| p.o200k).sum();
    let cl100k: u64 = prompts.iter().map(|p| p.cl100k).sum();
    let mut table = Table::new("models", columns());
    let mut notes = vec![format!(
        "each prompt is priced as the whole input of one request at the prices of {}{}",
        read.date,
        if read.output > 0 {
            format!(", plus {} output tokens each (--output)", read.output)
        } else {
            String::new()
        }
    )];
    for (model, t) in priced {
        let how = &t.counting;
        if !how.exact {
            notes.push(format!("{}: {}", model.id, how.basis));
        }
        table.push(vec![
            model.id.clone().into(),
            t.tokens.into(),
            Value::Bool(!how.exact),
            t.input_cost.into(),
            (t.total_cost - t.input_cost).into(),
            t.total_cost.into(),
            how.encoding.name().into(),
        ]);
    }
    Report {
        command: "tokens",
        title: format!(
            "cost tokens: {} prompt{}, {} bytes, {} o200k_base / {} cl100k_base tokens",
            human_count(prompts.len() as f64),
            if prompts.len() == 1 { "" } else { "s" },
            human_count(read.bytes as f64),
            human_count(o200k as f64),
            human_count(cl100k as f64)
        ),
        fields: vec![
            ("prompts", (prompts.len() as u64).into()),
            ("bytes", read.bytes.into()),
            ("o200k_base_tokens", o200k.into()),
            ("cl100k_base_tokens", cl100k.into()),
            ("price_date", read.date.to_string().into()),
        ],
        tables: vec![table],
        notes,
    }
}

/// The `models` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        MODEL,
        TOKENS,
        ESTIMATE,
        INPUT_COST,
        OUTPUT_COST,
        COST,
        TOKENIZER,
    ]
}
