//! OpenAI usage objects. Chat completions report `prompt_tokens` with the
//! cached part inside (`prompt_tokens_details.cached_tokens`) and
//! `completion_tokens` with the reasoning part inside
//! (`completion_tokens_details.reasoning_tokens`); the Responses API says
//! the same with `input_tokens`/`output_tokens` and `*_details`. Each token is
//! counted once: reasoning is taken out of the visible output. OpenRouter adds
//! `prompt_tokens_details.cache_write_tokens` for models that bill cache
//! writes (Anthropic's): 5-minute writes, part of the prompt like the reads.

use super::envelope::Usage;
use super::record::{check_tokens, BadField};
use crate::pricing::bill::Request;

/// Whether a usage object is OpenAI-shaped (as opposed to Anthropic's).
pub fn claims(usage: &Usage) -> bool {
    usage.prompt_tokens.is_some()
        || usage.completion_tokens.is_some()
        || usage.input_tokens_details.0.is_some()
        || usage
            .output_tokens_details
            .0
            .as_ref()
            .is_some_and(|d| d.reasoning_tokens.is_some())
}

pub fn request(usage: &Usage) -> Result<Request, BadField> {
    let (prompt_key, prompt, details_key, details) =
        if usage.prompt_tokens.is_some() || usage.completion_tokens.is_some() {
            (
                "usage.prompt_tokens",
                usage.prompt_tokens,
                "usage.prompt_tokens_details.cached_tokens",
                &usage.prompt_tokens_details,
            )
        } else {
            (
                "usage.input_tokens",
                usage.input_tokens,
                "usage.input_tokens_details.cached_tokens",
                &usage.input_tokens_details,
            )
        };
    let (completion_key, completion, reasoning_key, reasoning_details) =
        if usage.completion_tokens.is_some() || usage.prompt_tokens.is_some() {
            (
                "usage.completion_tokens",
                usage.completion_tokens,
                "usage.completion_tokens_details.reasoning_tokens",
                &usage.completion_tokens_details,
            )
        } else {
            (
                "usage.output_tokens",
                usage.output_tokens,
                "usage.output_tokens_details.reasoning_tokens",
                &usage.output_tokens_details,
            )
        };
    let input = check_tokens(
        prompt_key,
        prompt.ok_or_else(|| BadField::new(prompt_key, "missing: the prompt token count"))?,
    )?;
    let generated = check_tokens(completion_key, completion.unwrap_or(0))?;
    let cached = check_tokens(
        details_key,
        details
            .0
            .as_ref()
            .and_then(|d| d.cached_tokens)
            .unwrap_or(0),
    )?;
    let reasoning = check_tokens(
        reasoning_key,
        reasoning_details
            .0
            .as_ref()
            .and_then(|d| d.reasoning_tokens)
            .unwrap_or(0),
    )?;
    let write_key = details_key.replace("cached_tokens", "cache_write_tokens");
    let written = check_tokens(
        &write_key,
        details
            .0
            .as_ref()
            .and_then(|d| d.cache_write_tokens)
            .unwrap_or(0),
    )?;
    if cached > input {
        return Err(BadField::new(
            details_key,
            format!("{cached} cached tokens exceed the {input} prompt tokens they are part of"),
        ));
    }
    if cached + written > input {
        return Err(BadField::new(
            write_key,
            format!("{cached} cached and {written} cache-written tokens exceed the {input} prompt tokens they are part of"),
        ));
    }
    if reasoning > generated {
        return Err(BadField::new(
            reasoning_key,
            format!("{reasoning} reasoning tokens exceed the {generated} output tokens they are part of"),
        ));
    }
    Ok(Request {
        input,
        cache_read: cached,
        cache_write: written,
        output: generated - reasoning,
        reasoning,
        ..Request::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(json: &str) -> Result<Request, BadField> {
        let u: Usage = serde_json::from_str(json).unwrap();
        request(&u)
    }

    #[test]
    fn chat_completions_count_cached_and_reasoning_tokens_once() {
        let r = usage(r#"{"prompt_tokens":12000,"completion_tokens":800,"prompt_tokens_details":{"cached_tokens":4000},"completion_tokens_details":{"reasoning_tokens":300}}"#).unwrap();
        assert_eq!(
            (r.input, r.cache_read, r.output, r.reasoning),
            (12000, 4000, 500, 300)
        );
    }

    #[test]
    fn responses_api_reads_the_same_way() {
        let r = usage(r#"{"input_tokens":12000,"input_tokens_details":{"cached_tokens":4000},"output_tokens":800,"output_tokens_details":{"reasoning_tokens":300}}"#).unwrap();
        assert_eq!(
            (r.input, r.cache_read, r.output, r.reasoning),
            (12000, 4000, 500, 300)
        );
    }

    #[test]
    fn openrouter_cache_writes_are_part_of_the_prompt() {
        let r = usage(r#"{"prompt_tokens":3214,"completion_tokens":100,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":3211}}"#).unwrap();
        assert_eq!((r.input, r.cache_read, r.cache_write), (3214, 0, 3211));
        let e = usage(r#"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":5,"cache_write_tokens":6}}"#).unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens_details.cache_write_tokens");
    }

    #[test]
    fn null_details_are_zero() {
        let r = usage(r#"{"prompt_tokens":10,"completion_tokens":2,"prompt_tokens_details":null}"#)
            .unwrap();
        assert_eq!((r.input, r.cache_read, r.output), (10, 0, 2));
    }

    #[test]
    fn parts_larger_than_their_whole_are_rejected_with_the_field() {
        let e = usage(r#"{"prompt_tokens":10,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":11}}"#).unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens_details.cached_tokens");
        let e = usage(r#"{"prompt_tokens":10,"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":3}}"#).unwrap_err();
        assert_eq!(e.field, "usage.completion_tokens_details.reasoning_tokens");
        let e = usage(r#"{"completion_tokens":2}"#).unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens");
    }
}
