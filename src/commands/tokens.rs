//! `cost tokens [FILE...]`: count the tokens of text (whole files, stdin, or
//! one JSON-lines field per line holding a prompt or chat messages) with
//! real tokenizers, and price those prompts per model, each prompt on its own
//! (so long-context cliffs apply per prompt).

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::cli::{GlobalArgs, TokensArgs};
use crate::human::human_count;
use crate::money::Money;
use crate::pricing::bill::{price, Request};
use crate::replay::row::Row;
use crate::report::{col, Kind, Report, Table, Value as Cell};
use crate::settings;
use crate::source::Source;
use crate::tokenizer::{counting, Encoding};

const DEFAULT_MODELS: [&str; 4] = [
    "gpt-4o",
    "gpt-4.1-mini",
    "claude-sonnet-4-5",
    "gemini-2.5-flash",
];

/// One prompt, counted in both encodings.
struct Prompt {
    o200k: u64,
    cl100k: u64,
}

pub fn run(args: &TokensArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let date = settings::date(args.at, None);
    let names: Vec<String> = if args.models.is_empty() {
        DEFAULT_MODELS.iter().map(|s| s.to_string()).collect()
    } else {
        args.models.clone()
    };
    let models = names
        .iter()
        .map(|n| catalog.lookup(n))
        .collect::<Result<Vec<_>, _>>()?;
    let paths = if args.files.is_empty() {
        vec![std::path::PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut prompts = Vec::new();
    let mut bytes = 0u64;
    for path in &paths {
        let source = Source::read(path)?;
        bytes += source.text.len() as u64;
        match &args.field {
            None => prompts.push(count_text(&source.text)),
            Some(field) => read_field(&source, field, &mut prompts)?,
        }
    }
    let total = |f: fn(&Prompt) -> u64| prompts.iter().map(f).sum::<u64>();
    let (o200k, cl100k) = (total(|p| p.o200k), total(|p| p.cl100k));
    let mut table = Table::new(
        "models",
        vec![
            col("model", "model", Kind::Text),
            col("tokens", "tokens", Kind::Tokens),
            col("estimate", "est.", Kind::Flag),
            col("input_cost_usd", "input cost", Kind::Usd),
            col("output_cost_usd", "output cost", Kind::Usd),
            col("cost_usd", "cost", Kind::Usd),
            col("tokenizer", "tokenizer", Kind::Text),
        ],
    );
    let mut notes = vec![format!(
        "each prompt is priced as the whole input of one request at the prices of {date}{}",
        if args.output > 0 {
            format!(", plus {} output tokens each (--output)", args.output)
        } else {
            String::new()
        }
    )];
    for model in &models {
        let how = counting(model);
        let (mut tokens, mut input_cost, mut total_cost) = (0u64, Money::ZERO, Money::ZERO);
        for p in &prompts {
            let counted = match how.encoding {
                Encoding::O200k => p.o200k,
                Encoding::Cl100k => p.cl100k,
            };
            let n = how.tokens(counted);
            tokens += n;
            let request = Request {
                input: n,
                output: args.output,
                ..Request::default()
            };
            let bill = price(model, &request, date)
                .with_context(|| format!("cannot price a prompt on `{}`", model.id))?;
            input_cost += bill.lines[0].cost;
            total_cost += bill.total;
        }
        if !how.exact {
            notes.push(format!("{}: {}", model.id, how.basis));
        }
        table.push(vec![
            model.id.clone().into(),
            tokens.into(),
            Cell::Bool(!how.exact),
            Cell::Money(input_cost),
            Cell::Money(total_cost - input_cost),
            Cell::Money(total_cost),
            how.encoding.name().into(),
        ]);
    }
    let report = Report {
        command: "tokens",
        title: format!(
            "cost tokens: {} prompt{}, {} bytes, {} o200k_base / {} cl100k_base tokens",
            human_count(prompts.len() as f64),
            if prompts.len() == 1 { "" } else { "s" },
            human_count(bytes as f64),
            human_count(o200k as f64),
            human_count(cl100k as f64)
        ),
        fields: vec![
            ("prompts", (prompts.len() as u64).into()),
            ("bytes", bytes.into()),
            ("o200k_base_tokens", o200k.into()),
            ("cl100k_base_tokens", cl100k.into()),
            ("price_date", date.to_string().into()),
        ],
        tables: vec![table],
        notes,
    };
    printer.emit(&report)
}

fn count_text(text: &str) -> Prompt {
    Prompt {
        o200k: Encoding::O200k.count(text),
        cl100k: Encoding::Cl100k.count(text),
    }
}

fn count_chat(messages: &[Value]) -> Prompt {
    Prompt {
        o200k: Encoding::O200k.count_chat(messages),
        cl100k: Encoding::Cl100k.count_chat(messages),
    }
}

/// One prompt per JSON line: `field` holds a string or chat messages.
fn read_field(source: &Source, field: &str, prompts: &mut Vec<Prompt>) -> anyhow::Result<()> {
    for (i, line) in source.text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", source.name, i + 1);
        let value: Value = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{}: {}", at(), crate::replay::envelope::readable(&e)))?;
        let Value::Object(map) = value else {
            bail!("{}: not a JSON object", at());
        };
        match Row::Json(&map).value(field) {
            Some(Value::String(s)) => prompts.push(count_text(&s)),
            Some(Value::Array(messages)) => prompts.push(count_chat(&messages)),
            Some(other) => bail!(
                "{}: `{field}`: expected a string or an array of chat messages, found {}",
                at(),
                kind(&other)
            ),
            None => bail!("{}: `{field}`: missing", at()),
        }
    }
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
