//! Prompts counted in both encodings, read from whole texts or from one
//! JSON-lines field per line (a string, or chat messages), and priced per
//! model: each prompt as the whole input of one request, so long-context
//! cliffs apply per prompt. Pure: the caller reads the files.

use jiff::civil::Date;
use serde_json::Value;

use super::{counting, Counting, Encoding};
use crate::money::Money;
use crate::pricing::bill::{price, PriceError, Request};
use crate::pricing::Model;
use crate::replay::row::Row;

/// One prompt, counted in both encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptCount {
    pub o200k: u64,
    pub cl100k: u64,
}

impl PromptCount {
    pub fn of_text(text: &str) -> PromptCount {
        PromptCount {
            o200k: Encoding::O200k.count(text),
            cl100k: Encoding::Cl100k.count(text),
        }
    }

    pub fn of_chat(messages: &[Value]) -> PromptCount {
        PromptCount {
            o200k: Encoding::O200k.count_chat(messages),
            cl100k: Encoding::Cl100k.count_chat(messages),
        }
    }

    pub fn in_encoding(&self, encoding: Encoding) -> u64 {
        match encoding {
            Encoding::O200k => self.o200k,
            Encoding::Cl100k => self.cl100k,
        }
    }
}

/// A line whose field is not a prompt: `name:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct PromptError {
    pub at: String,
    pub message: String,
}

/// One prompt per non-blank JSON line of `text` (from the file `name`):
/// `field` (a dotted path) holds a string or chat messages.
pub fn prompts_in_field(
    text: &str,
    name: &str,
    field: &str,
) -> Result<Vec<PromptCount>, PromptError> {
    let mut prompts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| PromptError {
            at: format!("{name}:{}", i + 1),
            message,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| bad(crate::replay::envelope::readable(&e)))?;
        let Value::Object(map) = value else {
            return Err(bad("not a JSON object".into()));
        };
        match Row::Json(&map).value(field) {
            Some(Value::String(s)) => prompts.push(PromptCount::of_text(&s)),
            Some(Value::Array(messages)) => prompts.push(PromptCount::of_chat(&messages)),
            Some(other) => {
                return Err(bad(format!(
                    "`{field}`: expected a string or an array of chat messages, found {}",
                    kind(&other)
                )))
            }
            None => return Err(bad(format!("`{field}`: missing"))),
        }
    }
    Ok(prompts)
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

/// The prompts' tokens and cost on one model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelTokens {
    /// The model's token count over all prompts.
    pub tokens: u64,
    pub input_cost: Money,
    pub total_cost: Money,
    /// How the count was obtained.
    pub counting: Counting,
}

/// Prices every prompt on `model` as one request with `output` output
/// tokens, at the prices of `date`.
pub fn price_prompts(
    model: &Model,
    prompts: &[PromptCount],
    output: u64,
    date: Date,
) -> Result<ModelTokens, PriceError> {
    let how = counting(model);
    let (mut tokens, mut input_cost, mut total_cost) = (0u64, Money::ZERO, Money::ZERO);
    for p in prompts {
        let n = how.tokens(p.in_encoding(how.encoding));
        tokens += n;
        let request = Request {
            input: n,
            output,
            ..Request::default()
        };
        let bill = price(model, &request, date)?;
        input_cost += bill.lines[0].cost;
        total_cost += bill.total;
    }
    Ok(ModelTokens {
        tokens,
        input_cost,
        total_cost,
        counting: how,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_holds_a_prompt_or_chat_messages() {
        let text = "{\"p\":\"hello world\"}\n\n{\"p\":[{\"role\":\"user\",\"content\":\"hello world\"}]}\n";
        let prompts = prompts_in_field(text, "x.jsonl", "p").unwrap();
        assert_eq!(prompts[0], PromptCount::of_text("hello world"));
        assert_eq!(prompts[1].o200k, 3 + 3 + Encoding::O200k.count("user") + 2);
    }

    #[test]
    fn a_line_without_the_field_is_located() {
        let err = prompts_in_field("{\"p\":1}\n{\"q\":\"a\"}", "x.jsonl", "p").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.jsonl:1: `p`: expected a string or an array of chat messages, found a number"
        );
        let err = prompts_in_field("{\"q\":\"a\"}", "x.jsonl", "p").unwrap_err();
        assert_eq!(err.to_string(), "x.jsonl:1: `p`: missing");
    }

    #[test]
    fn input_and_output_costs_add_up_per_prompt() {
        let catalog =
            crate::pricing::Catalog::from_sources(&crate::pricing::Catalog::builtin_sources())
                .unwrap();
        let model = catalog.lookup("gpt-4o").unwrap();
        let prompts = [PromptCount::of_text("hello world"); 3];
        let date = Date::constant(2026, 1, 1);
        let priced = price_prompts(model, &prompts, 10, date).unwrap();
        assert_eq!(priced.tokens, 6);
        let one = price(
            model,
            &Request {
                input: 2,
                output: 10,
                ..Request::default()
            },
            date,
        )
        .unwrap();
        assert_eq!(priced.total_cost, one.total + one.total + one.total);
        assert!(priced.input_cost < priced.total_cost);
    }
}
