//! `cost tokens [FILE...]`: read the text (whole files, stdin, or one
//! JSON-lines field per line), count and price it per model
//! (`tokenizer::prompts`), and hand the result to the view.

use anyhow::Context as _;

use crate::settings::TokensSettings;
use crate::source::Source;
use crate::tokenizer::prompts::{price_prompts, prompts_in_field, PromptCount};
use crate::views;

pub fn run(settings: &TokensSettings) -> anyhow::Result<()> {
    let mut prompts = Vec::new();
    let mut bytes = 0u64;
    for path in &settings.files {
        let source = Source::read(path)?;
        bytes += source.text.len() as u64;
        match &settings.field {
            None => prompts.push(PromptCount::of_text(&source.text)),
            Some(field) => prompts.extend(prompts_in_field(&source.text, &source.name, field)?),
        }
    }
    let priced = settings
        .models()
        .into_iter()
        .map(|model| {
            price_prompts(model, &prompts, settings.output, settings.date)
                .with_context(|| format!("cannot price a prompt on `{}`", model.id))
                .map(|t| (model, t))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let read = views::tokens::Read {
        prompts: &prompts,
        bytes,
        output: settings.output,
        date: settings.date,
    };
    settings
        .printer
        .emit(&views::tokens::report(&read, &priced))
}
